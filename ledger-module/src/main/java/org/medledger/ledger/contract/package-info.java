/**
 * Smart-contract SPI: deterministic Java contracts registered by name, each declaring its
 * endorsement policy per function; they see only their {@link org.medledger.ledger.contract.Invocation}
 * and {@link org.medledger.ledger.contract.ContractState} — no clock, no I/O, no randomness.
 */
package org.medledger.ledger.contract;
