package org.medledger.ledger.store;

import java.util.Objects;

import org.medledger.ledger.codec.Bytes;

/**
 * A world-state row exactly as stored, fields unchecked (a tampered row may hold an empty
 * namespace or a version below 1); the verifier compares it with the state it replayed.
 */
public record StateEntry(String namespace, String key, long version, Bytes value) {
    public StateEntry {
        Objects.requireNonNull(namespace);
        Objects.requireNonNull(key);
        Objects.requireNonNull(value);
    }
}
