package org.medledger.ledger.node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.StateReader;
import org.medledger.ledger.state.VersionedValue;

/** Committed state plus the writes of the block being built. Not thread-safe; producer-only. */
final class OverlayState implements StateReader {
    private final StateReader base;
    private final Map<StateKey, VersionedValue> writes = new HashMap<>();

    OverlayState(StateReader base) {
        this.base = base;
    }

    @Override
    public Optional<VersionedValue> get(StateKey key) {
        VersionedValue v = writes.get(key);
        return v != null ? Optional.of(v) : base.get(key);
    }

    void put(StateKey key, VersionedValue value) {
        writes.put(key, value);
    }

    Map<StateKey, VersionedValue> writes() {
        return writes;
    }
}
