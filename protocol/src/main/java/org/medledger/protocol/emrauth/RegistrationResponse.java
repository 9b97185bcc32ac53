package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretScalar;

/**
 * The public cloud's answer to a registration, sent over the secure channel:
 * {@code (R_X1, S_X)} (seed 000, after eq. 3, 6 and 9). {@code S_X} is the registrant's
 * secret. Field encodings: {@code R} SEC1 compressed, {@code S} fixed-length big-endian.
 */
public record RegistrationResponse(ECPoint r, SecretScalar s) {

    static final String LABEL = "EMR-AUTH/RegistrationResponse";

    public RegistrationResponse {
        Objects.requireNonNull(r, "R is required.");
        Objects.requireNonNull(s, "S is required.");
    }

    static RegistrationResponse of(PartialKey key) {
        return new RegistrationResponse(key.publicPoint(), key.secret());
    }

    /** SEC1 compressed {@code R} (for a REST layer to base64). */
    public byte[] encodedR() {
        return s.curve().encodePoint(r);
    }

    /** Fixed-length big-endian {@code S} (for a REST layer to base64; wipe after use). */
    public byte[] encodedS() {
        return s.encoded();
    }

    /** Rebuilds the response from its two field encodings, validating both. */
    public static RegistrationResponse fromFields(CurveProfile curve, byte[] encodedR, byte[] encodedS) throws ProtocolException {
        return new RegistrationResponse(curve.decodePoint(encodedR), SecretScalar.decode(curve, encodedS));
    }

    /** Labelled encoding {@code (R, S)}. */
    public byte[] encode() {
        return LabelledEncoder.of(LABEL).point(s.curve(), r).secret(s).toByteArray();
    }

    public static RegistrationResponse decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        ECPoint r = d.point(curve);
        SecretScalar s = d.secretScalar(curve);
        d.finish();
        return new RegistrationResponse(r, s);
    }

    @Override
    public String toString() {
        return "RegistrationResponse[R=" + org.bouncycastle.util.encoders.Hex.toHexString(encodedR()) + ", S=redacted]";
    }
}
