package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.util.Arrays;

import supranational.blst.P2;
import supranational.blst.P2_Affine;

/** A G2 element on blst. The wrapped point is never mutated after construction. */
final class BlstG2 implements G2Element {

    private final P2 point;

    BlstG2(P2 point) {
        this.point = point;
    }

    static BlstG2 of(G2Element e) {
        if (e instanceof BlstG2 b) {
            return b;
        }
        throw new IllegalArgumentException("G2 element from another pairing implementation");
    }

    P2_Affine affine() {
        return point.to_affine();
    }

    @Override
    public G2Element add(G2Element other) {
        return new BlstG2(point.dup().add(of(other).point));
    }

    @Override
    public G2Element negate() {
        return new BlstG2(point.dup().neg());
    }

    @Override
    public G2Element multiply(BigInteger k) {
        BigInteger e = k.mod(Bls12381.ORDER);
        if (e.signum() == 0) {
            return new BlstG2(new P2());
        }
        return new BlstG2(point.dup().mult(e));
    }

    @Override
    public boolean isIdentity() {
        return point.is_inf();
    }

    @Override
    public byte[] toBytes() {
        return point.compress();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlstG2 other && Bls12381.constantTimeEquals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
