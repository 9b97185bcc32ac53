package org.medledger.ledger.state;

import java.util.Objects;

import org.medledger.ledger.codec.Bytes;

/** A value and the version that wrote it (log index of the writer + 1; 0 means never written). */
public record VersionedValue(long version, Bytes value) {
    public VersionedValue {
        Objects.requireNonNull(value, "value is required");
        if (version <= 0) {
            throw new IllegalArgumentException("versions start at 1");
        }
    }
}
