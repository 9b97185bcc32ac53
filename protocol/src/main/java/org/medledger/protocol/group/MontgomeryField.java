package org.medledger.protocol.group;

import java.math.BigInteger;

/**
 * Fixed-width arithmetic modulo the Chebyshev prime p for secret operands (deviation G16): every
 * operation runs the same instruction sequence whatever the values — Montgomery multiplication
 * (CIOS) on 32-bit limbs, additions with a masked correction, halving with a masked addition of
 * p — and never {@code BigInteger} arithmetic. Operands and results are in [0, p).
 */
final class MontgomeryField {

    private static final long MASK = 0xFFFF_FFFFL;

    private final BigInteger modulus;
    private final int len;
    private final int[] p;
    /** −p^{-1} mod 2^32. */
    private final int pInv;
    /** R² mod p, R = 2^(32·len). */
    private final int[] r2;

    MontgomeryField(BigInteger modulus) {
        if (modulus.signum() <= 0 || !modulus.testBit(0)) {
            throw new IllegalArgumentException("modulus must be odd and positive");
        }
        this.modulus = modulus;
        this.len = (modulus.bitLength() + 31) / 32;
        this.p = rawLimbs(modulus);
        int inv = 1;
        for (int i = 0; i < 5; i++) {
            inv *= 2 - p[0] * inv; // Newton: doubles the correct low bits of p^{-1} mod 2^32
        }
        this.pInv = -inv;
        this.r2 = rawLimbs(BigInteger.ONE.shiftLeft(64 * len).mod(modulus));
    }

    /** a·b mod p. */
    BigInteger multiply(BigInteger a, BigInteger b) {
        // mont(a, b) = a·b·R^{-1}; mont(·, R²) = a·b
        return value(mont(mont(limbs(a), limbs(b)), r2));
    }

    /** a + b mod p. */
    BigInteger add(BigInteger a, BigInteger b) {
        int[] x = limbs(a);
        int[] y = limbs(b);
        int[] s = new int[len];
        long carry = 0;
        for (int i = 0; i < len; i++) {
            long t = (x[i] & MASK) + (y[i] & MASK) + carry;
            s[i] = (int) t;
            carry = t >>> 32;
        }
        return value(reduceOnce(s, (int) carry));
    }

    /** a − b mod p. */
    BigInteger subtract(BigInteger a, BigInteger b) {
        int[] x = limbs(a);
        int[] y = limbs(b);
        int[] d = new int[len];
        long borrow = 0;
        for (int i = 0; i < len; i++) {
            long t = (x[i] & MASK) - (y[i] & MASK) - borrow;
            d[i] = (int) t;
            borrow = (t >>> 32) & 1;
        }
        // add p back where the subtraction borrowed
        int m = -(int) borrow;
        long carry = 0;
        for (int i = 0; i < len; i++) {
            long t = (d[i] & MASK) + (p[i] & m & MASK) + carry;
            d[i] = (int) t;
            carry = t >>> 32;
        }
        return value(d);
    }

    /** a/2 mod p: a + (p if a is odd), shifted right by one. */
    BigInteger half(BigInteger a) {
        int[] x = limbs(a);
        int m = -(x[0] & 1);
        long carry = 0;
        for (int i = 0; i < len; i++) {
            long t = (x[i] & MASK) + (p[i] & m & MASK) + carry;
            x[i] = (int) t;
            carry = t >>> 32;
        }
        for (int i = 0; i < len - 1; i++) {
            x[i] = (x[i] >>> 1) | (x[i + 1] << 31);
        }
        x[len - 1] = (x[len - 1] >>> 1) | ((int) carry << 31);
        return value(x);
    }

    /** Montgomery product a·b·R^{-1} mod p (CIOS), for a, b < p. */
    private int[] mont(int[] a, int[] b) {
        int[] t = new int[len + 2];
        for (int i = 0; i < len; i++) {
            long bi = b[i] & MASK;
            long c = 0;
            for (int j = 0; j < len; j++) {
                long s = (a[j] & MASK) * bi + (t[j] & MASK) + c;
                t[j] = (int) s;
                c = s >>> 32;
            }
            long s = (t[len] & MASK) + c;
            t[len] = (int) s;
            t[len + 1] = (int) (s >>> 32);
            long m = (t[0] * pInv) & MASK;
            s = (t[0] & MASK) + m * (p[0] & MASK);
            c = s >>> 32;
            for (int j = 1; j < len; j++) {
                s = (t[j] & MASK) + m * (p[j] & MASK) + c;
                t[j - 1] = (int) s;
                c = s >>> 32;
            }
            s = (t[len] & MASK) + c;
            t[len - 1] = (int) s;
            t[len] = t[len + 1] + (int) (s >>> 32);
            t[len + 1] = 0;
        }
        int[] low = new int[len];
        System.arraycopy(t, 0, low, 0, len);
        return reduceOnce(low, t[len]);
    }

    /** (high·R + x) − p if that is ≥ 0, else x; for values below 2p. */
    private int[] reduceOnce(int[] x, int high) {
        int[] d = new int[len];
        long borrow = 0;
        for (int i = 0; i < len; i++) {
            long t = (x[i] & MASK) - (p[i] & MASK) - borrow;
            d[i] = (int) t;
            borrow = (t >>> 32) & 1;
        }
        // keep d when the value was ≥ p: a high limb, or no borrow
        int keep = -((high & 1) | (int) (borrow ^ 1));
        for (int i = 0; i < len; i++) {
            d[i] = (d[i] & keep) | (x[i] & ~keep);
        }
        return d;
    }

    private int[] limbs(BigInteger v) {
        if (v.signum() < 0 || v.compareTo(modulus) >= 0) {
            throw new IllegalArgumentException("operand outside [0, p)");
        }
        return rawLimbs(v);
    }

    private int[] rawLimbs(BigInteger v) {
        byte[] be = v.toByteArray();
        int[] out = new int[len];
        for (int i = 0; i < be.length; i++) {
            int bit = 8 * (be.length - 1 - i);
            if (bit < 32 * len) {
                out[bit >>> 5] |= (be[i] & 0xFF) << (bit & 31);
            }
        }
        return out;
    }

    private BigInteger value(int[] x) {
        byte[] be = new byte[4 * len];
        for (int i = 0; i < len; i++) {
            int w = x[len - 1 - i];
            be[4 * i] = (byte) (w >>> 24);
            be[4 * i + 1] = (byte) (w >>> 16);
            be[4 * i + 2] = (byte) (w >>> 8);
            be[4 * i + 3] = (byte) w;
        }
        return new BigInteger(1, be);
    }
}
