package org.medledger.protocol.pairing;

import java.math.BigInteger;

/** An immutable element of G2 (additive notation in code, multiplicative in the papers). */
public interface G2Element {

    G2Element add(G2Element other);

    G2Element negate();

    /** k·this; k is reduced modulo the group order. */
    G2Element multiply(BigInteger k);

    boolean isIdentity();

    /** Canonical compressed encoding. */
    byte[] toBytes();
}
