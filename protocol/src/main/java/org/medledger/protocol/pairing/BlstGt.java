package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.util.Arrays;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

import supranational.blst.PT;

/** A GT element on blst. The wrapped value is never mutated after construction. */
final class BlstGt implements GtElement {

    /** Montgomery radix R = 2^384 used by blst's base-field representation. */
    private static final BigInteger MONT_R = BigInteger.ONE.shiftLeft(384);
    /**
     * blst serializes the Fp12 coefficients in a different order than it keeps them in memory:
     * serialized coefficient j lives in memory slot {@code SERIAL_TO_MEMORY[j]}. Pinned by the
     * round-trip test of the pairing contract ({@code PairingGroupContract}) and by {@code ImplementationInteropTest}.
     */
    private static final int[] SERIAL_TO_MEMORY = {0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11};

    private final PT value;

    BlstGt(PT value) {
        this.value = value;
    }

    static BlstGt of(GtElement e) {
        if (e instanceof BlstGt b) {
            return b;
        }
        throw new IllegalArgumentException("GT element from another pairing implementation");
    }

    static BlstGt decode(byte[] encoding) throws ProtocolException {
        long[] limbs = new long[12 * 6];
        for (int j = 0; j < 12; j++) {
            BigInteger c = new BigInteger(1, Arrays.copyOfRange(encoding, j * Bls12381.FP_BYTES, (j + 1) * Bls12381.FP_BYTES));
            if (c.compareTo(Bls12381.FIELD_PRIME) >= 0) {
                throw new ProtocolException(Reason.BAD_POINT, "GT coefficient is not a canonical field element");
            }
            BigInteger mont = c.multiply(MONT_R).mod(Bls12381.FIELD_PRIME);
            int slot = SERIAL_TO_MEMORY[j] * 6;
            for (int k = 0; k < 6; k++) {
                limbs[slot + k] = mont.shiftRight(64 * k).longValue();
            }
        }
        PT pt = new RawPt(limbs);
        if (!pt.in_group()) {
            throw new ProtocolException(Reason.BAD_POINT, "GT element is not in the order-r subgroup");
        }
        return new BlstGt(pt);
    }

    @Override
    public GtElement multiply(GtElement other) {
        return new BlstGt(value.dup().mul(of(other).value));
    }

    /** Montgomery ladder over a fixed 255 bits: one multiplication and one squaring per bit. */
    @Override
    public GtElement pow(BigInteger k) {
        BigInteger e = k.mod(Bls12381.ORDER);
        PT r0 = PT.one();
        PT r1 = value.dup();
        for (int i = Bls12381.ORDER.bitLength() - 1; i >= 0; i--) {
            if (e.testBit(i)) {
                r0 = r0.mul(r1);
                r1 = r1.sqr();
            } else {
                r1 = r1.mul(r0);
                r0 = r0.sqr();
            }
        }
        return new BlstGt(r0);
    }

    @Override
    public boolean isOne() {
        return value.is_one();
    }

    @Override
    public byte[] toBytes() {
        return value.to_bendian();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlstGt other && Bls12381.constantTimeEquals(toBytes(), other.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    /** The binding only builds a PT from a raw limb array through its protected constructor. */
    private static final class RawPt extends PT {
        RawPt(long[] limbs) {
            super(limbs);
        }
    }
}
