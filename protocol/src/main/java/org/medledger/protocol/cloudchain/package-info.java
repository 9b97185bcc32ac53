/**
 * CLOUD-CHAIN (seed 001, PROTOCOLS.md §2): cloud-assisted EHR with a ledger. Parties:
 * the patient's {@link org.medledger.protocol.cloudchain.Smartcard} and
 * {@link org.medledger.protocol.cloudchain.Patient}, the
 * {@link org.medledger.protocol.cloudchain.MedicalCenter}, the
 * {@link org.medledger.protocol.cloudchain.NetworkAdministrator} (KGC) and the
 * {@link org.medledger.protocol.cloudchain.CloudServer}. The seed has no equation numbers;
 * comments cite its section and step (e.g. "seed 001, §5.2 step 1").
 */
package org.medledger.protocol.cloudchain;
