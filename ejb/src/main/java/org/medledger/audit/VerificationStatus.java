package org.medledger.audit;

import java.time.Instant;

/**
 * Where the full ledger verification stands.
 *
 * @param state       IDLE (never run), RUNNING, PASSED or FAILED
 * @param blocksRead  blocks read so far
 * @param blocksTotal blocks in the chain when the run started
 * @param finding     the first thing found wrong (FAILED), else empty
 */
public record VerificationStatus(State state, long blocksRead, long blocksTotal, long transactions,
                                 String finding, String startedBy, Instant startedAt, Instant finishedAt) {

    public enum State { IDLE, RUNNING, PASSED, FAILED }

    static final VerificationStatus IDLE = new VerificationStatus(State.IDLE, 0, 0, 0, "", "", null, null);

    /** Percent done, 0 to 100. */
    public int percent() {
        if (state == State.PASSED || state == State.FAILED) {
            return 100;
        }
        return blocksTotal <= 0 ? 0 : (int) Math.min(99, blocksRead * 100 / blocksTotal);
    }
}
