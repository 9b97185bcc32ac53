package org.medledger.ledger.contract;

import java.util.Set;

/** A deterministic ledger contract. Implementations are stateless and thread-safe. */
public interface Contract {
    String name();

    /** Every function name this contract accepts. */
    Set<String> functions();

    /** Functions that only read (the seeds' existence checks); they may also be evaluated as queries. */
    default Set<String> readOnlyFunctions() {
        return Set.of();
    }

    /** Who must endorse a call of {@code function}, besides the submitter's own signature. */
    EndorsementPolicy policy(String function);

    /** Executes the call; refusals throw {@link ContractException}. Must be deterministic. */
    void invoke(Invocation call, ContractState state);
}
