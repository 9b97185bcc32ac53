package org.medledger.protocol.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Timestamp and replay policy of PROTOCOLS.md §0: a message timestamp {@code T} (epoch
 * milliseconds) is accepted only if {@code |now − T| ≤ ΔT}, and a message is accepted only
 * once within the window: its {@link ContentId} (a digest of what its signature or MAC covers,
 * never of signature bytes) is recorded in the {@link ReplayGuard}; for a message that is one
 * authenticated ciphertext, a digest of its sender, timestamp, nonce and tag.
 *
 * <p>Parties call {@link #requireFresh(long)} before expensive work and
 * {@link #requireFirstSeen(String, ContentId, long)} once the message has verified, so that
 * forged messages cannot fill the cache.
 */
public final class Freshness {

    /** The default acceptance window ΔT. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);

    /** Label of the replay identifier of a sealed message (see {@link #requireFirstSeenSealed}). */
    static final String SEALED_MESSAGE_ID = "MEDLEDGER/replay/sealed-message";

    private final Clock clock;
    private final Duration window;
    private final ReplayGuard guard;

    public Freshness(Clock clock, Duration window, ReplayGuard guard) {
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.window = Objects.requireNonNull(window, "Window is required.");
        this.guard = Objects.requireNonNull(guard, "Replay guard is required.");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("Window must be positive.");
        }
    }

    /** Default window with an in-memory guard on the same clock. */
    public static Freshness withDefaults(Clock clock) {
        return new Freshness(clock, DEFAULT_WINDOW, new InMemoryReplayGuard(clock));
    }

    public Clock clock() {
        return clock;
    }

    public Duration window() {
        return window;
    }

    /** The current time as a message timestamp. */
    public long now() {
        return clock.millis();
    }

    /** Requires {@code |now − T| ≤ ΔT} ({@link Reason#STALE_TIMESTAMP} otherwise; future times too). */
    public void requireFresh(long timestampMillis) throws ProtocolException {
        long now = clock.millis();
        long delta;
        try {
            delta = Math.abs(Math.subtractExact(now, timestampMillis));
        } catch (ArithmeticException e) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "timestamp outside window");
        }
        if (delta > window.toMillis()) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "timestamp outside window");
        }
    }

    /**
     * Records the message by its content identity for the rest of its window and throws
     * {@link Reason#REPLAY} if it was seen before. A malleated or re-randomized copy of a signed
     * message has the same identity and is refused like a bit-identical one.
     *
     * @param scope the receiving party and message type, e.g. {@code "EMR-AUTH/D/ConsultationRequest/" + ID_D}
     * @param id    what {@link Ecdsa#verify} returned for the message, or {@link ContentId#of} its MAC-bound fields
     */
    public void requireFirstSeen(String scope, ContentId id, long timestampMillis) throws ProtocolException {
        Objects.requireNonNull(id, "Content id is required.");
        requireFresh(timestampMillis);
        record(scope, id.digestNoCopy(), timestampMillis);
    }

    /** Records {@code digest} in {@code scope} until the message could no longer pass the timestamp check. */
    private void record(String scope, byte[] digest, long timestampMillis) throws ProtocolException {
        Instant expiresAt = Instant.ofEpochMilli(timestampMillis).plus(window).plusMillis(1);
        if (!guard.firstSeen(scope, digest, expiresAt)) {
            throw new ProtocolException(Reason.REPLAY, "message seen before");
        }
    }

    /**
     * Uses up a one-time credential (e.g. an INTER-HOSPITAL release authorization): records its
     * content identity in {@code scope} until {@code validUntilMillis}, after which the
     * credential is refused as expired anyway, and throws {@link Reason#REPLAY} if it was used
     * before. Call only after the credential and everything it is used for have been checked.
     */
    public void requireFirstUse(String scope, ContentId id, long validUntilMillis) throws ProtocolException {
        Objects.requireNonNull(id, "Content id is required.");
        if (!guard.firstSeen(scope, id.digestNoCopy(), Instant.ofEpochMilli(validUntilMillis).plusMillis(1))) {
            throw new ProtocolException(Reason.REPLAY, "already used");
        }
    }

    /**
     * As {@link #requireFirstSeen(String, ContentId, long)} for a message that is one
     * {@link Aead} ciphertext ({@code nonce ‖ ciphertext ‖ tag}) whose other fields are all in
     * its associated data: the message is recorded by SHA-256 of the small tuple
     * {@code (senderId, T, nonce, tag)} instead of a digest of its whole encoding.
     *
     * <p>Call only after the ciphertext has opened under the session key. Then the tuple
     * identifies the message: a replay is bit-identical and has the same tuple; an altered copy
     * (ciphertext, nonce, tag or timestamp) does not open and is never recorded; and a different
     * message that opens under the same key with the same nonce and tag would be a GCM forgery.
     * The sender is part of the key so that a message of one peer cannot shadow another's.
     */
    public void requireFirstSeenSealed(String scope, String senderId, byte[] sealed, long timestampMillis)
            throws ProtocolException {
        requireFresh(timestampMillis);
        if (sealed == null || sealed.length < Aead.NONCE_LENGTH + Aead.TAG_LENGTH) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "not a sealed message");
        }
        byte[] id = LabelledEncoder.of(SEALED_MESSAGE_ID).utf8(senderId).int64(timestampMillis)
                .bytes(sealed, 0, Aead.NONCE_LENGTH).bytes(sealed, sealed.length - Aead.TAG_LENGTH, Aead.TAG_LENGTH)
                .toByteArray();
        record(scope, HashToScalar.sha256().digest(id), timestampMillis);
    }
}
