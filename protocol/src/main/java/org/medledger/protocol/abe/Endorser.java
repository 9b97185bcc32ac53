package org.medledger.protocol.abe;

import java.time.Clock;
import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * A consensus (endorsing) node of ABE-CHAIN (seed 003, Fig. 3 step 3). Its matching rule
 * for a pending (authorization letter, record submission) pair:
 * <ol>
 *   <li>both name the same record descriptor;</li>
 *   <li>the letter is signed by the descriptor's patient and is within its validity;</li>
 *   <li>the submission is signed by the descriptor's hospital;</li>
 *   <li>the ciphertext's policy equals the authorized policy (canonical form).</li>
 * </ol>
 * Pure: no ledger access; the ledger module calls it and stores the result.
 */
public final class Endorser {

    private final CombinedScheme scheme;
    private final Clock clock;

    public Endorser(CombinedScheme scheme, Clock clock) {
        this.scheme = Objects.requireNonNull(scheme, "scheme is required");
        this.clock = Objects.requireNonNull(clock, "clock is required");
    }

    /**
     * Applies the matching rule.
     *
     * @throws ProtocolException {@link Reason#BAD_SIGNATURE} for a signature that does not
     *         verify, {@link Reason#NOT_AUTHORIZED} for a mismatch of record or policy,
     *         {@link Reason#STALE_TIMESTAMP} for a letter outside its validity
     */
    public EndorsedRecord endorse(AuthorizationLetter letter, RecordSubmission submission) throws ProtocolException {
        Objects.requireNonNull(letter, "letter is required");
        Objects.requireNonNull(submission, "submission is required");
        if (!letter.descriptor().equals(submission.descriptor())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "letter and submission describe different records");
        }
        requireValidLetter(scheme, letter, clock.millis());
        // Verify(σ_H, descriptor ‖ CT) for the descriptor's hospital  (seed 003, Fig. 3 step 3)
        scheme.verify(submission.descriptor().hospitalId(), submission.hospitalSignature(), submission.signedBytes());
        if (!submission.sealed().policy().equals(letter.policy())) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "ciphertext policy differs from the authorized policy");
        }
        return new EndorsedRecord(letter, submission);
    }

    /**
     * The endorsing node's check of a letter entering the pending pool: the patient's IBS
     * signature under the descriptor's patient identity, and the validity window.
     *
     * @throws ProtocolException {@link Reason#BAD_SIGNATURE} or {@link Reason#STALE_TIMESTAMP}
     */
    public void admitLetter(AuthorizationLetter letter) throws ProtocolException {
        Objects.requireNonNull(letter, "letter is required");
        requireValidLetter(scheme, letter, clock.millis());
    }

    /** Verify(σ_P, letter) for the descriptor's patient, and the letter's validity window. */
    static void requireValidLetter(CombinedScheme scheme, AuthorizationLetter letter, long now) throws ProtocolException {
        // Verify(σ_P, descriptor ‖ policy ‖ validity)  (seed 003, Fig. 3 step 3)
        scheme.verify(letter.descriptor().patientId(), letter.patientSignature(), letter.signedBytes());
        if (now < letter.issuedAt() || now >= letter.expiresAt()) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "authorization letter is not valid now");
        }
    }
}
