package org.medledger.protocol.testkit;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.medledger.protocol.common.CurveProfile;

/**
 * Encodings every point field must refuse: off-curve, identity, wrong length, hybrid
 * prefix, uncompressed, and points of other curves (P-384, secp256k1).
 */
public final class BadPoints {

    private BadPoints() {
    }

    public static Map<String, byte[]> forCurve(CurveProfile curve) {
        Map<String, byte[]> bad = new LinkedHashMap<>();
        ECPoint g2 = curve.multiplyGenerator(BigInteger.TWO);
        byte[] good = curve.encodePoint(g2);
        int fl = curve.fieldLength();

        bad.put("infinity (single zero byte)", new byte[] {0x00});
        byte[] zeros = new byte[good.length];
        bad.put("all zero bytes", zeros);
        bad.put("empty", new byte[0]);
        bad.put("truncated", java.util.Arrays.copyOf(good, good.length - 1));
        bad.put("extended", java.util.Arrays.copyOf(good, good.length + 1));
        bad.put("uncompressed", g2.getEncoded(false));
        byte[] hybrid = g2.getEncoded(false);
        hybrid[0] = (byte) (hybrid[1 + 2 * fl - 1] % 2 == 0 ? 0x06 : 0x07);
        bad.put("hybrid 0x06/0x07", hybrid);
        byte[] hybridAsCompressedLength = good.clone();
        hybridAsCompressedLength[0] = 0x06;
        bad.put("hybrid prefix with compressed length", hybridAsCompressedLength);
        byte[] badPrefix = good.clone();
        badPrefix[0] = 0x05;
        bad.put("unknown prefix", badPrefix);
        bad.put("off-curve x (no square root)", offCurveCompressed(curve));
        byte[] xTooBig = new byte[good.length];
        xTooBig[0] = 0x02;
        java.util.Arrays.fill(xTooBig, 1, xTooBig.length, (byte) 0xff);
        bad.put("x >= p", xTooBig);
        byte[] offCurveUncompressed = g2.getEncoded(false);
        offCurveUncompressed[offCurveUncompressed.length - 1] ^= 1;
        bad.put("off-curve uncompressed", offCurveUncompressed);

        X9ECParameters p384 = ECNamedCurveTable.getByName("secp384r1");
        X9ECParameters k1 = ECNamedCurveTable.getByName("secp256k1");
        if (curve.fieldLength() != 48) {
            bad.put("P-384 point (compressed)", p384.getG().multiply(BigInteger.valueOf(3)).getEncoded(true));
        } else {
            bad.put("P-256 point (compressed)", ECNamedCurveTable.getByName("secp256r1").getG().getEncoded(true));
        }
        bad.put("secp256k1 point (uncompressed)", k1.getG().getEncoded(false));
        bad.put("secp256k1 point (compressed, x not on this curve)", otherCurveCompressedOffThisCurve(curve, k1));
        return bad;
    }

    /** A compressed encoding whose x gives no point on {@code curve}. */
    static byte[] offCurveCompressed(CurveProfile curve) {
        for (int x = 1; ; x++) {
            byte[] enc = new byte[curve.compressedPointLength()];
            enc[0] = 0x02;
            byte[] xb = BigIntegers.asUnsignedByteArray(curve.fieldLength(), BigInteger.valueOf(x));
            System.arraycopy(xb, 0, enc, 1, xb.length);
            try {
                curve.curve().decodePoint(enc);
            } catch (RuntimeException e) {
                return enc;
            }
        }
    }

    /** A secp256k1 point whose x-coordinate is not the x of any point of {@code curve}. */
    static byte[] otherCurveCompressedOffThisCurve(CurveProfile curve, X9ECParameters other) {
        for (int k = 1; ; k++) {
            byte[] enc = other.getG().multiply(BigInteger.valueOf(k)).getEncoded(true);
            if (enc.length != curve.compressedPointLength()) {
                return enc;
            }
            try {
                curve.curve().decodePoint(enc);
            } catch (RuntimeException e) {
                return enc;
            }
        }
    }
}
