/**
 * INTER-HOSPITAL (seed 002, PROTOCOLS.md §3): the blockchain center (KGC), patients and
 * hospitals (A and B are roles of {@link org.medledger.protocol.interhospital.Hospital}).
 * Registration with implicit keys, initial treatment, the inter-hospital transfer with a
 * patient-signed authorization, and the smart-contract payloads the ledger executes.
 */
package org.medledger.protocol.interhospital;
