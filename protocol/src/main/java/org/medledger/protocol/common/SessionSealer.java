package org.medledger.protocol.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Seals a party's in-flight session state (keys included) so that a server can keep it
 * outside memory between two protocol requests (database row, distributed cache) without
 * the store seeing it in clear: AES-256-GCM under a server-held key, bound to a label and a
 * session id, with an expiry after which it no longer opens.
 */
public final class SessionSealer {

    private static final String LABEL = "MEDLEDGER/session-state";

    private final SecretBytes key;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration lifetime;

    public SessionSealer(SecretBytes key, Clock clock, SecureRandom random, Duration lifetime) {
        this.key = Objects.requireNonNull(key, "Key is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.random = Objects.requireNonNull(random, "Randomness is required.");
        this.lifetime = Objects.requireNonNull(lifetime, "Lifetime is required.");
        if (key.length() != Aead.KEY_LENGTH) {
            throw new IllegalArgumentException("Session key must be 32 bytes.");
        }
    }

    /** Seals {@code state} of kind {@code label} for session {@code sessionId}. */
    public byte[] seal(String label, String sessionId, byte[] state) {
        long expires = clock.millis() + lifetime.toMillis();
        byte[] ct = Aead.seal(key, new AssociatedData(LABEL + "/" + label, sessionId, "", expires), state, random);
        return LabelledEncoder.of(LABEL).int64(expires).bytes(ct).toByteArray();
    }

    /**
     * Opens sealed state.
     *
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP} once expired,
     *         {@link Reason#DECRYPTION_FAILED} if altered, of another kind or session
     */
    public byte[] open(String label, String sessionId, byte[] sealed) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(sealed, LABEL);
        long expires = d.int64();
        byte[] ct = d.bytes();
        d.finish();
        if (clock.millis() > expires) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "session state expired");
        }
        return Aead.open(key, new AssociatedData(LABEL + "/" + label, sessionId, "", expires), ct);
    }
}
