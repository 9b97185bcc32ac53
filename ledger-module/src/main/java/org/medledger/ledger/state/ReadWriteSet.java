package org.medledger.ledger.state;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.medledger.ledger.codec.Bytes;

/** Versions read (0 = absent) and values written by one contract execution. */
public record ReadWriteSet(Map<StateKey, Long> reads, Map<StateKey, Bytes> writes) {
    public ReadWriteSet {
        reads = Collections.unmodifiableMap(new TreeMap<>(reads));
        writes = Collections.unmodifiableMap(new TreeMap<>(writes));
    }
}
