package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;
import org.medledger.protocol.testkit.Fixtures.MutableClock;

class FreshnessTest {

    private final MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    private final Freshness freshness = new Freshness(clock, Duration.ofSeconds(30), new InMemoryReplayGuard(clock));

    @Test
    void timestampInsideWindowIsAccepted() {
        long now = clock.millis();
        assertDoesNotThrow(() -> freshness.requireFresh(now - 30_000));
        assertDoesNotThrow(() -> freshness.requireFresh(now + 30_000));
    }

    @Test
    void staleTimestampIsRejected() {
        long t = clock.millis() - 30_001;
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> freshness.requireFresh(t)).reason());
    }

    @Test
    void futureTimestampIsRejected() {
        long t = clock.millis() + 30_001;
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> freshness.requireFresh(t)).reason());
    }

    @Test
    void extremeTimestampsDoNotOverflow() {
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> freshness.requireFresh(Long.MIN_VALUE)).reason());
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> freshness.requireFresh(Long.MAX_VALUE)).reason());
    }

    @Test
    void replayInsideWindowIsRejected() throws ProtocolException {
        long t = clock.millis();
        byte[] msg = {1, 2, 3};
        freshness.requireFirstSeen("scope", msg, t);
        clock.advanceMillis(10_000);
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class, () -> freshness.requireFirstSeen("scope", msg, t)).reason());
    }

    @Test
    void sameBytesInAnotherScopeAreNotAReplay() throws ProtocolException {
        long t = clock.millis();
        byte[] msg = {1, 2, 3};
        freshness.requireFirstSeen("a", msg, t);
        assertDoesNotThrow(() -> freshness.requireFirstSeen("b", msg, t));
    }

    @Test
    void replayAfterWindowIsStaleNotAccepted() throws ProtocolException {
        long t = clock.millis();
        byte[] msg = {9};
        freshness.requireFirstSeen("scope", msg, t);
        clock.advanceMillis(31_000);
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> freshness.requireFirstSeen("scope", msg, t)).reason());
    }

    @Test
    void fullGuardFailsClosed() {
        InMemoryReplayGuard guard = new InMemoryReplayGuard(clock, 1);
        assertEquals(true, guard.firstSeen("s", new byte[] {1}, clock.instant().plusSeconds(30)));
        assertEquals(false, guard.firstSeen("s", new byte[] {2}, clock.instant().plusSeconds(30)));
    }

    private static byte[] sealedLike(int seed) {
        byte[] b = new byte[Aead.NONCE_LENGTH + 10 + Aead.TAG_LENGTH];
        Fixtures.seededRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void sealedMessageReplayIsRejected() throws ProtocolException {
        long t = clock.millis();
        byte[] sealed = sealedLike(1);
        freshness.requireFirstSeenSealed("scope", "A", sealed, t);
        clock.advanceMillis(10_000);
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class,
                () -> freshness.requireFirstSeenSealed("scope", "A", sealed.clone(), t)).reason());
        clock.advanceMillis(21_000);
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class,
                () -> freshness.requireFirstSeenSealed("scope", "A", sealed, t)).reason());
    }

    @Test
    void sealedMessagesAreIdentifiedBySenderTimestampNonceAndTag() throws ProtocolException {
        long t = clock.millis();
        byte[] sealed = sealedLike(2);
        freshness.requireFirstSeenSealed("scope", "A", sealed, t);
        // another sender, another timestamp, another nonce, another tag: each a different message
        assertDoesNotThrow(() -> freshness.requireFirstSeenSealed("scope", "B", sealed, t));
        assertDoesNotThrow(() -> freshness.requireFirstSeenSealed("scope", "A", sealed, t + 1));
        byte[] otherNonce = sealed.clone();
        otherNonce[0] ^= 1;
        assertDoesNotThrow(() -> freshness.requireFirstSeenSealed("scope", "A", otherNonce, t));
        byte[] otherTag = sealed.clone();
        otherTag[otherTag.length - 1] ^= 1;
        assertDoesNotThrow(() -> freshness.requireFirstSeenSealed("scope", "A", otherTag, t));
        // shorter than nonce ‖ tag: not a sealed message
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class,
                () -> freshness.requireFirstSeenSealed("scope", "A", new byte[Aead.NONCE_LENGTH + Aead.TAG_LENGTH - 1], t)).reason());
    }
}
