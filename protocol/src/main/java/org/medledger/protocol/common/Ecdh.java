package org.medledger.protocol.common;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * Elliptic-curve Diffie–Hellman: the x-coordinate of {@code d·Q} for a validated peer
 * point {@code Q}, multiplied in constant time ({@link SecretScalar#multiply}). Used for ephemeral shares (CLOUD-CHAIN forward secrecy) and tested with
 * Wycheproof vectors.
 */
public final class Ecdh {

    private Ecdh() {
    }

    /**
     * {@code x(d·Q)}, fixed length.
     *
     * @throws ProtocolException {@link Reason#BAD_POINT} if {@code Q} is invalid or the
     *         result is the identity
     */
    public static SecretBytes agree(SecretScalar d, ECPoint peer) throws ProtocolException {
        Objects.requireNonNull(d, "Private scalar is required.");
        CurveProfile curve = d.curve();
        ECPoint q = curve.requireValid(peer);
        ECPoint z = d.multiply(q);
        if (z.isInfinity()) {
            throw new ProtocolException(Reason.BAD_POINT, "shared point is the identity");
        }
        return SecretBytes.adopt(curve.xCoordinate(z));
    }
}
