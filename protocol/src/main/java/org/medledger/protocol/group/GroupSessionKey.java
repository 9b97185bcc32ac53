package org.medledger.protocol.group;

import java.util.Objects;

import javax.security.auth.Destroyable;

import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * GSK = H(B_1 ‖ … ‖ B_n) for one group epoch (seed 004 §III-D2). Two keys are expanded from it
 * with HKDF under distinct labels: the AES-256-GCM key of the APHR's {@code s_G} and the HMAC key
 * of the broadcast confirmation tags, so a tag is never a MAC under the record key. Never
 * printed; compared only through {@link #sameKeyAs}.
 */
public final class GroupSessionKey implements Destroyable {

    private final String groupId;
    private final long epoch;
    private final java.util.List<String> members;
    private final SecretBytes key;
    private final SecretBytes confirmKey;

    GroupSessionKey(GroupRoster roster, SecretBytes gsk) {
        this.groupId = roster.groupId();
        this.epoch = roster.epoch();
        this.members = roster.members();
        Objects.requireNonNull(gsk);
        byte[] k = gsk.reveal();
        try {
            this.key = Kdf.hkdf(k, new byte[0], RECORD_LABEL, Kdf.KEY_LENGTH);
            this.confirmKey = Kdf.hkdf(k, new byte[0], CONFIRM_LABEL, Kdf.KEY_LENGTH);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
            gsk.destroy();
        }
    }

    private GroupSessionKey(GroupRoster roster, SecretBytes key, SecretBytes confirmKey) {
        this.groupId = roster.groupId();
        this.epoch = roster.epoch();
        this.members = roster.members();
        this.key = key;
        this.confirmKey = confirmKey;
    }

    /** Both expanded keys, for the member's own device store only (a key outlives the run that agreed it). */
    public SecretBytes export() {
        return SecretBytes.copyOf(LabelledEncoder.of(EXPORT_LABEL).secret(key).secret(confirmKey).toByteArray());
    }

    /** A key kept by {@link #export} for the epoch of {@code roster}. */
    public static GroupSessionKey restore(GroupRoster roster, SecretBytes exported) throws ProtocolException {
        Objects.requireNonNull(roster, "roster is required");
        org.medledger.protocol.common.LabelledDecoder d = org.medledger.protocol.common.LabelledDecoder.open(exported.reveal(), EXPORT_LABEL);
        SecretBytes k = d.secretBytes();
        SecretBytes c = d.secretBytes();
        d.finish();
        if (k.length() != Kdf.KEY_LENGTH || c.length() != Kdf.KEY_LENGTH) {
            throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "stored group key has the wrong length");
        }
        return new GroupSessionKey(roster, k, c);
    }

    private static final String EXPORT_LABEL = "GROUP-AGG/GSK/export/v1";
    private static final byte[] RECORD_LABEL = "GROUP-AGG/GSK/record-encryption".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] CONFIRM_LABEL = "GROUP-AGG/GSK/confirmation".getBytes(java.nio.charset.StandardCharsets.UTF_8);

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

    /** The record-encryption key of {@code s_G}. */
    SecretBytes key() {
        return key;
    }

    /** Constant-time comparison of two keys (tests, diagnostics). */
    public boolean sameKeyAs(GroupSessionKey other) {
        return other != null && groupId.equals(other.groupId) && epoch == other.epoch && key.equals(other.key);
    }

    /** tag_i = HMAC(k_confirm, GID ‖ epoch ‖ ID_i): key confirmation (deviation G2). */
    byte[] confirmationTag(String member) {
        return CheckValues.mac(confirmKey, LabelledEncoder.of("GROUP-AGG/GSK/confirm").utf8(groupId).int64(epoch).utf8(member));
    }

    void requireConfirmation(GroupKeyConfirmation c) throws ProtocolException {
        CheckValues.requireEqual(confirmationTag(c.member()), c.tag());
    }

    @Override
    public void destroy() {
        key.destroy();
        confirmKey.destroy();
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
