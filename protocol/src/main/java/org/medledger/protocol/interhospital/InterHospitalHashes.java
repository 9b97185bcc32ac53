package org.medledger.protocol.interhospital;

import java.math.BigInteger;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.HashToScalar;
import org.medledger.protocol.common.Kdf;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.SecretBytes;

/**
 * {@code H1} (hash-to-scalar), {@code H2} (key derivation) and {@code H3} (check value) of
 * INTER-HOSPITAL (seed 002, §3.1). {@code H2} and {@code H3} also bind both identities and
 * both ephemeral points, so a key or check value from one run never fits another.
 */
final class InterHospitalHashes {

    static final String H1 = "INTER-HOSPITAL/eq3/H1";
    static final String H2 = "INTER-HOSPITAL/eq19/H2";
    static final String H3_RESPONDER = "INTER-HOSPITAL/eq20/H3-responder";
    static final String H3_INITIATOR = "INTER-HOSPITAL/eq27/H3-initiator";

    private InterHospitalHashes() {
    }

    /** {@code h_X = H1(ID_X, R_X)}  (seed 002, eq. 3, 7, 11). */
    static BigInteger h1(CurveProfile c, String id, ECPoint r) {
        return HashToScalar.hash(c, LabelledEncoder.of(H1).utf8(id).point(c, r));
    }

    /** {@code SEK = H2(K1, K2)}  (seed 002, eq. 19, 24, 39, 44, 55, 60). */
    static SecretBytes h2(CurveProfile c, ECPoint k1, ECPoint k2, String initiator, String responder, ECPoint tI, ECPoint tR) {
        return Kdf.deriveKey(LabelledEncoder.of(H2).point(c, k1).point(c, k2).utf8(initiator).utf8(responder)
                .point(c, tI).point(c, tR));
    }

    /** {@code CHK_responder = H3(SEK, T_initiator)}  (seed 002, eq. 20, 40, 56). */
    static byte[] chkResponder(CurveProfile c, SecretBytes sek, ECPoint tI, String initiator, String responder, long ts) {
        // the challenge's timestamp is bound too: otherwise anyone could refresh a delayed challenge
        return CheckValues.mac(sek, LabelledEncoder.of(H3_RESPONDER).point(c, tI).utf8(initiator).utf8(responder).int64(ts));
    }

    /** {@code CHK_initiator = H3(SEK, T_responder)}  (seed 002, eq. 27, 47, 63). */
    static byte[] chkInitiator(CurveProfile c, SecretBytes sek, ECPoint tR, String initiator, String responder) {
        return CheckValues.mac(sek, LabelledEncoder.of(H3_INITIATOR).point(c, tR).utf8(initiator).utf8(responder));
    }
}
