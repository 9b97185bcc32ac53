package org.medledger.protocol.common;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/** An HPKE recipient public key ({@code PUK_X} for encryption). Immutable, validated. */
public final class KemPublicKey {

    private final CurveProfile curve;
    private final ECPoint point;

    private KemPublicKey(CurveProfile curve, ECPoint point) {
        this.curve = curve;
        this.point = point;
    }

    public static KemPublicKey of(CurveProfile curve, ECPoint point) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        return new KemPublicKey(curve, curve.requireValid(point));
    }

    public static KemPublicKey decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        return new KemPublicKey(curve, curve.decodePoint(encoded));
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
        return o instanceof KemPublicKey && ((KemPublicKey) o).curve.equals(curve) && ((KemPublicKey) o).point.equals(point);
    }

    @Override
    public int hashCode() {
        return point.hashCode();
    }

    @Override
    public String toString() {
        return "KemPublicKey[" + Hex.toHexString(encoded()) + "]";
    }
}
