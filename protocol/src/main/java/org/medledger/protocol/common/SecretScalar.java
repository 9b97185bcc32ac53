package org.medledger.protocol.common;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import javax.security.auth.Destroyable;

import org.bouncycastle.util.BigIntegers;

/**
 * A secret scalar of a {@link CurveProfile} in {@code [1, n-1]} ({@code s}, {@code S_P},
 * {@code r_i}, ...). Held as fixed-length bytes, never printed, compared in constant time,
 * wipeable. {@link #reveal()} is the one explicit way out, for the line that computes with it.
 */
public final class SecretScalar implements Destroyable {

    private final CurveProfile curve;
    private final byte[] encoded;
    private volatile boolean destroyed;

    private SecretScalar(CurveProfile curve, byte[] encoded) {
        this.curve = curve;
        this.encoded = encoded;
    }

    /**
     * Wraps {@code k}, which must lie in {@code [1, n-1]}.
     *
     * @throws ProtocolException {@link Reason#BAD_SCALAR} if out of range
     */
    public static SecretScalar of(CurveProfile curve, BigInteger k) throws ProtocolException {
        Objects.requireNonNull(curve, "Curve is required.");
        if (k == null || k.signum() <= 0 || k.compareTo(curve.order()) >= 0) {
            throw new ProtocolException(Reason.BAD_SCALAR, "secret scalar out of range");
        }
        return new SecretScalar(curve, BigIntegers.asUnsignedByteArray(curve.scalarLength(), k));
    }

    /** Decodes a fixed-length big-endian scalar (e.g. {@code S_P} received from the KGC). */
    public static SecretScalar decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        return of(curve, curve.decodeScalar(encoded));
    }

    /** A fresh uniformly random secret scalar. */
    public static SecretScalar random(CurveProfile curve, java.security.SecureRandom random) {
        BigInteger k = curve.randomScalar(random);
        return new SecretScalar(curve, BigIntegers.asUnsignedByteArray(curve.scalarLength(), k));
    }

    public CurveProfile curve() {
        return curve;
    }

    /** The scalar value, for the computing line only; do not store it. */
    public BigInteger reveal() {
        requireAlive();
        return new BigInteger(1, encoded);
    }

    /** Fixed-length big-endian bytes (a fresh copy the caller must wipe). */
    public byte[] encoded() {
        requireAlive();
        return Arrays.copyOf(encoded, encoded.length);
    }

    /** {@code k·P}: the public point of this scalar. */
    public org.bouncycastle.math.ec.ECPoint publicPoint() {
        return curve.multiplyGenerator(reveal());
    }

    @Override
    public void destroy() {
        Arrays.fill(encoded, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    private void requireAlive() {
        if (destroyed) {
            throw new IllegalStateException("Secret has been destroyed.");
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SecretScalar)) {
            return false;
        }
        SecretScalar other = (SecretScalar) o;
        requireAlive();
        other.requireAlive();
        return curve.equals(other.curve) && MessageDigest.isEqual(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        return curve.hashCode();
    }

    @Override
    public String toString() {
        return "SecretScalar[" + curve.name() + ", redacted]";
    }
}
