package org.medledger.protocol.common;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.math.ec.ECPoint;

/**
 * The KGC's certification of party public keys: signs {@link DirectoryEntry}s with the
 * KGC's own signing key (distinct from the master secret {@code s}). It is handed public
 * keys only.
 */
public final class KeyCertifier {

    private final SigningKey kgcSigningKey;
    private final java.time.Clock clock;
    private final Duration validity;

    public KeyCertifier(SigningKey kgcSigningKey, java.time.Clock clock, Duration validity) {
        this.kgcSigningKey = Objects.requireNonNull(kgcSigningKey, "KGC signing key is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.validity = Objects.requireNonNull(validity, "Validity is required.");
    }

    public VerificationKey verificationKey() {
        return kgcSigningKey.verificationKey();
    }

    public DirectoryEntry certify(String scheme, String role, String partyId, VerificationKey signingKey,
                                  KemPublicKey kemKey, Optional<ECPoint> partialKeyPoint) {
        long now = clock.millis();
        DirectoryEntry unsigned = new DirectoryEntry(scheme, role, partyId, signingKey, kemKey, partialKeyPoint,
                now, now + validity.toMillis(), new byte[0]);
        byte[] sig = Ecdsa.sign(kgcSigningKey, unsigned.signedPart());
        return new DirectoryEntry(scheme, role, partyId, signingKey, kemKey, partialKeyPoint,
                unsigned.notBefore(), unsigned.notAfter(), sig);
    }
}
