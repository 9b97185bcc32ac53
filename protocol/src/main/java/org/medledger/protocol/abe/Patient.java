package org.medledger.protocol.abe;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;

/** The patient of ABE-CHAIN: signs authorization letters with its identity key (seed 003, Fig. 3 step 1). */
public final class Patient {

    private final IdentityKey identityKey;
    private final CombinedScheme scheme;
    private final Clock clock;

    public Patient(IdentityKey identityKey, CombinedScheme scheme, Clock clock) {
        this.identityKey = Objects.requireNonNull(identityKey, "identity key is required");
        this.scheme = Objects.requireNonNull(scheme, "scheme is required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
    }

    public String identity() {
        return identityKey.identity();
    }

    /**
     * Authorizes {@code policy} for the record {@code descriptor} for {@code validity}.
     *
     * @throws ProtocolException if the policy does not parse
     */
    public AuthorizationLetter authorize(RecordDescriptor descriptor, String policy, Duration validity)
            throws ProtocolException {
        Objects.requireNonNull(descriptor, "descriptor is required");
        if (!descriptor.patientId().equals(identityKey.identity())) {
            throw new IllegalArgumentException("a patient authorizes only its own records");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive");
        }
        AccessPolicy parsed = AccessPolicy.parse(policy);
        long issuedAt = clock.millis();
        long expiresAt = issuedAt + validity.toMillis();
        // σ_P = Sign(SK_P, descriptor ‖ policy ‖ validity)  (seed 003, Fig. 3 step 1)
        IbsSignature sig = scheme.sign(identityKey, AuthorizationLetter.signedBytes(descriptor, parsed, issuedAt, expiresAt));
        return new AuthorizationLetter(descriptor, parsed, issuedAt, expiresAt, sig);
    }
}
