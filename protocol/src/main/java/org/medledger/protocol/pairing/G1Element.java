package org.medledger.protocol.pairing;

import java.math.BigInteger;

/** An immutable element of G1 (additive notation in code, multiplicative in the papers). */
public interface G1Element {

    /** this + other (the papers' product). */
    G1Element add(G1Element other);

    /** -this (the papers' inverse). */
    G1Element negate();

    /** k·this (the papers' power); k is reduced modulo the group order. */
    G1Element multiply(BigInteger k);

    boolean isIdentity();

    /** Canonical compressed encoding. */
    byte[] toBytes();
}
