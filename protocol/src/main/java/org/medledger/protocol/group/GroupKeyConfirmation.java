package org.medledger.protocol.group;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** U_i's broadcast key-confirmation tag HMAC(GSK, member) (deviation G2, docs/protocols/group-agg.md). */
public record GroupKeyConfirmation(String groupId, long epoch, String member, byte[] tag) {

    static final String LABEL = "GROUP-AGG/GroupKeyConfirmation/v1";

    public GroupKeyConfirmation {
        GroupRoster.requireId(groupId);
        GroupRoster.requireId(member);
        tag = Objects.requireNonNull(tag, "tag is required").clone();
        if (tag.length != CheckValues.LENGTH) {
            throw new IllegalArgumentException("the tag has " + CheckValues.LENGTH + " bytes");
        }
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    public byte[] toBytes() {
        return LabelledEncoder.of(LABEL).utf8(groupId).int64(epoch).utf8(member).bytes(tag).toByteArray();
    }

    public static GroupKeyConfirmation decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String gid = d.utf8();
        long epoch = d.int64();
        String member = d.utf8();
        byte[] tag = d.bytes(CheckValues.LENGTH);
        d.finish();
        try {
            return new GroupKeyConfirmation(gid, epoch, member, tag);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "invalid group key confirmation");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupKeyConfirmation s && groupId.equals(s.groupId) && epoch == s.epoch && member.equals(s.member)
                && Arrays.equals(tag, s.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, epoch, member, Arrays.hashCode(tag));
    }

    @Override
    public String toString() {
        return "GroupKeyConfirmation[" + groupId + "#" + epoch + ", " + member + "]";
    }
}
