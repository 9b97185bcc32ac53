package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.util.Arrays;

import supranational.blst.P1;
import supranational.blst.P1_Affine;

/** A G1 element on blst. The wrapped point is never mutated after construction. */
final class BlstG1 implements G1Element {

    private final P1 point;

    BlstG1(P1 point) {
        this.point = point;
    }

    static BlstG1 of(G1Element e) {
        if (e instanceof BlstG1 b) {
            return b;
        }
        throw new IllegalArgumentException("G1 element from another pairing implementation");
    }

    P1_Affine affine() {
        return point.to_affine();
    }

    @Override
    public G1Element add(G1Element other) {
        return new BlstG1(point.dup().add(of(other).point));
    }

    @Override
    public G1Element negate() {
        return new BlstG1(point.dup().neg());
    }

    @Override
    public G1Element multiply(BigInteger k) {
        BigInteger e = k.mod(Bls12381.ORDER);
        if (e.signum() == 0) {
            return new BlstG1(new P1());
        }
        return new BlstG1(point.dup().mult(e));
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
        return o instanceof BlstG1 other && Bls12381.constantTimeEquals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
