package org.medledger.protocol.common;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/** An ECDSA public key ({@code PUK_X} for signatures). Immutable, validated, equal by value. */
public final class VerificationKey extends PublicPoint {

    private VerificationKey(CurveProfile curve, ECPoint point) {
        super(curve, point);
    }

    public static VerificationKey of(CurveProfile curve, ECPoint point) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        return new VerificationKey(curve, curve.requireValid(point));
    }

    /** From the SEC1 compressed wire form. */
    public static VerificationKey decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        return new VerificationKey(curve, curve.decodePoint(encoded));
    }
}
