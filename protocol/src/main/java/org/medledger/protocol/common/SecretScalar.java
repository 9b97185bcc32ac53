package org.medledger.protocol.common;

import java.math.BigInteger;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A secret scalar of a {@link CurveProfile} in {@code [1, n-1]} ({@code s}, {@code S_P},
 * {@code r_i}, ...). Held as fixed-length bytes, never printed, compared in constant time,
 * wipeable.
 *
 * <p>All arithmetic with a secret scalar goes through this class, in constant time:
 * {@link #publicPoint()} ({@code k·P}, the comb), {@link #multiply(ECPoint)} ({@code k·Q},
 * Bouncy Castle's {@code ECConstantTimeMultiplier}), {@link #sumOfTwoMultiplies} (two of
 * those) and {@link #plusProduct} ({@code r + h·k mod n}, fixed-width Montgomery
 * arithmetic). {@link #reveal()} exists for handing the key to Bouncy Castle's ECDSA and
 * HPKE (themselves constant time in 1.86) and for tests; protocol code never multiplies a
 * revealed value ({@code ConstantTimeArithmeticTest} scans for it).
 */
public final class SecretScalar extends Secret {

    private final CurveProfile curve;

    private SecretScalar(CurveProfile curve, byte[] encoded) {
        super(encoded);
        this.curve = curve;
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

    /** An independent copy (destroying one leaves the other whole). */
    public SecretScalar copy() {
        return new SecretScalar(curve, copyOfSecret());
    }

    public CurveProfile curve() {
        return curve;
    }

    /** The scalar value, for the computing line only; do not store it. */
    public BigInteger reveal() {
        return new BigInteger(1, secret());
    }

    /** Fixed-length big-endian bytes (a fresh copy the caller must wipe). */
    public byte[] encoded() {
        return copyOfSecret();
    }

    /** {@code k·P}: the public point of this scalar (fixed-base comb, constant time). */
    public ECPoint publicPoint() {
        requireAlive();
        return curve.fixedBaseMultiplier().multiply(curve.generator(), reveal()).normalize();
    }

    /**
     * {@code k·Q} for a validated point {@code Q}, in constant time (a signed fixed window
     * over all bits of {@code n}, table entries read by cache-safe lookup).
     */
    public ECPoint multiply(ECPoint q) {
        Objects.requireNonNull(q, "Point is required.");
        requireAlive();
        return curve.secretMultiplier().multiply(q, reveal()).normalize();
    }

    /**
     * {@code a·A + b·B} with both scalars secret (e.g. {@code K1 = S_D·R_P2 + r_6·X_P}): two
     * constant-time multiplications and one addition.
     */
    public static ECPoint sumOfTwoMultiplies(SecretScalar a, ECPoint pa, SecretScalar b, ECPoint pb) {
        return a.multiply(pa).add(b.multiply(pb)).normalize();
    }

    /**
     * {@code this + h·k mod n} for a public {@code h} (a partial private key
     * {@code S = r + h·s}), in fixed-width Montgomery arithmetic
     * ({@code BigIntegers.modMult}/{@code modAdd}), never {@code BigInteger} arithmetic.
     *
     * @throws ProtocolException {@link Reason#BAD_SCALAR} if the sum is zero (probability 1/n)
     */
    public SecretScalar plusProduct(BigInteger h, SecretScalar k) throws ProtocolException {
        Objects.requireNonNull(h, "Multiplier is required.");
        Objects.requireNonNull(k, "Secret is required.");
        if (!k.curve.equals(curve)) {
            throw new IllegalArgumentException("Scalars of different curves.");
        }
        BigInteger n = curve.order();
        BigInteger product = BigIntegers.modMult(n, h.mod(n), k.reveal());
        byte[] sum = BigIntegers.asUnsignedByteArray(curve.scalarLength(), BigIntegers.modAdd(n, reveal(), product));
        if (isZero(sum)) {
            throw new ProtocolException(Reason.BAD_SCALAR, "secret scalar out of range");
        }
        return new SecretScalar(curve, sum);
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    @Override
    boolean samePublicPart(Secret other) {
        return curve.equals(((SecretScalar) other).curve);
    }

    @Override
    public int hashCode() {
        return curve.hashCode();
    }

    @Override
    String publicPart() {
        return curve.name();
    }
}
