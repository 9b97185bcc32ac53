package org.medledger.protocol.interhospital;

import java.util.Objects;

/** The center's registration result: the grant for X and the contract call for the ledger. */
public record RegistrationOutcome(RegistrationGrant grant, ContractPayload insert) {

    public RegistrationOutcome {
        Objects.requireNonNull(grant, "Grant is required.");
        Objects.requireNonNull(insert, "Contract payload is required.");
    }
}
