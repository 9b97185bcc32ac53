package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.util.Objects;

import javax.security.auth.Destroyable;

/**
 * A party's own long-term key pairs (PROTOCOLS.md §0 key custody): a signing key and a
 * separate KEM key, generated on the party's side. Only {@link #signingPublic()} and
 * {@link #kemPublic()} are sent to the KGC for certification.
 */
public final class PartyKeys implements Destroyable {

    private final SigningKey signing;
    private final KemKeyPair kem;

    public PartyKeys(SigningKey signing, KemKeyPair kem) {
        this.signing = Objects.requireNonNull(signing, "Signing key is required.");
        this.kem = Objects.requireNonNull(kem, "KEM key is required.");
        if (!signing.curve().equals(kem.curve())) {
            throw new IllegalArgumentException("Keys on different curves.");
        }
    }

    public static PartyKeys generate(CurveProfile curve, SecureRandom random) {
        return new PartyKeys(SigningKey.generate(curve, random), KemKeyPair.generate(curve, random));
    }

    public SigningKey signing() {
        return signing;
    }

    public KemKeyPair kem() {
        return kem;
    }

    public VerificationKey signingPublic() {
        return signing.verificationKey();
    }

    public KemPublicKey kemPublic() {
        return kem.publicKey();
    }

    @Override
    public void destroy() {
        signing.destroy();
        kem.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return signing.isDestroyed() && kem.isDestroyed();
    }

    @Override
    public String toString() {
        return "PartyKeys[" + signingPublic() + ", " + kemPublic() + "]";
    }
}
