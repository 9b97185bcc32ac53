package org.medledger.protocol.common;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECConstantTimeMultiplier;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.util.BigIntegers;

/**
 * The elliptic-curve group of the common profile (PROTOCOLS.md §0): a prime-order named
 * curve, its generator {@code P}, order {@code n}, and the strict wire codecs for points
 * (SEC1 compressed) and scalars (fixed-length big-endian, in {@code [1, n-1]}).
 *
 * <p>Every length is derived from the curve; nothing assumes 256 bits. Instances are
 * immutable and thread-safe; the generator table for fixed-base multiplication is built
 * once per profile.
 *
 * <p>Secret scalars never reach the variable-time methods here ({@link #multiply},
 * {@link #sumOfTwoMultiplies}, which use wNAF): {@link SecretScalar} multiplies through
 * {@link #fixedBaseMultiplier()} (the comb, for {@code k·P}) and
 * {@link #secretMultiplier()} (a regular signed fixed window with cache-safe table lookups,
 * for {@code k·Q}). See docs/protocols/ecc-common-profile.md, "Constant time".
 */
public final class CurveProfile {

    private static final CurveProfile P256 = load("P-256", "secp256r1");
    private static final CurveProfile P384 = load("P-384", "secp384r1");

    private final String name;
    private final ECDomainParameters domain;
    private final ECCurve curve;
    private final ECPoint generator;
    private final BigInteger order;
    private final int fieldLength;
    private final int scalarLength;
    private final FixedPointCombMultiplier fixedBase = new FixedPointCombMultiplier();
    private final ECMultiplier secretMultiplier;

    private CurveProfile(String name, X9ECParameters x9) {
        this.name = name;
        this.domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
        this.curve = domain.getCurve();
        this.generator = domain.getG().normalize();
        this.order = domain.getN();
        if (!BigInteger.ONE.equals(domain.getH())) {
            throw new IllegalArgumentException("Only prime-order curves (cofactor 1) are supported: " + name);
        }
        this.fieldLength = curve.getFieldElementEncodingLength();
        this.scalarLength = BigIntegers.getUnsignedByteLength(order);
        this.secretMultiplier = new ECConstantTimeMultiplier(order);
        // Build the comb table for the generator once, so every r·P is a fixed-base multiplication.
        FixedPointUtil.precompute(generator);
    }

    private static CurveProfile load(String name, String bcName) {
        // Prefer Bouncy Castle's specialised implementation (fast field arithmetic for the NIST
        // primes); the generic table would give a BigInteger-based curve several times slower.
        X9ECParameters x9 = CustomNamedCurves.getByName(bcName);
        if (x9 == null) {
            x9 = ECNamedCurveTable.getByName(bcName);
        }
        if (x9 == null) {
            throw new IllegalStateException("Curve not available: " + bcName);
        }
        return new CurveProfile(name, x9);
    }

    /** NIST P-256 (secp256r1), the default curve of the profile. */
    public static CurveProfile p256() {
        return P256;
    }

    /** NIST P-384 (secp384r1), the configurable alternative. */
    public static CurveProfile p384() {
        return P384;
    }

    /**
     * Looks up a profile by configuration value: {@code P-256}/{@code secp256r1} or
     * {@code P-384}/{@code secp384r1} (case-insensitive).
     */
    public static CurveProfile named(String configured) throws ProtocolException {
        Objects.requireNonNull(configured, "Curve name is required.");
        switch (configured.trim().toLowerCase(Locale.ROOT)) {
            case "p-256":
            case "p256":
            case "secp256r1":
            case "prime256v1":
                return P256;
            case "p-384":
            case "p384":
            case "secp384r1":
                return P384;
            default:
                throw new ProtocolException(Reason.BAD_PARAMETER, "unsupported curve");
        }
    }

    /** Profile name, e.g. {@code P-256}; also used in domain-separation tags. */
    public String name() {
        return name;
    }

    public ECDomainParameters domain() {
        return domain;
    }

