package org.medledger.protocol.common;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Hash-to-scalar of PROTOCOLS.md §0: {@code expand_message_xmd} with SHA-256
 * (RFC 9380 §5.3.1) to {@code L = ceil((ceil(log2 n) + k) / 8)} bytes with security level
 * {@code k = ceil(log2 n) / 2} (48 for P-256, 72 for P-384, as in RFC 9380's suites), interpreted big-endian and reduced mod {@code n}. Used wherever the
 * papers write {@code h(·)}, {@code H(·)} or {@code H1(·)} and multiply a point by it.
 *
 * <p>The domain-separation tag is {@code "MEDLEDGER-V1-" + curve + "-" + label}, so each
 * function of each scheme has its own DST; the message is the labelled encoding.
 */
public final class HashToScalar {

    private static final int B_IN_BYTES = 32;
    private static final int S_IN_BYTES = 64;
    private static final String DST_PREFIX = "MEDLEDGER-V1-";

    private HashToScalar() {
    }

    /** {@code H(fields) mod n} over the labelled encoding, DST derived from its label. */
    public static BigInteger hash(CurveProfile curve, LabelledEncoder message) {
        Objects.requireNonNull(message, "Message is required.");
        return hash(curve, dstFor(curve, message.label()), message.toByteArray());
    }

    /** The DST used for a given label (exposed for documentation and vectors). */
    public static byte[] dstFor(CurveProfile curve, String label) {
        return (DST_PREFIX + curve.name() + "-" + label).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code OS2IP(expand_message_xmd(msg, dst, L)) mod n}. */
    public static BigInteger hash(CurveProfile curve, byte[] dst, byte[] msg) {
        int bits = curve.order().bitLength();
        int l = (bits + (bits + 1) / 2 + 7) / 8;
        byte[] uniform = expandMessageXmd(msg, dst, l);
        return new BigInteger(1, uniform).mod(curve.order());
    }

    /** RFC 9380 §5.3.1 {@code expand_message_xmd} with SHA-256. */
    public static byte[] expandMessageXmd(byte[] msg, byte[] dst, int lenInBytes) {
        Objects.requireNonNull(msg, "Message is required.");
        Objects.requireNonNull(dst, "DST is required.");
        int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
        if (ell > 255 || lenInBytes > 65535 || lenInBytes <= 0 || dst.length > 255 || dst.length == 0) {
            throw new IllegalArgumentException("expand_message_xmd parameters out of range");
        }
        MessageDigest h = sha256();
        // DST_prime = DST || I2OSP(len(DST), 1)
        byte[] dstPrime = new byte[dst.length + 1];
        System.arraycopy(dst, 0, dstPrime, 0, dst.length);
        dstPrime[dst.length] = (byte) dst.length;
        // msg_prime = Z_pad || msg || I2OSP(len_in_bytes, 2) || I2OSP(0, 1) || DST_prime
        h.update(new byte[S_IN_BYTES]);
        h.update(msg);
        h.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
        h.update(dstPrime);
        byte[] b0 = h.digest();
        byte[] out = new byte[lenInBytes];
        // b_1 = H(b_0 || I2OSP(1, 1) || DST_prime)
        h.update(b0);
        h.update((byte) 1);
        h.update(dstPrime);
        byte[] bi = h.digest();
        System.arraycopy(bi, 0, out, 0, Math.min(B_IN_BYTES, lenInBytes));
        for (int i = 2; i <= ell; i++) {
            // b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime)
            byte[] x = new byte[B_IN_BYTES];
            for (int j = 0; j < B_IN_BYTES; j++) {
                x[j] = (byte) (b0[j] ^ bi[j]);
            }
            h.update(x);
            h.update((byte) i);
            h.update(dstPrime);
            bi = h.digest();
            int off = (i - 1) * B_IN_BYTES;
            System.arraycopy(bi, 0, out, off, Math.min(B_IN_BYTES, lenInBytes - off));
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
