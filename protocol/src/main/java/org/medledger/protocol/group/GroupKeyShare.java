package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** U_i's broadcast X_i = B_{i−1} ⊕ B_i for one group epoch  (seed 004 §III-D2). */
public record GroupKeyShare(String groupId, long epoch, String member, byte[] x) {

    static final String LABEL = "GROUP-AGG/GroupKeyShare/v1";

    public GroupKeyShare {
        GroupRoster.requireId(groupId);
        GroupRoster.requireId(member);
        x = Objects.requireNonNull(x, "X_i is required").clone();
        if (x.length != CheckValues.LENGTH) {
            throw new IllegalArgumentException("X_i has " + CheckValues.LENGTH + " bytes");
        }
    }

    @Override
    public byte[] x() {
        return x.clone();
    }

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(groupId).int64(epoch).utf8(member).bytes(x).toByteArray();
    }

    public static GroupKeyShare decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String gid = d.utf8();
        long epoch = d.int64();
        String member = d.utf8();
        byte[] x = d.bytes(CheckValues.LENGTH);
        d.finish();
        try {
            return new GroupKeyShare(gid, epoch, member, x);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "invalid group key share");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupKeyShare s && groupId.equals(s.groupId) && epoch == s.epoch && member.equals(s.member)
                && Arrays.equals(x, s.x);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, epoch, member, Arrays.hashCode(x));
    }

    @Override
    public String toString() {
        return "GroupKeyShare[" + groupId + "#" + epoch + ", " + member + "]";
    }
}