    public ECCurve curve() {
        return curve;
    }

    /** The generator {@code P} (normalized, with a precomputed comb table). */
    public ECPoint generator() {
        return generator;
    }

    /** The prime group order {@code n}. */
    public BigInteger order() {
        return order;
    }

    /** Length in bytes of an encoded scalar. */
    public int scalarLength() {
        return scalarLength;
    }

    /** Length in bytes of a field element (an x-coordinate or a shared secret). */
    public int fieldLength() {
        return fieldLength;
    }

    /** Length in bytes of a SEC1 compressed point. */
    public int compressedPointLength() {
        return 1 + fieldLength;
    }

    // ---------------------------------------------------------------- arithmetic

    /**
     * {@code k·P} with the fixed-base comb table: a fixed number of doublings and additions
     * with cache-safe table lookups, so also the path of every secret {@code k}
     * ({@link SecretScalar#publicPoint()}).
     */
    public ECPoint multiplyGenerator(BigInteger k) {
        return fixedBase.multiply(generator, k.mod(order)).normalize();
    }

    /** {@code k·Q} for a validated point and a <b>public</b> scalar (wNAF, variable time). */
    public ECPoint multiply(ECPoint q, BigInteger k) {
        return q.multiply(k.mod(order)).normalize();
    }

    /**
     * {@code a·A + b·B} for <b>public</b> scalars, as one interleaved wNAF multiplication
     * (variable time). With a secret scalar use {@link SecretScalar#sumOfTwoMultiplies}.
     */
    public ECPoint sumOfTwoMultiplies(ECPoint a, BigInteger ka, ECPoint b, BigInteger kb) {
        return ECAlgorithms.sumOfTwoMultiplies(a, ka.mod(order), b, kb.mod(order)).normalize();
    }

    /** {@code k·P + h·Q} for public scalars (variable time). */
    public ECPoint multiplyGeneratorPlus(BigInteger k, ECPoint q, BigInteger h) {
        return sumOfTwoMultiplies(generator, k, q, h);
    }

    /** The multiplier of secret scalars by the generator: the comb. */
    ECMultiplier fixedBaseMultiplier() {
        return fixedBase;
    }

    /** The multiplier of secret scalars by any other point: constant time. */
    ECMultiplier secretMultiplier() {
        return secretMultiplier;
    }

    /** A uniformly random scalar in {@code [1, n-1]}. */
    public BigInteger randomScalar(SecureRandom random) {
        Objects.requireNonNull(random, "Randomness is required.");
        BigInteger k;
        do {
            k = BigIntegers.createRandomBigInteger(order.bitLength(), random);
        } while (k.signum() == 0 || k.compareTo(order) >= 0);
        return k;
    }

    /** Returns {@code x mod n}. */
    public BigInteger reduce(BigInteger x) {
        return x.mod(order);
    }

    // ---------------------------------------------------------------- point codec

    /** SEC1 compressed encoding of a finite point. */
    public byte[] encodePoint(ECPoint point) {
        Objects.requireNonNull(point, "Point is required.");
        if (point.isInfinity()) {
            throw new IllegalArgumentException("The point at infinity has no wire encoding.");
        }
        if (!point.getCurve().equals(curve)) {
            throw new IllegalArgumentException("Point belongs to another curve.");
        }
        return point.getEncoded(true);
    }

    /**
     * Decodes and validates a SEC1 compressed point: exact length, prefix 0x02/0x03 only
     * (uncompressed 0x04 and hybrid 0x06/0x07 are refused), x below the field prime, on
     * the curve, not the identity.
     *
     * @throws ProtocolException {@link Reason#BAD_POINT} on any violation
     */
    public ECPoint decodePoint(byte[] encoded) throws ProtocolException {
        if (encoded == null || encoded.length != compressedPointLength()) {
            throw new ProtocolException(Reason.BAD_POINT, "point has wrong length");
        }
        byte prefix = encoded[0];
        if (prefix != 0x02 && prefix != 0x03) {
            throw new ProtocolException(Reason.BAD_POINT, "point is not SEC1 compressed");
        }
        return decodeChecked(encoded);
    }

