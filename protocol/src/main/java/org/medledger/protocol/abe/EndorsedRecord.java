package org.medledger.protocol.abe;

import java.util.Objects;

/**
 * A matched (letter, submission) pair that passed the endorser's rule: what the block
 * producer stores (the sealed record goes to the medical cloud, descriptor and address to
 * the ledger; seed 003, Fig. 3 steps 3–5).
 */
public record EndorsedRecord(AuthorizationLetter letter, RecordSubmission submission) {

    public EndorsedRecord {
        Objects.requireNonNull(letter, "letter is required");
        Objects.requireNonNull(submission, "submission is required");
    }

    public RecordDescriptor descriptor() {
        return submission.descriptor();
    }

    public SealedRecord sealed() {
        return submission.sealed();
    }
}
