package org.medledger.ledger.state;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractState;

/** A contract's view: reads go to a base reader and are recorded with versions; writes are buffered. */
public final class RecordingState implements ContractState, StateReader {
    private final StateReader base;
    private final Map<StateKey, Long> reads = new HashMap<>();
    private final Map<StateKey, Bytes> writes = new HashMap<>();

    public RecordingState(StateReader base) {
        this.base = base;
    }

    @Override
    public Optional<VersionedValue> get(StateKey key) {
        Optional<VersionedValue> v = base.get(key);
        reads.putIfAbsent(key, v.map(VersionedValue::version).orElse(0L));
        return v;
    }

    @Override
    public Optional<Bytes> read(String namespace, String key) {
        StateKey k = new StateKey(namespace, key);
        Bytes own = writes.get(k);
        if (own != null) {
            return Optional.of(own);
        }
        return get(k).map(VersionedValue::value);
    }

    @Override
    public void write(String namespace, String key, Bytes value) {
        writes.put(new StateKey(namespace, key), value);
    }

    @Override
    public StateReader reader() {
        return this;
    }

    public ReadWriteSet readWriteSet() {
        return new ReadWriteSet(reads, writes);
    }
}
