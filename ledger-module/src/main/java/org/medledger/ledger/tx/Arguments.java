package org.medledger.ledger.tx;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Canonical;
import org.medledger.ledger.codec.CanonicalReader;

/** Named contract arguments in canonical (sorted by name) order. */
public record Arguments(Map<String, Bytes> values) {
    public static final Arguments NONE = new Arguments(Map.of());
    private static final String LABEL = "MEDLEDGER/args/v1";

    public Arguments {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String string(String name) {
        return bytes(name).utf8();
    }

    public Bytes bytes(String name) {
        Bytes v = values.get(name);
        if (v == null) {
            throw new LedgerException(LedgerReason.MALFORMED, "missing argument " + name);
        }
        return v;
    }

    public Optional<String> optionalString(String name) {
        return Optional.ofNullable(values.get(name)).map(Bytes::utf8);
    }

    public long number(String name) {
        try {
            return Long.parseLong(string(name));
        } catch (NumberFormatException e) {
            throw new LedgerException(LedgerReason.MALFORMED, "argument " + name + " is not a number");
        }
    }

    public byte[] encode() {
        Canonical c = Canonical.label(LABEL).u64(values.size());
        values.forEach((k, v) -> c.str(k).bytes(v.toArray()));
        return c.toBytes();
    }

    public static Arguments decode(byte[] encoded) {
        CanonicalReader r = new CanonicalReader(encoded).expectLabel(LABEL);
        long n = r.u64();
        TreeMap<String, Bytes> m = new TreeMap<>();
        String previous = null;
        for (long i = 0; i < n; i++) {
            String k = r.str();
            if (previous != null && previous.compareTo(k) >= 0) {
                throw new LedgerException(LedgerReason.MALFORMED, "arguments not in canonical order");
            }
            m.put(k, Bytes.of(r.bytes()));
            previous = k;
        }
        r.expectEnd();
        return new Arguments(m);
    }

    public static final class Builder {
        private final TreeMap<String, Bytes> m = new TreeMap<>();

        public Builder put(String name, String value) {
            m.put(name, Bytes.utf8(value));
            return this;
        }

        public Builder put(String name, long value) {
            return put(name, Long.toString(value));
        }

        public Builder put(String name, Bytes value) {
            m.put(name, value);
            return this;
        }

        public Arguments build() {
            return new Arguments(m);
        }
    }
}
