package org.medledger.protocol.abe;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The hospital of ABE-CHAIN (seed 003, Fig. 3 step 2): checks the patient's letter, encrypts
 * the record under the authorized policy (hybrid), signs the submission with its identity key.
 */
public final class Hospital {

    private final IdentityKey identityKey;
    private final CombinedScheme scheme;
    private final Clock clock;
    private final SecureRandom random;

    public Hospital(IdentityKey identityKey, CombinedScheme scheme, Clock clock, SecureRandom random) {
        this.identityKey = Objects.requireNonNull(identityKey, "identity key is required");
        this.scheme = Objects.requireNonNull(scheme, "scheme is required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
        this.random = Objects.requireNonNull(random, "random is required");
    }

    public String identity() {
        return identityKey.identity();
    }

    /**
     * Seals {@code record} under the policy of {@code letter} and signs the submission.
     *
     * @throws ProtocolException if the letter is not for this hospital, is expired, or its
     *         patient signature does not verify
     */
    public RecordSubmission submit(AuthorizationLetter letter, byte[] record) throws ProtocolException {
        Objects.requireNonNull(letter, "letter is required");
        Objects.requireNonNull(record, "record is required");
        RecordDescriptor descriptor = letter.descriptor();
        if (!descriptor.hospitalId().equals(identityKey.identity())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "the letter names another hospital");
        }
        Endorser.requireValidLetter(scheme, letter, clock.millis());
        // CT = Encrypt_ATT(policy, m) and body = AES-GCM(HKDF(m), record)  (seed 003, Fig. 3 step 2)
        SealedRecord sealed = RecordCipher.seal(scheme, letter.policy(), descriptor, record, random);
        // σ_H = Sign(SK_H, descriptor ‖ CT)  (seed 003, Fig. 3 step 2)
        IbsSignature sig = scheme.sign(identityKey, RecordSubmission.signedBytes(descriptor, sealed));
        return new RecordSubmission(descriptor, sealed, sig);
    }
}
