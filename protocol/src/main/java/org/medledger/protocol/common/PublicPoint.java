package org.medledger.protocol.common;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;

/**
 * A validated public point on a curve profile: the one shape of {@link KemPublicKey},
 * {@link VerificationKey} and {@link MasterPublicKey}, which stay distinct types so that a key
 * for one purpose is never accepted for another. Immutable; equal by value within its own type.
 */
abstract sealed class PublicPoint permits KemPublicKey, VerificationKey, MasterPublicKey {

    private final CurveProfile curve;
    private final ECPoint point;

    /** {@code point} must already be validated against {@code curve}. */
    PublicPoint(CurveProfile curve, ECPoint point) {
        this.curve = curve;
        this.point = point;
    }

    public CurveProfile curve() {
        return curve;
    }

    public ECPoint point() {
        return point;
    }

    /** SEC1 compressed encoding. */
    public byte[] encoded() {
        return curve.encodePoint(point);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((PublicPoint) o).curve.equals(curve)
                && ((PublicPoint) o).point.equals(point);
    }

    @Override
    public final int hashCode() {
        return point.hashCode();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + Hex.toHexString(encoded()) + "]";
    }
}
