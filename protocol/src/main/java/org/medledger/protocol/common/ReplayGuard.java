package org.medledger.protocol.common;

import java.time.Instant;

/**
 * Remembers message digests for the acceptance window so that a message is accepted
 * once (PROTOCOLS.md §0: "the replay cache is ours"). The server backs this with a
 * unique-keyed table; {@link InMemoryReplayGuard} serves tests and the device client.
 */
public interface ReplayGuard {

    /**
     * Atomically records {@code digest} under {@code scope} until {@code expiresAt}.
     *
     * @return {@code true} if it was not seen before (the message may proceed),
     *         {@code false} if it is a replay
     */
    boolean firstSeen(String scope, byte[] digest, Instant expiresAt);
}
