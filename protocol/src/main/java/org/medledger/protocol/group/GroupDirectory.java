package org.medledger.protocol.group;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The certified public Chebyshev keys T_{s_i}(x) of the group members ("all ID information
 * and their corresponding public keys have been arranged", seed 004 §III-D1). Every value
 * is validated on the way in.
 */
public final class GroupDirectory {

    private final Map<String, ChebyshevValue> keys;

    private GroupDirectory(Map<String, ChebyshevValue> keys) {
        this.keys = Map.copyOf(keys);
    }

    /** From bare values T_{s_i}(x): each is validated and its root computed here (one 2047-bit exponentiation each). */
    public static GroupDirectory of(Chebyshev t, Map<String, BigInteger> publicKeys) throws ProtocolException {
        Objects.requireNonNull(publicKeys, "public keys are required");
        Map<String, ChebyshevValue> checked = new LinkedHashMap<>();
        for (Map.Entry<String, BigInteger> e : publicKeys.entrySet()) {
            checked.put(GroupRoster.requireId(e.getKey()), t.withRoot(t.requireValid(e.getValue())));
        }
        return new GroupDirectory(checked);
    }

    /** From published keys with their roots (deviation G16): each is validated, no square root is computed. */
    public static GroupDirectory ofValues(Chebyshev t, Map<String, ChebyshevValue> publicKeys) throws ProtocolException {
        Objects.requireNonNull(publicKeys, "public keys are required");
        Map<String, ChebyshevValue> checked = new LinkedHashMap<>();
        for (Map.Entry<String, ChebyshevValue> e : publicKeys.entrySet()) {
            checked.put(GroupRoster.requireId(e.getKey()), t.requireValid(e.getValue().y(), e.getValue().root()));
        }
        return new GroupDirectory(checked);
    }

    /** T_{s_id}(x) with its root. */
    public ChebyshevValue publicKey(String id) throws ProtocolException {
        ChebyshevValue k = keys.get(id);
        if (k == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "no Chebyshev public key for " + id);
        }
        return k;
    }

    /** A directory with one more (validated) entry. */
    public GroupDirectory with(Chebyshev t, String id, BigInteger publicKey) throws ProtocolException {
        return with(t, id, t.withRoot(t.requireValid(publicKey)));
    }

    /** A directory with one more entry, published with its root (validated). */
    public GroupDirectory with(Chebyshev t, String id, ChebyshevValue publicKey) throws ProtocolException {
        Map<String, ChebyshevValue> m = new LinkedHashMap<>(keys);
        m.put(GroupRoster.requireId(id), t.requireValid(publicKey.y(), publicKey.root()));
        return new GroupDirectory(m);
    }
}
