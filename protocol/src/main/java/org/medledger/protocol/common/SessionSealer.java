package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.bouncycastle.util.encoders.Hex;

/**
 * Seals a party's in-flight session state (keys included) so that a server can keep it
 * outside memory between two protocol requests (database row, distributed cache) without
 * the store seeing it in clear: AES-256-GCM under a server-held key, bound to a label, a
 * session id and a random state id, with an expiry after which it no longer opens.
 *
 * <p>Each sealed state opens <b>once</b>: {@link #open} records the state id in a
 * {@link ReplayGuard} (the server's database-backed one, so every node of a cluster sees the
 * use) before it hands the state out, and refuses a second open with {@link Reason#REPLAY}.
 * A session that continues is sealed again (a new state id). Sessions refuse to be exported
 * once their one-shot step (release, contract, transfer) ran, so no sealed state is of a
 * finished session.
 */
public final class SessionSealer {

    private static final String LABEL = "MEDLEDGER/session-state";
    /** Length of the random id of one sealed state. */
    static final int STATE_ID_LENGTH = 16;

    private final SecretBytes key;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration lifetime;
    private final ReplayGuard opened;

    /**
     * @param opened where opened state ids are recorded until their expiry; the same store for
     *               every node that may resume a session
     */
    public SessionSealer(SecretBytes key, Clock clock, SecureRandom random, Duration lifetime, ReplayGuard opened) {
        this.key = Objects.requireNonNull(key, "Key is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.random = Objects.requireNonNull(random, "Randomness is required.");
        this.lifetime = Objects.requireNonNull(lifetime, "Lifetime is required.");
        this.opened = Objects.requireNonNull(opened, "Replay guard is required.");
        if (key.length() != Aead.KEY_LENGTH) {
            throw new IllegalArgumentException("Session key must be 32 bytes.");
        }
    }

    /** Seals {@code state} of kind {@code label} for session {@code sessionId}; opens once. */
    public byte[] seal(String label, String sessionId, byte[] state) {
        long expires = clock.millis() + lifetime.toMillis();
        byte[] stateId = new byte[STATE_ID_LENGTH];
        random.nextBytes(stateId);
        byte[] ct = Aead.seal(key, associatedData(label, sessionId, stateId, expires), state, random);
        return LabelledEncoder.of(LABEL).bytes(stateId).int64(expires).bytes(ct).toByteArray();
    }

    /**
     * Opens sealed state and uses it up.
     *
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP} once expired,
     *         {@link Reason#DECRYPTION_FAILED} if altered, of another kind or session,
     *         {@link Reason#REPLAY} if this sealed state was opened before
     */
    public byte[] open(String label, String sessionId, byte[] sealed) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(sealed, LABEL);
        byte[] stateId = d.bytes(STATE_ID_LENGTH);
        long expires = d.int64();
        byte[] ct = d.bytes();
        d.finish();
        if (clock.millis() > expires) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "session state expired");
        }
        // authenticate first, so that forged blobs cannot use up ids
        byte[] state = Aead.open(key, associatedData(label, sessionId, stateId, expires), ct);
        if (!opened.firstSeen(LABEL + "/" + label, stateId, Instant.ofEpochMilli(expires).plusMillis(1))) {
            java.util.Arrays.fill(state, (byte) 0);
            throw new ProtocolException(Reason.REPLAY, "session state already used");
        }
        return state;
    }

    private static AssociatedData associatedData(String label, String sessionId, byte[] stateId, long expires) {
        return new AssociatedData(LABEL + "/" + label, sessionId, Hex.toHexString(stateId), expires);
    }
}