    /**
     * Decodes a SEC1 point given either compressed or uncompressed; hybrid encodings and
     * the identity are refused. For interoperability inputs (test vectors, HPKE encapsulations)
     * only; protocol fields use {@link #decodePoint(byte[])}.
     */
    public ECPoint decodePointAnyFormat(byte[] encoded) throws ProtocolException {
        if (encoded == null || encoded.length == 0) {
            throw new ProtocolException(Reason.BAD_POINT, "point is empty");
        }
        byte prefix = encoded[0];
        if (prefix == 0x04) {
            if (encoded.length != 1 + 2 * fieldLength) {
                throw new ProtocolException(Reason.BAD_POINT, "point has wrong length");
            }
            return decodeChecked(encoded);
        }
        return decodePoint(encoded);
    }

    private ECPoint decodeChecked(byte[] encoded) throws ProtocolException {
        ECPoint p;
        try {
            // BC checks x, y < p, decompresses, and validates the curve equation.
            p = curve.decodePoint(encoded);
        } catch (RuntimeException e) {
            throw new ProtocolException(Reason.BAD_POINT, "point is not on the curve");
        }
        if (p.isInfinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "point is the identity");
        }
        p = p.normalize();
        if (!p.isValid()) {
            throw new ProtocolException(Reason.BAD_POINT, "point is not on the curve");
        }
        return p;
    }

    /**
     * Validates a point that arrived in object form (e.g. from a JCA key): it must lie on
     * this curve and not be the identity.
     */
    public ECPoint requireValid(ECPoint p) throws ProtocolException {
        if (p == null || p.isInfinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "point is missing or the identity");
        }
        ECPoint imported;
        try {
            imported = curve.importPoint(p).normalize();
        } catch (RuntimeException e) {
            throw new ProtocolException(Reason.BAD_POINT, "point belongs to another curve");
        }
        if (!imported.isValid()) {
            throw new ProtocolException(Reason.BAD_POINT, "point is not on the curve");
        }
        return imported;
    }

    // ---------------------------------------------------------------- scalar codec

    /** Fixed-length big-endian encoding of a scalar in {@code [0, n-1]}. */
    public byte[] encodeScalar(BigInteger k) {
        Objects.requireNonNull(k, "Scalar is required.");
        if (k.signum() < 0 || k.compareTo(order) >= 0) {
            throw new IllegalArgumentException("Scalar out of range.");
        }
        return BigIntegers.asUnsignedByteArray(scalarLength, k);
    }

    /**
     * Decodes a fixed-length big-endian scalar and requires it in {@code [1, n-1]}.
     *
     * @throws ProtocolException {@link Reason#BAD_SCALAR} on wrong length or range
     */
    public BigInteger decodeScalar(byte[] encoded) throws ProtocolException {
        if (encoded == null || encoded.length != scalarLength) {
            throw new ProtocolException(Reason.BAD_SCALAR, "scalar has wrong length");
        }
        BigInteger k = new BigInteger(1, encoded);
        if (k.signum() == 0 || k.compareTo(order) >= 0) {
            throw new ProtocolException(Reason.BAD_SCALAR, "scalar out of range");
        }
        return k;
    }

    /** The x-coordinate of a point as a fixed-length byte string (an ECDH shared secret). */
    public byte[] xCoordinate(ECPoint p) {
        ECPoint n = p.normalize();
        return BigIntegers.asUnsignedByteArray(fieldLength, n.getAffineXCoord().toBigInteger());
    }

    boolean sameCurveAs(ECCurve other) {
        return curve.equals(other);
    }

    @Override
    public String toString() {
        return "CurveProfile[" + name + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CurveProfile && ((CurveProfile) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    static byte[] copy(byte[] b) {
        return b == null ? null : Arrays.copyOf(b, b.length);
    }
}
