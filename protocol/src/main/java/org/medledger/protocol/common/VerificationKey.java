package org.medledger.protocol.common;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/** An ECDSA public key ({@code PUK_X} for signatures). Immutable, validated, equal by value. */
public final class VerificationKey {

    private final CurveProfile curve;
    private final ECPoint point;

    private VerificationKey(CurveProfile curve, ECPoint point) {
        this.curve = curve;
        this.point = point;
    }

    public static VerificationKey of(CurveProfile curve, ECPoint point) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        return new VerificationKey(curve, curve.requireValid(point));
    }

    /** From the SEC1 compressed wire form. */
    public static VerificationKey decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        return new VerificationKey(curve, curve.decodePoint(encoded));
    }

    public CurveProfile curve() {
        return curve;
    }

    public ECPoint point() {
        return point;
    }

    public byte[] encoded() {
        return curve.encodePoint(point);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerificationKey && ((VerificationKey) o).curve.equals(curve) && ((VerificationKey) o).point.equals(point);
    }

    @Override
    public int hashCode() {
        return point.hashCode();
    }

    @Override
    public String toString() {
        return "VerificationKey[" + Hex.toHexString(encoded()) + "]";
    }
}
