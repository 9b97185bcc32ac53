/**
 * INTER-HOSPITAL (seed 002, PROTOCOLS.md §3) served: the blockchain center (this server's KGC),
 * the hospitals served here, their encrypted records and the hospital-to-hospital transfer.
 */
package org.medledger.interhospital;
