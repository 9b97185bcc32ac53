package org.medledger.ledger.contract;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.medledger.ledger.LedgerReason;

/** Contracts by name. Immutable once built; the ledger and the verifier share one. */
public final class ContractRegistry {
    private final Map<String, Contract> contracts;

    private ContractRegistry(Map<String, Contract> contracts) {
        this.contracts = Collections.unmodifiableMap(contracts);
    }

    public static ContractRegistry of(Contract... contracts) {
        Map<String, Contract> m = new LinkedHashMap<>();
        for (Contract c : contracts) {
            if (m.put(c.name(), c) != null) {
                throw new IllegalArgumentException("two contracts named " + c.name());
            }
        }
        return new ContractRegistry(m);
    }

    /** The contract for {@code name} that accepts {@code function}, or a typed refusal. */
    public Contract require(String name, String function) {
        Contract c = contracts.get(name);
        if (c == null || !c.functions().contains(function)) {
            throw new ContractException(LedgerReason.UNKNOWN_CONTRACT, "no contract function " + name + "." + function);
        }
        return c;
    }

    public Map<String, Contract> all() {
        return contracts;
    }
}
