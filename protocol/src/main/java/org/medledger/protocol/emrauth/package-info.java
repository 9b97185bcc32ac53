/**
 * EMR-AUTH (seed 000, PROTOCOLS.md §1): EMR authorization between a patient's smart device,
 * a doctor, the hospital private cloud (HPC) and the public cloud (PC, the KGC).
 * One class per party; messages are immutable records named after the paper's messages;
 * each computing line cites its equation.
 */
package org.medledger.protocol.emrauth;
