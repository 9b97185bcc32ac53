package org.medledger.protocol.group;

import java.util.Objects;

import javax.security.auth.Destroyable;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * GSK = H(B_1 ‖ … ‖ B_n) for one group epoch (seed 004 §III-D2), as an AES-256-GCM key.
 * Never printed; compared only through {@link #sameKeyAs}.
 */
public final class GroupSessionKey implements Destroyable {

    private final String groupId;
    private final long epoch;
    private final java.util.List<String> members;
    private final SecretBytes key;

    GroupSessionKey(GroupRoster roster, SecretBytes key) {
        this.groupId = roster.groupId();
        this.epoch = roster.epoch();
        this.members = roster.members();
        this.key = Objects.requireNonNull(key);
    }

    /** The members who agreed this key, in ring order. */
    public java.util.List<String> members() {
        return members;
    }

    public String groupId() {
        return groupId;
    }

    public long epoch() {
        return epoch;
    }

    SecretBytes key() {
        return key;
    }

    /** Constant-time comparison of two keys (tests, diagnostics). */
    public boolean sameKeyAs(GroupSessionKey other) {
        return other != null && groupId.equals(other.groupId) && epoch == other.epoch && key.equals(other.key);
    }

    /** tag_i = HMAC(GSK, GID ‖ epoch ‖ ID_i): key confirmation (deviation G2). */
    byte[] confirmationTag(String member) {
        return CheckValues.mac(key, LabelledEncoder.of("GROUP-AGG/GSK/confirm").utf8(groupId).int64(epoch).utf8(member));
    }

    void requireConfirmation(GroupKeyConfirmation c) throws ProtocolException {
        CheckValues.requireEqual(confirmationTag(c.member()), c.tag());
    }

    @Override
    public void destroy() {
        key.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return key.isDestroyed();
    }

    @Override
    public String toString() {
        return "GroupSessionKey[" + groupId + "#" + epoch + "]";
    }
}
