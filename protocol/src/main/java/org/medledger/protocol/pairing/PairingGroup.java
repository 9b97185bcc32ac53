package org.medledger.protocol.pairing;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;

/**
 * A Type-3 bilinear group {@code (G1, G2, GT, e)} of prime order {@link #order()}.
 * Elements are immutable; scalars are taken modulo the order.
 */
public interface PairingGroup {

    /** Curve name, e.g. {@code BLS12-381}. */
    String name();

    /** The prime group order r. */
    BigInteger order();

    G1Element g1();

    G2Element g2();

    /** The identity of GT. */
    GtElement gtOne();

    /**
     * Hash to G1 per RFC 9380, suite {@code <curve>G1_XMD:SHA-256_SSWU_RO_}, with the given
     * domain-separation tag (printable ASCII, 1 to 255 characters).
     */
    G1Element hashToG1(byte[] message, String dst);

    /** e(p, q). */
    GtElement pair(G1Element p, G2Element q);

    /** Π e(p_i, q_i) with a single final exponentiation. */
    GtElement multiPair(List<G1Element> ps, List<G2Element> qs);

    /** Decodes a canonical compressed G1 element; rejects identity, off-curve and out-of-subgroup points. */
    G1Element decodeG1(byte[] encoding) throws ProtocolException;

    /** Decodes a canonical compressed G2 element; rejects identity, off-curve and out-of-subgroup points. */
    G2Element decodeG2(byte[] encoding) throws ProtocolException;

    /** Decodes a GT element; rejects non-canonical field elements and values outside the order-r subgroup. */
    GtElement decodeGt(byte[] encoding) throws ProtocolException;

    int g1Length();

    int g2Length();

    int gtLength();

    /** A uniformly random scalar in [1, r-1]. */
    default BigInteger randomScalar(SecureRandom random) {
        Objects.requireNonNull(random, "random is required");
        BigInteger r = order();
        // 64 extra bits make the modular bias negligible (< 2^-64).
        BigInteger wide = new BigInteger(r.bitLength() + 64, random);
        return wide.mod(r.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }
}
