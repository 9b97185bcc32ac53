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
        ContentId msg = ContentId.ofAuthenticatedEncoding(new byte[] {1, 2, 3});
        freshness.requireFirstSeen("scope", msg, t);
        clock.advanceMillis(10_000);
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class, () -> freshness.requireFirstSeen("scope", msg, t)).reason());
    }

    @Test
    void sameBytesInAnotherScopeAreNotAReplay() throws ProtocolException {
        long t = clock.millis();
        ContentId msg = ContentId.ofAuthenticatedEncoding(new byte[] {1, 2, 3});
        freshness.requireFirstSeen("a", msg, t);
        assertDoesNotThrow(() -> freshness.requireFirstSeen("b", msg, t));
    }

    @Test
    void replayAfterWindowIsStaleNotAccepted() throws ProtocolException {
        long t = clock.millis();
        ContentId msg = ContentId.ofAuthenticatedEncoding(new byte[] {9});
        freshness.requireFirstSeen("scope", msg, t);
        clock.advanceMillis(31_000);
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> freshness.requireFirstSeen("scope", msg, t)).reason());
    }

    /**
     * The replay identity of a signed message is what the signature covers: a second, different
     * valid signature of the same content (which only the signer can make; a third party's
     * high-S twin is refused by {@link Ecdsa} itself) is still the same message.
     */
    @Test
    void signedMessageIsRecordedByItsContentNotItsSignature() throws ProtocolException {
        CurveProfile curve = CurveProfile.p256();
        SigningKey key = SigningKey.generate(curve, Fixtures.seededRandom(3));
        LabelledEncoder content = LabelledEncoder.of("T/signed").utf8("hello").int64(clock.millis());
        byte[] sig = Ecdsa.sign(key, content);
        byte[] other = otherSignature(key, content);
        ContentId first = Ecdsa.verify(key.verificationKey(), content, sig);
        ContentId second = Ecdsa.verify(key.verificationKey(), content, other);
        assertEquals(first, second);
        freshness.requireFirstSeen("scope", first, clock.millis());
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class,
                () -> freshness.requireFirstSeen("scope", second, clock.millis())).reason());
        // and the identity is the content's: another content is another message
        LabelledEncoder changed = LabelledEncoder.of("T/signed").utf8("hellO").int64(clock.millis());
        assertDoesNotThrow(() -> freshness.requireFirstSeen("scope",
                Ecdsa.verify(key.verificationKey(), changed, Ecdsa.sign(key, changed)), clock.millis()));
    }

    /** A second valid low-S signature of {@code content} with a random nonce (as a signer could send). */
    private static byte[] otherSignature(SigningKey key, LabelledEncoder content) {
        CurveProfile curve = key.curve();
        org.bouncycastle.crypto.signers.ECDSASigner s = new org.bouncycastle.crypto.signers.ECDSASigner();
        s.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(
                new org.bouncycastle.crypto.params.ECPrivateKeyParameters(key.exportSecret().reveal(), curve.domain()),
                Fixtures.seededRandom(99)));
        byte[] m = content.toByteArray();
        java.math.BigInteger[] rs = s.generateSignature(HashToScalar.sha256().digest(m));
        java.math.BigInteger low = rs[1].compareTo(curve.order().shiftRight(1)) > 0 ? curve.order().subtract(rs[1]) : rs[1];
        byte[] out = new byte[64];
        org.bouncycastle.util.BigIntegers.asUnsignedByteArray(rs[0], out, 0, 32);
        org.bouncycastle.util.BigIntegers.asUnsignedByteArray(low, out, 32, 32);
        return out;
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
