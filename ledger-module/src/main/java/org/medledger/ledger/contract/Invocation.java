package org.medledger.ledger.contract;

import java.util.Map;
import java.util.Objects;

import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;

/**
 * One contract call: the verified submitter and endorsers (id → role), the function, the
 * canonical arguments and the transaction's own timestamp (contracts use no other clock).
 */
public record Invocation(Digest txId, String submitter, Role submitterRole, String function, Arguments args,
                         long timestamp, Map<String, Role> endorsers) {
    public Invocation {
        Objects.requireNonNull(submitter);
        Objects.requireNonNull(submitterRole);
        Objects.requireNonNull(function);
        Objects.requireNonNull(args);
        endorsers = Map.copyOf(endorsers);
    }
}
