package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.security.SecureRandom;

import org.apache.milagro.amcl.BLS381.BIG;
import org.apache.milagro.amcl.BLS381.ECP;
import org.apache.milagro.amcl.BLS381.ECP2;
import org.apache.milagro.amcl.BLS381.FP12;
import org.apache.milagro.amcl.BLS381.FP2;
import org.apache.milagro.amcl.BLS381.PAIR;
import org.apache.milagro.amcl.BLS381.ROM;

/**
 * Hand-built Fp12 elements outside GT, each a different way out: not in the cyclotomic
 * subgroup at all (random, or a scalar of Fp), unitary but not cyclotomic, and cyclotomic but
 * of the wrong order. Built with Milagro's generic field arithmetic (multiplication, squaring,
 * inversion, Frobenius), encoded in the wire format of both implementations.
 */
final class GtOutsiders {

    private static final BigInteger P = Bls12381.FIELD_PRIME;
    private static final FP2 FROBENIUS = new FP2(new BIG(ROM.Fra), new BIG(ROM.Frb));

    private GtOutsiders() {
    }

    /** A uniformly random element of Fp12 (outside G_Φ12 except with probability ~p^-8). */
    static FP12 random(SecureRandom r) {
        byte[] b = new byte[Bls12381.GT_BYTES];
        for (int j = 0; j < 12; j++) {
            BigInteger c = new BigInteger(P.bitLength() + 64, r).mod(P);
            System.arraycopy(OffSubgroupPoints.toFixed(c, Bls12381.FP_BYTES), 0, b, j * Bls12381.FP_BYTES, Bls12381.FP_BYTES);
        }
        return FP12.fromBytes(b);
    }

    /** e(g1, g2) by Milagro's own pairing and final exponentiation: in GT. */
    static FP12 gtGenerator() {
        return PAIR.fexp(PAIR.ate(ECP2.generator(), ECP.generator()));
    }

    /** The constant 2 of Fp: fixed by every Frobenius, not unitary. */
    static FP12 two() {
        return new FP12(2);
    }

    /** z^(p⁶−1) = conj(z)/z: unitary (norm 1 over Fp6), but not in G_Φ12. */
    static FP12 unitary(FP12 z) {
        FP12 c = new FP12(z);
        c.conj();
        FP12 inv = new FP12(z);
        inv.inverse();
        c.mul(inv);
        c.reduce();
        return c;
    }

    /** (z^(p⁶−1)(p²+1))^r: in G_Φ12 (the easy part of the final exponentiation), of order dividing Φ12(p)/r. */
    static FP12 cyclotomicWrongOrder(FP12 z) {
        FP12 u = unitary(z);
        FP12 c = frobenius(u, 2);
        c.mul(u);
        return power(c, Bls12381.ORDER);
    }

    static FP12 frobenius(FP12 v, int k) {
        FP12 r = new FP12(v);
        for (int i = 0; i < k; i++) {
            r.frob(FROBENIUS);
        }
        r.reduce();
        return r;
    }

    /** v^e by generic square-and-multiply (Milagro's general squaring, valid for every element). */
    static FP12 power(FP12 v, BigInteger e) {
        FP12 acc = new FP12(1);
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            acc.sqr();
            if (e.testBit(i)) {
                acc.mul(new FP12(v));
            }
        }
        acc.reduce();
        return acc;
    }

    /** The wire encoding (blst's coefficient order). */
    static byte[] encode(FP12 v) {
        return new Bls12381PureJava.JGt(v).toBytes();
    }
}
