package org.medledger.ledger.state;

import java.util.Objects;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;

/** A world-state key. */
public record StateKey(String namespace, String key) implements Comparable<StateKey> {
    public StateKey {
        Objects.requireNonNull(namespace, "namespace is required");
        Objects.requireNonNull(key, "key is required");
        if (namespace.isEmpty() || namespace.length() > 100 || key.length() > 400) {
            throw new LedgerException(LedgerReason.MALFORMED, "state key too long or empty namespace");
        }
    }

    @Override
    public int compareTo(StateKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : key.compareTo(o.key);
    }
}
