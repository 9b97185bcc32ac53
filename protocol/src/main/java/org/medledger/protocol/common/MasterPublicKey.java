package org.medledger.protocol.common;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * The KGC's master public key {@code PK = s·P} (EMR-AUTH's public cloud, CLOUD-CHAIN's
 * {@code PK_NA}, INTER-HOSPITAL's blockchain center). Immutable; equal by value.
 */
public final class MasterPublicKey extends PublicPoint {

    private MasterPublicKey(CurveProfile curve, ECPoint point) {
        super(curve, point.normalize());
        // PK is a fixed base for every h·PK: build its comb table once.
        org.bouncycastle.math.ec.FixedPointUtil.precompute(point());
    }

    /** {@code k·PK} with the fixed-base comb table. */
    public ECPoint multiply(java.math.BigInteger k) {
        return new org.bouncycastle.math.ec.FixedPointCombMultiplier().multiply(point(), k.mod(curve().order())).normalize();
    }

    /** The implicit public key {@code R + h·PK} of a partial key {@code (R, S)}. */
    public ECPoint implicitKey(ECPoint r, java.math.BigInteger h) {
        return r.add(multiply(h)).normalize();
    }

    /** Wraps a point after validating it against {@code curve}. */
    public static MasterPublicKey of(CurveProfile curve, ECPoint point) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        return new MasterPublicKey(curve, curve.requireValid(point));
    }

    /** Decodes the SEC1 compressed wire form (as produced by {@link #encoded()}). */
    public static MasterPublicKey decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        return new MasterPublicKey(curve, curve.decodePoint(encoded));
    }

    @Override
    public String toString() {
        return "MasterPublicKey[" + curve().name() + ", " + org.bouncycastle.util.encoders.Hex.toHexString(encoded()) + "]";
    }
}
