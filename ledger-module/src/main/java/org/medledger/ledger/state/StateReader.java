package org.medledger.ledger.state;

import java.util.Optional;

import org.medledger.ledger.codec.Bytes;

/** Read access to committed (or overlaid) world state. */
@FunctionalInterface
public interface StateReader {
    Optional<VersionedValue> get(StateKey key);

    default Optional<Bytes> value(StateKey key) {
        return get(key).map(VersionedValue::value);
    }

    default long version(StateKey key) {
        return get(key).map(VersionedValue::version).orElse(0L);
    }
}
