package org.medledger.protocol.group;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A Chebyshev value y = T_k(x) together with a square root of y² − 1 (deviation G16). The root
 * is a public function of y; carrying it lets a receiver evaluate T_n(y) = (u^n + u^{-n})/2 with
 * u = y + root without the 2047-bit square-root exponentiation. Either sign of the root gives
 * u or u^{-1} and the same T_n(y). Obtain checked values from {@link Chebyshev#requireValid(BigInteger, BigInteger)}
 * or {@link Chebyshev#ofBaseValue}.
 */
public record ChebyshevValue(BigInteger y, BigInteger root) {

    public ChebyshevValue {
        Objects.requireNonNull(y, "y is required");
        Objects.requireNonNull(root, "the root of y^2 - 1 is required");
    }

    /** Fixed-length encoding y ‖ root (2 × the length of p). */
    public byte[] encode(ChebyshevParameters params) {
        byte[] a = params.encode(y);
        byte[] b = params.encode(root);
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public String toString() {
        return "ChebyshevValue[" + y.bitLength() + " bits]";
    }
}
