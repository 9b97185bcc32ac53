package org.medledger.protocol.common;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/** An HPKE recipient public key ({@code PUK_X} for encryption). Immutable, validated, equal by value. */
public final class KemPublicKey extends PublicPoint {

    private KemPublicKey(CurveProfile curve, ECPoint point) {
        super(curve, point);
    }

    public static KemPublicKey of(CurveProfile curve, ECPoint point) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        return new KemPublicKey(curve, curve.requireValid(point));
    }

    /** From the SEC1 compressed wire form. */
    public static KemPublicKey decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        return new KemPublicKey(curve, curve.decodePoint(encoded));
    }
}
