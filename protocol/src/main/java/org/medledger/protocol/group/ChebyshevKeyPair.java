package org.medledger.protocol.group;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;

import javax.security.auth.Destroyable;

import org.medledger.protocol.common.SecretBytes;

/**
 * A member's long-term Chebyshev key: private s ∈ [2, q−1], public T_s(x)  (seed 004, Table 3).
 * The exponent is held as {@link SecretBytes}; never printed.
 */
public final class ChebyshevKeyPair implements Destroyable {

    private final SecretBytes secret;
    private final ChebyshevValue publicValue;

    private ChebyshevKeyPair(SecretBytes secret, ChebyshevValue publicValue) {
        this.secret = secret;
        this.publicValue = publicValue;
    }

    /** Generated on the member's own side (PROTOCOLS.md §0: no escrow). */
    public static ChebyshevKeyPair generate(Chebyshev t, SecureRandom random) {
        Objects.requireNonNull(t, "Chebyshev map is required");
        BigInteger s = t.randomExponent(random);
        // public key T_s(x)  (seed 004, Table 3)
        return new ChebyshevKeyPair(SecretBytes.copyOf(t.parameters().encode(s)), t.ofBaseValue(s));
    }

    /** A key kept in the member's device store ({@link #exportSecret}); T_s(x) is recomputed. */
    public static ChebyshevKeyPair restore(Chebyshev t, SecretBytes secret) throws org.medledger.protocol.common.ProtocolException {
        Objects.requireNonNull(t, "Chebyshev map is required");
        BigInteger s = new BigInteger(1, secret.reveal());
        if (s.compareTo(BigInteger.TWO) < 0 || s.compareTo(t.parameters().q()) >= 0) {
            throw new org.medledger.protocol.common.ProtocolException(org.medledger.protocol.common.Reason.BAD_PARAMETER,
                    "stored Chebyshev key is out of range");
        }
        return new ChebyshevKeyPair(SecretBytes.copyOf(t.parameters().encode(s)), t.ofBaseValue(s));
    }

    /** The private exponent, for the member's own device store only. */
    public SecretBytes exportSecret() {
        return SecretBytes.copyOf(secret.reveal());
    }

    /** T_s(x). */
    public BigInteger publicValue() {
        return publicValue.y();
    }

    /** T_s(x) with its root, as the member publishes it (deviation G16). */
    public ChebyshevValue publicKey() {
        return publicValue;
    }

    /** T_s(y) for a validated y with its root. */
    BigInteger apply(Chebyshev t, ChebyshevValue y) {
        return t.closedForm(new BigInteger(1, secret.reveal()), y);
    }

    @Override
    public void destroy() {
        secret.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return secret.isDestroyed();
    }

    @Override
    public String toString() {
        return "ChebyshevKeyPair[public only]";
    }
}
