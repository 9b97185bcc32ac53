package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

import supranational.blst.P1;
import supranational.blst.P1_Affine;
import supranational.blst.P2;
import supranational.blst.P2_Affine;
import supranational.blst.PT;

/**
 * BLS12-381 on the native blst library (through the {@code blst-java} JNI binding).
 *
 * <p>The binding's objects are mutable and most operations work in place; every element
 * class here copies before operating, so the elements we hand out are immutable and can
 * be shared between threads. The binding cannot read a GT element back from bytes; we
 * rebuild it from its coefficients (see {@link BlstGt#decode}) and then check that it lies
 * in the order-r subgroup.
 */
public final class Bls12381 implements PairingGroup {

    /** r, the prime order of G1, G2 and GT. */
    static final BigInteger ORDER =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    /** p, the base-field prime. */
    static final BigInteger FIELD_PRIME = new BigInteger(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab", 16);

    static final int G1_BYTES = 48;
    static final int G2_BYTES = 96;
    static final int FP_BYTES = 48;
    static final int GT_BYTES = 12 * FP_BYTES;

    private static volatile Bls12381 instance;

    private final BlstG1 g1;
    private final BlstG2 g2;
    private final BlstGt one;

    private Bls12381() {
        try {
            this.g1 = new BlstG1(P1.generator());
            this.g2 = new BlstG2(P2.generator());
            this.one = new BlstGt(PT.one());
        } catch (LinkageError e) {
            // UnsatisfiedLinkError, or the binding's class initialisation failing on this platform
            throw new IllegalStateException("the native blst library could not be loaded on this platform", e);
        }
    }

    /**
     * The shared instance. Loads the native library on first use.
     *
     * @throws IllegalStateException if the native library cannot be loaded on this platform
     */
    public static Bls12381 get() {
        Bls12381 i = instance;
        if (i == null) {
            synchronized (Bls12381.class) {
                i = instance;
                if (i == null) {
                    i = new Bls12381();
                    instance = i;
                }
            }
        }
        return i;
    }

    @Override
    public String name() {
        return "BLS12-381";
    }

    @Override
    public BigInteger order() {
        return ORDER;
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
        return G1_BYTES;
    }

    @Override
    public int g2Length() {
        return G2_BYTES;
    }

    @Override
    public int gtLength() {
        return GT_BYTES;
    }

    @Override
    public G1Element hashToG1(byte[] message, String dst) {
        Objects.requireNonNull(message, "message is required");
        Objects.requireNonNull(dst, "dst is required");
        if (dst.isEmpty() || dst.length() > 255 || !dst.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("DST must be 1..255 printable ASCII characters");
        }
        // RFC 9380 §3 hash_to_curve with expand_message_xmd(SHA-256), SSWU + 11-isogeny, clear_cofactor.
        return new BlstG1(new P1().hash_to(message, dst, new byte[0]));
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
        PT acc = PT.one();
        boolean any = false;
        for (int i = 0; i < ps.size(); i++) {
            BlstPoint<G1Element, P1> p = BlstG1.OPS.of(ps.get(i));
            BlstPoint<G2Element, P2> q = BlstG2.OPS.of(qs.get(i));
            if (p.isIdentity() || q.isIdentity()) {
                continue; // e(O, Q) = e(P, O) = 1
            }
            // Miller loops are multiplied; the final exponentiation runs once for the product.
            acc = acc.mul(new PT(p.point.to_affine(), q.point.to_affine()));
            any = true;
        }
        return any ? new BlstGt(acc.final_exp()) : one;
    }

    @Override
    public G1Element decodeG1(byte[] encoding) throws ProtocolException {
        requireLength(encoding, G1_BYTES, "G1");
        requireCompressedFlags(encoding, "G1");
        P1_Affine a;
        try {
            a = new P1_Affine(encoding.clone());
        } catch (RuntimeException e) {
            throw new ProtocolException(Reason.BAD_POINT, "G1 element is not a valid point encoding");
        }
        if (a.is_inf()) {
            throw new ProtocolException(Reason.BAD_POINT, "G1 element is the identity");
        }
        if (!a.on_curve() || !a.in_group()) {
            throw new ProtocolException(Reason.BAD_POINT, "G1 element is not in the prime-order subgroup");
        }
        return new BlstG1(a.to_jacobian());
    }

    @Override
    public G2Element decodeG2(byte[] encoding) throws ProtocolException {
        requireLength(encoding, G2_BYTES, "G2");
        requireCompressedFlags(encoding, "G2");
        P2_Affine a;
        try {
            a = new P2_Affine(encoding.clone());
        } catch (RuntimeException e) {
            throw new ProtocolException(Reason.BAD_POINT, "G2 element is not a valid point encoding");
        }
        if (a.is_inf()) {
            throw new ProtocolException(Reason.BAD_POINT, "G2 element is the identity");
        }
        if (!a.on_curve() || !a.in_group()) {
            throw new ProtocolException(Reason.BAD_POINT, "G2 element is not in the prime-order subgroup");
        }
        return new BlstG2(a.to_jacobian());
    }

    @Override
    public GtElement decodeGt(byte[] encoding) throws ProtocolException {
        requireLength(encoding, GT_BYTES, "GT");
        return BlstGt.decode(encoding);
    }

    private static void requireLength(byte[] encoding, int length, String what) throws ProtocolException {
        if (encoding == null || encoding.length != length) {
            throw new ProtocolException(Reason.BAD_POINT, what + " element must be " + length + " bytes");
        }
    }

    /** ZCash format: bit 7 = compressed (required), bit 6 = infinity (refused), bit 5 = sign of y. */
    private static void requireCompressedFlags(byte[] encoding, String what) throws ProtocolException {
        if ((encoding[0] & 0x80) == 0) {
            throw new ProtocolException(Reason.BAD_POINT, what + " element must use the compressed encoding");
        }
        if ((encoding[0] & 0x40) != 0) {
            throw new ProtocolException(Reason.BAD_POINT, what + " element is the identity");
        }
    }

    static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
