package org.medledger.protocol.pairing;

import java.math.BigInteger;

/** An immutable element of the target group GT (multiplicative). */
public interface GtElement {

    GtElement multiply(GtElement other);

    /** this^k; k is reduced modulo the group order. */
    GtElement pow(BigInteger k);

    boolean isOne();

    /** Canonical encoding (12 big-endian base-field coefficients). */
    byte[] toBytes();
}
