package org.medledger.protocol.group;

import java.math.BigInteger;
import java.util.Objects;

import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The Chebyshev-map domain of PROTOCOLS.md §5: a safe prime p = 2q + 1 (RFC 3526 group 14,
 * 2048 bits, by default; group 15, 3072 bits, configurable), g = 4 generating the order-q
 * subgroup, and the public base point x = (g + g^{-1})/2 mod p, so that
 * T_n(x) = (g^n + g^{-n})/2 mod p.
 */
public final class ChebyshevParameters {

    private static final BigInteger TWO = BigInteger.TWO;
    private static final BigInteger G = BigInteger.valueOf(4);

    private final String name;
    private final BigInteger p;
    private final BigInteger q;
    private final BigInteger x;
    private final BigInteger halfModP;
    private final BigInteger gInverse;
    private final MontgomeryField field;
    private final int byteLength;

    private ChebyshevParameters(String name, BigInteger p) {
        this.name = name;
        this.p = p;
        this.q = p.subtract(BigInteger.ONE).shiftRight(1);
        this.halfModP = TWO.modInverse(p);
        this.gInverse = G.modInverse(p);
        this.field = new MontgomeryField(p);
        // x = (g + g^{-1})/2 mod p  (PROTOCOLS.md §5)
        this.x = G.add(G.modInverse(p)).multiply(halfModP).mod(p);
        this.byteLength = (p.bitLength() + 7) / 8;
    }

    /** RFC 3526 group 14 (2048-bit MODP), the default. */
    public static ChebyshevParameters modp2048() {
        return new ChebyshevParameters("rfc3526-2048", DHStandardGroups.rfc3526_2048.getP());
    }

    /** RFC 3526 group 15 (3072-bit MODP). */
    public static ChebyshevParameters modp3072() {
        return new ChebyshevParameters("rfc3526-3072", DHStandardGroups.rfc3526_3072.getP());
    }

    /** Looks up a configured group name ({@code rfc3526-2048} or {@code rfc3526-3072}). */
    public static ChebyshevParameters named(String configured) throws ProtocolException {
        Objects.requireNonNull(configured, "group name is required");
        return switch (configured) {
            case "rfc3526-2048" -> modp2048();
            case "rfc3526-3072" -> modp3072();
            default -> throw new ProtocolException(Reason.BAD_PARAMETER, "unsupported Chebyshev group: " + configured);
        };
    }

    /**
     * Validates arbitrary parameters: p a safe prime of at least 2048 bits and 4 of order q.
     * Slow (primality tests); meant for configuration time.
     */
    public static ChebyshevParameters validated(String name, BigInteger p) throws ProtocolException {
        Objects.requireNonNull(p, "p is required");
        if (p.bitLength() < 2048) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev modulus must have at least 2048 bits");
        }
        BigInteger q = p.subtract(BigInteger.ONE).shiftRight(1);
        if (!p.testBit(0) || !p.isProbablePrime(64) || !q.isProbablePrime(64)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "Chebyshev modulus must be a safe prime");
        }
        if (!G.modPow(q, p).equals(BigInteger.ONE)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "g = 4 must have order q");
        }
        return new ChebyshevParameters(name, p);
    }

    public String name() {
        return name;
    }

    /** The prime modulus p. */
    public BigInteger p() {
        return p;
    }

    /** The subgroup order q = (p − 1)/2. */
    public BigInteger q() {
        return q;
    }

    /** The public base x = T_1(x). */
    public BigInteger x() {
        return x;
    }

    /** g = 4. */
    public BigInteger g() {
        return G;
    }

    /**
     * Bits of a secret exponent (s_i, r_i): twice the security strength of the group (NIST
     * SP 800-56A rev. 3, safe-prime groups: 112 bits for 2048-bit p, 128 bits for 3072-bit p),
     * not the size of q (deviation G16).
     */
    public int exponentBits() {
        return p.bitLength() >= 3072 ? 256 : 224;
    }

    /** g^{-1} mod p (public). */
    BigInteger gInverse() {
        return gInverse;
    }

    /** Fixed-width arithmetic mod p for secret operands. */
    MontgomeryField field() {
        return field;
    }

    /** Fixed length of an encoded element of Z_p. */
    public int byteLength() {
        return byteLength;
    }

    /** Fixed-length big-endian encoding of a value in [0, p). */
    public byte[] encode(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[byteLength];
        int copy = Math.min(raw.length, byteLength);
        System.arraycopy(raw, raw.length - copy, out, byteLength - copy, copy);
        return out;
    }

    @Override
    public String toString() {
        return "ChebyshevParameters[" + name + "]";
    }
}
