package org.medledger.protocol.interhospital;

/**
 * Evaluates the existence-check contracts against the ledger's world state (the ledger
 * module implements it). Parties fail closed when a check does not hold.
 */
@FunctionalInterface
public interface LedgerChecks {

    boolean holds(ContractQuery query);
}
