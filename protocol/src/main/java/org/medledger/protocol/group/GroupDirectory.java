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

    private final Map<String, BigInteger> keys;

    private GroupDirectory(Map<String, BigInteger> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static GroupDirectory of(Chebyshev t, Map<String, BigInteger> publicKeys) throws ProtocolException {
        Objects.requireNonNull(publicKeys, "public keys are required");
        Map<String, BigInteger> checked = new LinkedHashMap<>();
        for (Map.Entry<String, BigInteger> e : publicKeys.entrySet()) {
            checked.put(GroupRoster.requireId(e.getKey()), t.requireValid(e.getValue()));
        }
        return new GroupDirectory(checked);
    }

    /** T_{s_id}(x). */
    public BigInteger publicKey(String id) throws ProtocolException {
        BigInteger k = keys.get(id);
        if (k == null) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, "no Chebyshev public key for " + id);
        }
        return k;
    }

    /** A directory with one more (validated) entry. */
    public GroupDirectory with(Chebyshev t, String id, BigInteger publicKey) throws ProtocolException {
        Map<String, BigInteger> m = new LinkedHashMap<>(keys);
        m.put(GroupRoster.requireId(id), t.requireValid(publicKey));
        return new GroupDirectory(m);
    }
}
