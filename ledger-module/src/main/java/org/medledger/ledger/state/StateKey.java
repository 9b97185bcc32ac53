package org.medledger.ledger.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;

/**
 * A world-state key. A key made of several ids (a patient and a grantee, a group and an entry
 * number) is built with {@link #compose}: each component is written as its length, a colon and
 * the component itself, so ids containing any character (a '/' or a ':') never make two different
 * tuples one key.
 */
public record StateKey(String namespace, String key) implements Comparable<StateKey> {
    public StateKey {
        Objects.requireNonNull(namespace, "namespace is required");
        Objects.requireNonNull(key, "key is required");
        if (namespace.isEmpty() || namespace.length() > 100 || key.length() > 400) {
            throw new LedgerException(LedgerReason.MALFORMED, "state key too long or empty namespace");
        }
    }

    /** The key of {@code components} in {@code namespace} ({@link #compose}). */
    public static StateKey of(String namespace, String... components) {
        return new StateKey(namespace, compose(components));
    }

    /** {@code len(c1) ':' c1 len(c2) ':' c2 ...} (lengths in chars, decimal): an injective encoding of the tuple. */
    public static String compose(String... components) {
        if (components.length == 0) {
            throw new LedgerException(LedgerReason.MALFORMED, "a composite key needs a component");
        }
        StringBuilder b = new StringBuilder();
        for (String c : components) {
            Objects.requireNonNull(c, "key component is required");
            b.append(c.length()).append(':').append(c);
        }
        return b.toString();
    }

    /** The components of a {@link #compose composed} key; refuses anything compose could not have produced. */
    public static List<String> components(String key) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < key.length()) {
            int colon = key.indexOf(':', i);
            if (colon <= i || colon - i > 3 || (key.charAt(i) == '0' && colon - i > 1)) {
                throw new LedgerException(LedgerReason.MALFORMED, "not a composite state key");
            }
            int len = 0;
            for (int j = i; j < colon; j++) {
                char ch = key.charAt(j);
                if (ch < '0' || ch > '9') {
                    throw new LedgerException(LedgerReason.MALFORMED, "not a composite state key");
                }
                len = len * 10 + (ch - '0');
            }
            if (colon + 1 + len > key.length()) {
                throw new LedgerException(LedgerReason.MALFORMED, "not a composite state key");
            }
            out.add(key.substring(colon + 1, colon + 1 + len));
            i = colon + 1 + len;
        }
        if (out.isEmpty()) {
            throw new LedgerException(LedgerReason.MALFORMED, "not a composite state key");
        }
        return List.copyOf(out);
    }

    @Override
    public int compareTo(StateKey o) {
        int c = namespace.compareTo(o.namespace);
        return c != 0 ? c : key.compareTo(o.key);
    }
}
