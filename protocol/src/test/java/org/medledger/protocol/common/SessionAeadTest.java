package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;

class SessionAeadTest {

    private final SecureRandom random = Fixtures.seededRandom(5);
    private final SecretBytes key = SecretBytes.copyOf(bytes(32, 7));
    private final AssociatedData ad = new AssociatedData("test/label", "A", "B", 42L);

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        Fixtures.seededRandom(seed).nextBytes(b);
        return b;
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    @Test
    void interoperatesWithAeadInBothDirectionsOverManyMessages() throws ProtocolException {
        SessionAead s = new SessionAead(key);
        for (int i = 0; i < 5; i++) {
            byte[] pt = bytes(17 + 300 * i, i);
            AssociatedData adI = new AssociatedData("test/label", "A", "B", i);
            assertArrayEquals(pt, Aead.open(key, adI, s.seal(adI, pt, random)));
            assertArrayEquals(pt, s.open(adI, Aead.seal(key, adI, pt, random)));
            assertArrayEquals(pt, s.open(adI, s.seal(adI, pt, random)));
        }
    }

    @Test
    void everyMessageGetsItsOwnNonce() {
        SessionAead s = new SessionAead(key);
        byte[] pt = bytes(64, 1);
        byte[] a = s.seal(ad, pt, random);
        byte[] b = s.seal(ad, pt, random);
        assertFalse(Arrays.equals(Arrays.copyOf(a, Aead.NONCE_LENGTH), Arrays.copyOf(b, Aead.NONCE_LENGTH)));
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void alteredTagCiphertextNonceOrAssociatedDataIsRefusedAndTheSessionStillWorks() throws ProtocolException {
        SessionAead s = new SessionAead(key);
        byte[] pt = bytes(200, 2);
        byte[] sealed = s.seal(ad, pt, random);
        for (int pos : new int[] {0, Aead.NONCE_LENGTH + 3, sealed.length - 1}) {
            byte[] t = sealed.clone();
            t[pos] ^= 1;
            assertEquals(Reason.DECRYPTION_FAILED, reason(() -> s.open(ad, t)));
        }
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> s.open(new AssociatedData("test/label", "A", "B", 43L), sealed)));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> s.open(ad, Arrays.copyOf(sealed, Aead.NONCE_LENGTH + Aead.TAG_LENGTH - 1))));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> new SessionAead(SecretBytes.copyOf(bytes(32, 8))).open(ad, sealed)));
        assertArrayEquals(pt, s.open(ad, sealed));
    }

    @Test
    void destroyedSessionOrKeyIsUnusable() {
        SessionAead s = new SessionAead(key);
        s.seal(ad, new byte[1], random);
        s.destroy();
        assertTrue(s.isDestroyed());
        assertThrows(IllegalStateException.class, () -> s.seal(ad, new byte[1], random));
        SecretBytes k2 = SecretBytes.copyOf(bytes(32, 9));
        SessionAead s2 = new SessionAead(k2);
        s2.seal(ad, new byte[1], random);
        k2.destroy();
        assertThrows(IllegalStateException.class, () -> s2.open(ad, new byte[40]));
        assertThrows(IllegalArgumentException.class, () -> new SessionAead(SecretBytes.copyOf(new byte[16])));
    }
}
