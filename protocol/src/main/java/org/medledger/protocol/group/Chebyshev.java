package org.medledger.protocol.group;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

import org.bouncycastle.util.BigIntegers;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Chebyshev polynomials over Z_p (PROTOCOLS.md §5): T_0 = 1, T_1 = y,
 * T_n(y) = 2y·T_{n−1}(y) − T_{n−2}(y) mod p, with the semigroup property
 * T_r(T_s(y)) = T_{rs}(y).
 *
 * <p>Two evaluations, tested equal: the closed form T_n(y) = (u^n + u^{-n})/2 with
 * u = y + √(y²−1) (one modular exponentiation), and the recurrence evaluated by the
 * doubling ladder T_{2k} = 2T_k² − 1, T_{2k+1} = 2T_k·T_{k+1} − y (log n steps).
 *
 * <p>The protocol uses the closed form ({@link #ofBase}, {@link #closedForm}), whose
 * exponent is always a secret: it is blinded and the rest runs in constant-time arithmetic
 * (see docs/protocols/group-agg.md). {@link #recurrence} is the test reference only.
 */
public final class Chebyshev {

    /** Bits by which the random split of a secret exponent exceeds the exponent. */
    private static final int BLIND_BITS = 64;

    private final ChebyshevParameters params;
    private final SecureRandom blinding;
    /**
     * Values with their root that passed {@link #requireValid(BigInteger, BigInteger)} here, held
     * weakly: validity is a property of the value, so a message decoded (and validated) once is not
     * checked again by the member that processes it.
     */
    private final Map<ChebyshevValue, Boolean> validated = Collections.synchronizedMap(new WeakHashMap<>());

    public Chebyshev(ChebyshevParameters params) {
        this(params, new SecureRandom());
    }

    /** With the source of the exponent blinds (tests observe it). */
    Chebyshev(ChebyshevParameters params, SecureRandom blinding) {
        this.params = Objects.requireNonNull(params, "parameters are required");
        this.blinding = Objects.requireNonNull(blinding, "blinding randomness is required");
    }

    public ChebyshevParameters parameters() {
        return params;
    }

    /** T_n(x) for the public base x, closed form: (g^n + g^{-n})/2 mod p. */
    public BigInteger ofBase(BigInteger n) {
        return ofBaseValue(n).y();
    }

    /**
     * T_n(x) with the root of T_n(x)² − 1 (deviation G16): for v = g^n, y = (v + v^{-1})/2 and
     * √(y² − 1) = (v − v^{-1})/2, so the root costs one subtraction and one multiplication.
     */
    public ChebyshevValue ofBaseValue(BigInteger n) {
        BigInteger p = params.p();
        MontgomeryField f = params.field();
        BigInteger v = blindedPow(params.g(), params.gInverse(), n);
        BigInteger inv = BigIntegers.modOddInverse(p, v);
        // T_n(x) = (g^n + g^{-n})/2 mod p  (PROTOCOLS.md §5)
        BigInteger y = f.half(f.add(v, inv));
        BigInteger root = f.half(f.subtract(v, inv));
        return new ChebyshevValue(y, root);
    }

    /**
     * T_n(y), closed form. {@code y} must have passed {@link #requireValid}: then y²−1 is a
     * square and u = y + √(y²−1) lies in the order-q subgroup. Computes the square root
     * (one 2047-bit exponentiation); {@link #closedForm(BigInteger, ChebyshevValue)} does not.
     */
    public BigInteger closedForm(BigInteger n, BigInteger y) {
        return closedForm(n, withRoot(y));
    }

    /** T_n(y) for a checked value with its root: u = y + root, T_n(y) = (u^n + u^{-n})/2 mod p. */
    public BigInteger closedForm(BigInteger n, ChebyshevValue v) {
        BigInteger p = params.p();
        // u = y + root and u^{-1} = y − root, since (y + root)(y − root) = y² − root² = 1 (public values)
        BigInteger u = v.y().add(v.root()).mod(p);
        BigInteger uInverse = v.y().subtract(v.root()).mod(p);
        // T_n(y) = (u^n + u^{-n})/2 mod p
        return halfSumWithInverse(blindedPow(u, uInverse, n));
    }

    /** The value with its root computed here (one 2047-bit exponentiation); {@code y} must be valid. */
    public ChebyshevValue withRoot(BigInteger y) {
        BigInteger p = params.p();
        BigInteger d = y.multiply(y).subtract(BigInteger.ONE).mod(p);
        return new ChebyshevValue(y, d.modPow(p.add(BigInteger.ONE).shiftRight(2), p));
    }

    /**
     * {@code base^n mod p} for a base of order q, with the exponent split: every call draws a
     * fresh {@code a} of {@code L + 64} bits (top bit set, L = max(exponent bits, bits of n)) and
     * computes {@code base^a · (base^{-1})^{a−n}}. Each {@code BigInteger.modPow} (sliding window,
     * not constant time) runs on an exponent within 2^-64 of uniform and independent of the
     * secret {@code n}, and both stay short (deviation G16; a blind {@code n + k·q} would make
     * them as long as q). The base and its inverse are public (g, or u of a validated received
     * value), so no secret is inverted here; the product is fixed-width Montgomery arithmetic.
     * Exponents are secrets (the member's s_i, the run's r_i).
     */
    private BigInteger blindedPow(BigInteger base, BigInteger baseInverse, BigInteger n) {
        BigInteger p = params.p();
        int bits = Math.max(params.exponentBits(), n.bitLength()) + BLIND_BITS;
        BigInteger a = new BigInteger(bits - 1, blinding).setBit(bits - 1);
        BigInteger x1 = base.modPow(a, p);
        BigInteger x2 = baseInverse.modPow(a.subtract(n), p);
        return params.field().multiply(x1, x2);
    }

    /**
     * (v + v^{-1})/2 mod p for a secret v: Bouncy Castle's constant-time inverse (safegcd)
     * and fixed-width addition and halving ({@link MontgomeryField}), no {@code BigInteger} arithmetic.
     */
    private BigInteger halfSumWithInverse(BigInteger v) {
        MontgomeryField f = params.field();
        return f.half(f.add(v, BigIntegers.modOddInverse(params.p(), v)));
    }

    /** T_n(y) by the recurrence, as a doubling ladder over the bits of n; any y in Z_p. */
    public BigInteger recurrence(BigInteger n, BigInteger y) {
        if (n.signum() < 0) {
            throw new IllegalArgumentException("n must be non-negative");
        }
        BigInteger p = params.p();
        // invariant: (a, b) = (T_k(y), T_{k+1}(y)), starting at k = 0
        BigInteger a = BigInteger.ONE;
        BigInteger b = y.mod(p);
        for (int i = n.bitLength() - 1; i >= 0; i--) {
            // T_{2k+1} = 2·T_k·T_{k+1} − y
            BigInteger odd = a.multiply(b).shiftLeft(1).subtract(y).mod(p);
            if (n.testBit(i)) {
                // T_{2k+2} = 2·T_{k+1}² − 1
                b = b.multiply(b).shiftLeft(1).subtract(BigInteger.ONE).mod(p);
                a = odd;
            } else {
                // T_{2k} = 2·T_k² − 1
                a = a.multiply(a).shiftLeft(1).subtract(BigInteger.ONE).mod(p);
                b = odd;
            }
        }
        return a;
    }

    /**
     * Validates a received Chebyshev value: y ∈ [2, p−2], y² − 1 a non-zero square (so
     * u = y + √(y²−1) lies in Fp), and u of order q. These are exactly the values T_k(x),
     * k ∈ [1, q−1]; anything else (non-residue or order-2q values that would leak key bits)
     * is refused with {@link Reason#BAD_PARAMETER}.
     *
     * <p>u has order q iff u is a square mod the safe prime p, and since
     * 2(y + 1) = u + 2 + u^{-1} = (u + 1)²/u, iff 2(y + 1) is a square. Both tests are
     * Legendre symbols, computed as Jacobi symbols without exponentiation.
     */
    public BigInteger requireValid(BigInteger y) throws ProtocolException {
        BigInteger p = params.p();
        if (y == null || y.compareTo(BigInteger.TWO) < 0 || y.compareTo(p.subtract(BigInteger.TWO)) > 0) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev value outside [2, p-2]");
        }
        BigInteger d = y.multiply(y).subtract(BigInteger.ONE).mod(p);
        if (jacobi(d, p) != 1) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev value is not of the form T_k(x)");
        }
        if (jacobi(y.add(BigInteger.ONE).shiftLeft(1).mod(p), p) != 1) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev value is outside the order-q subgroup");
        }
        return y;
    }

    /** The Jacobi symbol (a/n) for odd n > 0 (binary algorithm with quadratic reciprocity). */
    static int jacobi(BigInteger a, BigInteger n) {
        if (n.signum() <= 0 || !n.testBit(0)) {
            throw new IllegalArgumentException("n must be odd and positive");
        }
        a = a.mod(n);
        int t = 1;
        while (a.signum() != 0) {
            int z = a.getLowestSetBit();
            a = a.shiftRight(z);
            int n8 = n.intValue() & 7;
            if ((z & 1) == 1 && (n8 == 3 || n8 == 5)) {
                t = -t;
            }
            // reciprocity: swap, flipping the sign when both are 3 mod 4
            if ((a.intValue() & 3) == 3 && (n.intValue() & 3) == 3) {
                t = -t;
            }
            BigInteger r = n.mod(a);
            n = a;
            a = r;
        }
        return n.equals(BigInteger.ONE) ? t : 0;
    }

    /**
     * Validates a received value with its root (deviation G16): y ∈ [2, p−2], root² = y² − 1
     * (so y² − 1 is a non-zero square, without a Jacobi symbol), and u = y + root of order q
     * (2(y + 1) a square, one Jacobi symbol). Exactly the values T_k(x), k ∈ [1, q−1].
     */
    public ChebyshevValue requireValid(BigInteger y, BigInteger root) throws ProtocolException {
        BigInteger p = params.p();
        if (y == null || root == null || y.compareTo(BigInteger.TWO) < 0 || y.compareTo(p.subtract(BigInteger.TWO)) > 0
                || root.signum() <= 0 || root.compareTo(p) >= 0) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev value or root outside Z_p");
        }
        if (!root.multiply(root).subtract(y.multiply(y)).add(BigInteger.ONE).mod(p).equals(BigInteger.ZERO)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "root² ≠ y² − 1: not a Chebyshev value with its root");
        }
        ChebyshevValue value = new ChebyshevValue(y, root);
        if (validated.containsKey(value)) {
            return value;
        }
        if (jacobi(y.add(BigInteger.ONE).shiftLeft(1).mod(p), p) != 1) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev value is outside the order-q subgroup");
        }
        validated.put(value, Boolean.TRUE);
        return value;
    }

    /** Decodes y ‖ root (fixed length) and validates both. */
    public ChebyshevValue decodeValue(byte[] encoded) throws ProtocolException {
        int n = params.byteLength();
        if (encoded == null || encoded.length != 2 * n) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "Chebyshev value with root must be " + 2 * n + " bytes");
        }
        return requireValid(new BigInteger(1, java.util.Arrays.copyOfRange(encoded, 0, n)),
                new BigInteger(1, java.util.Arrays.copyOfRange(encoded, n, 2 * n)));
    }

    /** Decodes a fixed-length value and validates it. */
    public BigInteger decode(byte[] encoded) throws ProtocolException {
        if (encoded == null || encoded.length != params.byteLength()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "Chebyshev value must be " + params.byteLength() + " bytes");
        }
        return requireValid(new BigInteger(1, encoded));
    }

    /**
     * A fresh short exponent in [2, 2^N) with N = {@link ChebyshevParameters#exponentBits()}:
     * the security of the group, not the size of q (deviation G16).
     */
    public BigInteger randomExponent(java.security.SecureRandom random) {
        BigInteger e;
        do {
            e = new BigInteger(params.exponentBits(), random);
        } while (e.compareTo(BigInteger.TWO) < 0);
        return e;
    }
}
