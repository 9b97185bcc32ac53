package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.milagro.amcl.BLS381.BIG;
import org.apache.milagro.amcl.BLS381.ECP;
import org.apache.milagro.amcl.BLS381.ECP2;
import org.apache.milagro.amcl.BLS381.FP12;
import org.apache.milagro.amcl.BLS381.FP2;
import org.apache.milagro.amcl.BLS381.PAIR;
import org.apache.milagro.amcl.BLS381.ROM;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * BLS12-381 in pure Java on the Apache Milagro (AMCL) curve and pairing arithmetic, with
 * the same encodings and the same pairing values as {@link Bls12381} (blst), so the two can
 * be swapped, or mixed, without re-issuing keys or re-encrypting: compressed G1/G2 in the
 * ZCash format, GT as twelve big-endian coefficients in blst's order. Hash to G1 is our
 * RFC 9380 implementation ({@link HashToG1}); decoders check subgroup membership by
 * multiplying by r (GT: after a cyclotomic-subgroup check, see {@link #inGt}). About ten times slower than blst; no native code, so nothing to
 * install in the application server.
 *
 * <p>Milagro's objects are mutable and several of its routines normalise their arguments
 * in place; every element here copies before handing a value to the library.
 */
public final class Bls12381PureJava implements PairingGroup {

    private static final BigInteger P = Bls12381.FIELD_PRIME;
    private static final BigInteger HALF_P = P.subtract(BigInteger.ONE).shiftRight(1);
    private static final BigInteger SQRT_EXP = P.add(BigInteger.ONE).shiftRight(2);
    private static final BIG R = big(Bls12381.ORDER);
    /** The constant of Milagro's p-power Frobenius on its BLS12-381 tower. */
    private static final FP2 FROBENIUS = new FP2(new BIG(ROM.Fra), new BIG(ROM.Frb));
    /** GT coefficient j of Milagro's serialization is coefficient SERIAL[j] of blst's. */
    private static final int[] SERIAL = {0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11};

    private static final Bls12381PureJava INSTANCE = new Bls12381PureJava();

    private final JG1 g1 = new JG1(ECP.generator());
    private final JG2 g2 = new JG2(ECP2.generator());
    private final JGt one;

    private Bls12381PureJava() {
        FP12 unit = new FP12(1);
        this.one = new JGt(unit);
    }

    public static Bls12381PureJava get() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "BLS12-381";
    }

    @Override
    public BigInteger order() {
        return Bls12381.ORDER;
    }

    @Override
    public G1Element g1() {
        return g1;
    }

    @Override
    public G2Element g2() {
        return g2;
    }

    @Override
    public GtElement gtOne() {
        return one;
    }

    @Override
    public int g1Length() {
        return Bls12381.G1_BYTES;
    }

    @Override
    public int g2Length() {
        return Bls12381.G2_BYTES;
    }

    @Override
    public int gtLength() {
        return Bls12381.GT_BYTES;
    }

    @Override
    public G1Element hashToG1(byte[] message, String dst) {
        Objects.requireNonNull(message, "message is required");
        Objects.requireNonNull(dst, "dst is required");
        if (dst.isEmpty() || dst.length() > 255 || !dst.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("DST must be 1..255 printable ASCII characters");
        }
        // u = hash_to_field(msg, 2); Q0 = map_to_curve(u0); Q1 = map_to_curve(u1)  (RFC 9380 §3)
        BigInteger[] u = HashToG1.hashToField(message, dst);
        ECP r = point(HashToG1.mapToCurve(u[0]));
        // R = Q0 + Q1
        r.add(point(HashToG1.mapToCurve(u[1])));
        // P = clear_cofactor(R) = h_eff·R  (generic multiplication: R is not yet in the subgroup)
        return new JG1(r.mul(big(HashToG1.H_EFF)));
    }

    private static ECP point(HashToG1.Affine a) {
        return a == null ? new ECP() : new ECP(big(a.x()), big(a.y()));
    }

    @Override
    public GtElement pair(G1Element p, G2Element q) {
        return multiPair(List.of(p), List.of(q));
    }

    @Override
    public GtElement multiPair(List<G1Element> ps, List<G2Element> qs) {
        if (ps.size() != qs.size()) {
            throw new IllegalArgumentException("multi-pairing needs as many G1 as G2 elements");
        }
        FP12 acc = null;
        for (int i = 0; i < ps.size(); i++) {
            JG1 p = JG1.of(ps.get(i));
            JG2 q = JG2.of(qs.get(i));
            if (p.isIdentity() || q.isIdentity()) {
                continue;
            }
            FP12 ml = PAIR.ate(new ECP2(q.point), new ECP(p.point));
            if (acc == null) {
                acc = ml;
            } else {
                acc.mul(ml);
            }
        }
        return acc == null ? one : new JGt(PAIR.fexp(acc));
    }

    @Override
    public G1Element decodeG1(byte[] encoding) throws ProtocolException {
        requireFlags(encoding, Bls12381.G1_BYTES, "G1");
        BigInteger x = coordinate(encoding, 0);
        BigInteger rhs = x.pow(3).add(BigInteger.valueOf(4)).mod(P);
        BigInteger y = rhs.modPow(SQRT_EXP, P);
        if (!y.multiply(y).mod(P).equals(rhs)) {
            throw new ProtocolException(Reason.BAD_POINT, "G1 element is not on the curve");
        }
        if (largest(y) != signFlag(encoding)) {
            y = P.subtract(y);
        }
        ECP point = new ECP(big(x), big(y));
        if (point.is_infinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "G1 element is not on the curve");
        }
        if (!new ECP(point).mul(R).is_infinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "G1 element is not in the prime-order subgroup");
        }
        return new JG1(point);
    }

    @Override
    public G2Element decodeG2(byte[] encoding) throws ProtocolException {
        requireFlags(encoding, Bls12381.G2_BYTES, "G2");
        BigInteger x1 = coordinate(encoding, 0);
        BigInteger x0 = coordinate(encoding, Bls12381.FP_BYTES);
        FP2 x = new FP2(big(x0), big(x1));
        FP2 y = ECP2.RHS(new FP2(x));
        if (!y.sqrt()) {
            throw new ProtocolException(Reason.BAD_POINT, "G2 element is not on the curve");
        }
        if (largest(y) != signFlag(encoding)) {
            y.neg();
        }
        ECP2 point = new ECP2(x, y);
        if (point.is_infinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "G2 element is not on the curve");
        }
        if (!new ECP2(point).mul(R).is_infinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "G2 element is not in the prime-order subgroup");
        }
        return new JG2(point);
    }

    @Override
    public GtElement decodeGt(byte[] encoding) throws ProtocolException {
        if (encoding == null || encoding.length != Bls12381.GT_BYTES) {
            throw new ProtocolException(Reason.BAD_POINT, "GT element must be " + Bls12381.GT_BYTES + " bytes");
        }
        byte[] milagro = new byte[Bls12381.GT_BYTES];
        for (int j = 0; j < 12; j++) {
            byte[] c = Arrays.copyOfRange(encoding, SERIAL[j] * Bls12381.FP_BYTES, (SERIAL[j] + 1) * Bls12381.FP_BYTES);
            if (new BigInteger(1, c).compareTo(P) >= 0) {
                throw new ProtocolException(Reason.BAD_POINT, "GT coefficient is not a canonical field element");
            }
            System.arraycopy(c, 0, milagro, j * Bls12381.FP_BYTES, Bls12381.FP_BYTES);
        }
        FP12 v = FP12.fromBytes(milagro);
        if (!inGt(v)) {
            throw new ProtocolException(Reason.BAD_POINT, "GT element is not in the order-r subgroup");
        }
        return new JGt(v);
    }

    /**
     * GT membership of an arbitrary Fp12 element. Milagro's {@code FP12.pow} squares with the
     * cyclotomic (unitary) formula and inverts by conjugation, which are right only inside
     * the cyclotomic subgroup G_Φ12 (order Φ12(p) = p⁴ − p² + 1); on any other input it
     * computes something that is not a power, so {@code v^r == 1} alone proves nothing.
     * Hence first G_Φ12, as {@code v^(p⁴)·v == v^(p²)} with the Frobenius map (a field
     * automorphism, right for every element), and only then {@code v^r == 1}.
     */
    static boolean inGt(FP12 v) {
        if (v.iszilch()) {
            return false;
        }
        FP12 p2 = frobenius(v, 2);
        FP12 p4 = frobenius(p2, 2);
        p4.mul(new FP12(v));
        if (!p4.equals(p2)) {
            return false;
        }
        return new FP12(v).pow(R).isunity();
    }

    /** {@code v^(p^k)}. */
    private static FP12 frobenius(FP12 v, int k) {
        FP12 r = new FP12(v);
        for (int i = 0; i < k; i++) {
            r.frob(FROBENIUS);
        }
        r.reduce();
        return r;
    }

    // ------------------------------------------------------------------ encoding helpers

    private static void requireFlags(byte[] encoding, int length, String what) throws ProtocolException {
        if (encoding == null || encoding.length != length) {
            throw new ProtocolException(Reason.BAD_POINT, what + " element must be " + length + " bytes");
        }
        if ((encoding[0] & 0x80) == 0) {
            throw new ProtocolException(Reason.BAD_POINT, what + " element must use the compressed encoding");
        }
        if ((encoding[0] & 0x40) != 0) {
            throw new ProtocolException(Reason.BAD_POINT, what + " element is the identity");
        }
    }

    private static boolean signFlag(byte[] encoding) {
        return (encoding[0] & 0x20) != 0;
    }

    /** A 48-byte big-endian coordinate, flag bits cleared on the first; must be below p. */
    private static BigInteger coordinate(byte[] encoding, int offset) throws ProtocolException {
        byte[] c = Arrays.copyOfRange(encoding, offset, offset + Bls12381.FP_BYTES);
        if (offset == 0) {
            c[0] &= 0x1f;
        }
        BigInteger v = new BigInteger(1, c);
        if (v.compareTo(P) >= 0) {
            throw new ProtocolException(Reason.BAD_POINT, "coordinate is not a canonical field element");
        }
        return v;
    }

    /** ZCash "lexicographically largest" for Fp. */
    private static boolean largest(BigInteger y) {
        return y.compareTo(HALF_P) > 0;
    }

    /** ZCash "lexicographically largest" for Fp2: by c1, or by c0 when c1 = 0. */
    private static boolean largest(FP2 y) {
        BigInteger c0 = value(y.getA());
        BigInteger c1 = value(y.getB());
        return c1.signum() != 0 ? largest(c1) : largest(c0);
    }

    static BIG big(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[BIG.MODBYTES];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return BIG.fromBytes(out);
    }

    static BigInteger value(BIG b) {
        byte[] out = new byte[BIG.MODBYTES];
        new BIG(b).toBytes(out);
        return new BigInteger(1, out);
    }

    private static byte[] fixed(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[Bls12381.FP_BYTES];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        return out;
    }

    private static boolean ctEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    // ------------------------------------------------------------------ elements

    static final class JG1 implements G1Element {
        private final ECP point;

        JG1(ECP point) {
            this.point = new ECP(point);
        }

        static JG1 of(G1Element e) {
            if (e instanceof JG1 j) {
                return j;
            }
            throw new IllegalArgumentException("G1 element from another pairing implementation");
        }

        @Override
        public G1Element add(G1Element other) {
            ECP r = new ECP(point);
            r.add(new ECP(of(other).point));
            return new JG1(r);
        }

        @Override
        public G1Element negate() {
            ECP r = new ECP(point);
            r.neg();
            return new JG1(r);
        }

        @Override
        public G1Element multiply(BigInteger k) {
            BigInteger e = k.mod(Bls12381.ORDER);
            if (e.signum() == 0 || point.is_infinity()) {
                return new JG1(new ECP());
            }
            return new JG1(PAIR.G1mul(new ECP(point), big(e)));
        }

        @Override
        public boolean isIdentity() {
            return point.is_infinity();
        }

        @Override
        public byte[] toBytes() {
            byte[] out = new byte[Bls12381.G1_BYTES];
            if (point.is_infinity()) {
                out[0] = (byte) 0xc0;
                return out;
            }
            ECP a = new ECP(point);
            a.affine();
            BigInteger x = value(a.getX());
            BigInteger y = value(a.getY());
            System.arraycopy(fixed(x), 0, out, 0, Bls12381.FP_BYTES);
            out[0] |= (byte) (0x80 | (largest(y) ? 0x20 : 0));
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JG1 other && ctEquals(toBytes(), other.toBytes());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(toBytes());
        }
    }

    static final class JG2 implements G2Element {
        private final ECP2 point;

        JG2(ECP2 point) {
            this.point = new ECP2(point);
        }

        static JG2 of(G2Element e) {
            if (e instanceof JG2 j) {
                return j;
            }
            throw new IllegalArgumentException("G2 element from another pairing implementation");
        }

        @Override
        public G2Element add(G2Element other) {
            ECP2 r = new ECP2(point);
            r.add(new ECP2(of(other).point));
            return new JG2(r);
        }

        @Override
        public G2Element negate() {
            ECP2 r = new ECP2(point);
            r.neg();
            return new JG2(r);
        }

        @Override
        public G2Element multiply(BigInteger k) {
            BigInteger e = k.mod(Bls12381.ORDER);
            if (e.signum() == 0 || point.is_infinity()) {
                return new JG2(new ECP2());
            }
            return new JG2(PAIR.G2mul(new ECP2(point), big(e)));
        }

        @Override
        public boolean isIdentity() {
            return point.is_infinity();
        }

        @Override
        public byte[] toBytes() {
            byte[] out = new byte[Bls12381.G2_BYTES];
            if (point.is_infinity()) {
                out[0] = (byte) 0xc0;
                return out;
            }
            ECP2 a = new ECP2(point);
            a.affine();
            FP2 x = a.getX();
            FP2 y = a.getY();
            System.arraycopy(fixed(value(x.getB())), 0, out, 0, Bls12381.FP_BYTES);
            System.arraycopy(fixed(value(x.getA())), 0, out, Bls12381.FP_BYTES, Bls12381.FP_BYTES);
            out[0] |= (byte) (0x80 | (largest(y) ? 0x20 : 0));
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JG2 other && ctEquals(toBytes(), other.toBytes());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(toBytes());
        }
    }

    static final class JGt implements GtElement {
        private final FP12 value;

        JGt(FP12 value) {
            this.value = new FP12(value);
        }

        static JGt of(GtElement e) {
            if (e instanceof JGt j) {
                return j;
            }
            throw new IllegalArgumentException("GT element from another pairing implementation");
        }

        @Override
        public GtElement multiply(GtElement other) {
            FP12 r = new FP12(value);
            r.mul(new FP12(of(other).value));
            return new JGt(r);
        }

        @Override
        public GtElement pow(BigInteger k) {
            BigInteger e = k.mod(Bls12381.ORDER);
            if (e.signum() == 0) {
                return new JGt(new FP12(1));
            }
            return new JGt(PAIR.GTpow(new FP12(value), big(e)));
        }

        @Override
        public boolean isOne() {
            return new FP12(value).isunity();
        }

        @Override
        public byte[] toBytes() {
            byte[] milagro = new byte[Bls12381.GT_BYTES];
            new FP12(value).toBytes(milagro);
            byte[] out = new byte[Bls12381.GT_BYTES];
            for (int j = 0; j < 12; j++) {
                System.arraycopy(milagro, j * Bls12381.FP_BYTES, out, SERIAL[j] * Bls12381.FP_BYTES, Bls12381.FP_BYTES);
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof JGt other && ctEquals(toBytes(), other.toBytes());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(toBytes());
        }
    }
}
