package org.medledger.protocol.pairing;

import java.math.BigInteger;

/** Hand-built BLS12-381 points that lie on the curve but outside the prime-order subgroup. */
public final class OffSubgroupPoints {

    private static final BigInteger P = Bls12381.FIELD_PRIME;

    private OffSubgroupPoints() {
    }


    public static byte[] compressedG1(BigInteger x, BigInteger y) {
        byte[] out = toFixed(x, 48);
        out[0] |= (byte) 0x80;
        if (y.compareTo(P.subtract(y)) > 0) {
            out[0] |= 0x20;
        }
        return out;
    }

    /** A point of E(Fp): y² = x³ + 4 with x chosen so that it is not in the order-r subgroup. */
    public static byte[] g1() {
        for (BigInteger x = BigInteger.valueOf(2); ; x = x.add(BigInteger.ONE)) {
            BigInteger rhs = x.pow(3).add(BigInteger.valueOf(4)).mod(P);
            BigInteger y = rhs.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
            if (y.multiply(y).mod(P).equals(rhs)) {
                return compressedG1(x, y); // the cofactor is huge: small x lands outside the subgroup
            }
        }
    }

    /** A point of E'(Fp2): y² = x³ + 4(1+i), found by trying x = c, c = 1, 2, …. */
    public static byte[] g2() {
        for (BigInteger x0 = BigInteger.ONE; ; x0 = x0.add(BigInteger.ONE)) {
            // rhs = x0³ + 4 + 4i  (x real)
            BigInteger a0 = x0.pow(3).add(BigInteger.valueOf(4)).mod(P);
            BigInteger a1 = BigInteger.valueOf(4);
            BigInteger[] y = sqrtFp2(a0, a1);
            if (y != null) {
                byte[] out = new byte[96];
                System.arraycopy(toFixed(BigInteger.ZERO, 48), 0, out, 0, 48); // x1 first
                System.arraycopy(toFixed(x0, 48), 0, out, 48, 48);
                out[0] |= (byte) 0x80;
                return out;
            }
        }
    }

    private static BigInteger[] sqrtFp2(BigInteger a0, BigInteger a1) {
        BigInteger e = P.add(BigInteger.ONE).shiftRight(2);
        BigInteger norm = a0.multiply(a0).add(a1.multiply(a1)).mod(P);
        BigInteger n = norm.modPow(e, P);
        if (!n.multiply(n).mod(P).equals(norm)) {
            return null;
        }
        BigInteger inv2 = BigInteger.TWO.modInverse(P);
        for (BigInteger cand : new BigInteger[] {a0.add(n).multiply(inv2).mod(P), a0.subtract(n).multiply(inv2).mod(P)}) {
            BigInteger x0 = cand.modPow(e, P);
            if (x0.multiply(x0).mod(P).equals(cand) && x0.signum() != 0) {
                BigInteger x1 = a1.multiply(x0.shiftLeft(1).modInverse(P)).mod(P);
                return new BigInteger[] {x0, x1};
            }
        }
        return null;
    }

    public static byte[] toFixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return out;
    }
}
