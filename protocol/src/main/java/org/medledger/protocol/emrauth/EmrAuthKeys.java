package org.medledger.protocol.emrauth;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * Session-key derivation and key confirmation of EMR-AUTH. The paper's
 * {@code SEK = h(K1 ‖ K2)} becomes HKDF over the two shared points plus both identities
 * and both ephemeral points (binding the key to the run); the paper's transmission of the
 * key itself becomes an HMAC key-confirmation tag (see docs/protocols/emr-auth.md).
 */
final class EmrAuthKeys {

    static final String SEK1 = "EMR-AUTH/eq17/SEK1";
    static final String SEK1_CONFIRM = "EMR-AUTH/eq18/SEK1-confirm";
    static final String SEK2 = "EMR-AUTH/eq39/SEK2";
    static final String SEK2_CONFIRM = "EMR-AUTH/eq40/SEK2-confirm";

    private EmrAuthKeys() {
    }

    /** {@code SEK = HKDF(K1 ‖ K2 ‖ ID_A ‖ ID_B ‖ R_A ‖ R_B)} with A the initiator. */
    static SecretBytes sessionKey(String label, CurveProfile c, ECPoint k1, ECPoint k2,
                                  String initiatorId, String responderId, ECPoint initiatorEph, ECPoint responderEph) {
        return Kdf.deriveKey(LabelledEncoder.of(label)
                .point(c, k1).point(c, k2)
                .utf8(initiatorId).utf8(responderId)
                .point(c, initiatorEph).point(c, responderEph));
    }

    /** Key-confirmation tag sent by the responder: {@code HMAC(SEK, ID_B ‖ ID_A ‖ R_A ‖ R_B)}. */
    static byte[] confirmation(String label, CurveProfile c, SecretBytes sek, String initiatorId, String responderId,
                               ECPoint initiatorEph, ECPoint responderEph) {
        return CheckValues.mac(sek, LabelledEncoder.of(label).utf8(responderId).utf8(initiatorId)
                .point(c, initiatorEph).point(c, responderEph));
    }

    static void requireConfirmation(String label, CurveProfile c, SecretBytes sek, String initiatorId, String responderId,
                                    ECPoint initiatorEph, ECPoint responderEph, byte[] received) throws ProtocolException {
        CheckValues.requireEqual(confirmation(label, c, sek, initiatorId, responderId, initiatorEph, responderEph), received);
    }

    /** {@code K1 = S_self·R_peerEph + r_self·X_peer}, both products in constant time. */
    static ECPoint sharedK1(CurveProfile c, org.medledger.protocol.common.SecretScalar sSelf, ECPoint rPeerEph,
                            org.medledger.protocol.common.SecretScalar rSelf, ECPoint xPeer) {
        return org.medledger.protocol.common.SecretScalar.sumOfTwoMultiplies(sSelf, rPeerEph, rSelf, xPeer);
    }
}
