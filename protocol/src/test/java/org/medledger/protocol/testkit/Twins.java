package org.medledger.protocol.testkit;

import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.util.BigIntegers;
import org.medledger.protocol.common.CurveProfile;

/**
 * The malleated twin of an ECDSA signature: {@code (r, s) → (r, n − s)}, which verifies under
 * plain ECDSA whenever the original does. Anyone can compute it without the key.
 */
public final class Twins {

    private Twins() {
    }

    /** {@code r ‖ (n − s)} of a P1363 signature. */
    public static byte[] twin(CurveProfile curve, byte[] signature) {
        int l = curve.scalarLength();
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, l, 2 * l));
        byte[] out = signature.clone();
        BigIntegers.asUnsignedByteArray(curve.order().subtract(s), out, l, l);
        return out;
    }

    /**
     * {@code encoded} with its (single) occurrence of {@code signature} replaced by the twin:
     * the malleated copy of a whole message, as an attacker on the wire would make it.
     */
    public static byte[] malleate(CurveProfile curve, byte[] encoded, byte[] signature) {
        int at = indexOf(encoded, signature);
        if (at < 0 || indexOf(Arrays.copyOfRange(encoded, at + 1, encoded.length), signature) >= 0) {
            throw new IllegalArgumentException("signature not found exactly once in the encoding");
        }
        byte[] out = encoded.clone();
        System.arraycopy(twin(curve, signature), 0, out, at, signature.length);
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
