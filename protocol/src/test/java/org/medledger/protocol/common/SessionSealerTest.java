package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;

class SessionSealerTest {

    private final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    private final InMemoryReplayGuard opened = new InMemoryReplayGuard(clock);
    private final SessionSealer sealer = new SessionSealer(SecretBytes.copyOf(new byte[32]), clock, Fixtures.seededRandom(1), Duration.ofMinutes(5),
            opened);

    @Test
    void sealedStateOpensOnlyForItsKindSessionAndLifetime() throws ProtocolException {
        byte[] sealed = sealer.seal("K", "s-1", new byte[] {1, 2, 3});
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-2", sealed)).reason());
        assertArrayEquals(new byte[] {1, 2, 3}, sealer.open("K", "s-1", sealed));
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-2", sealed)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("L", "s-1", sealed)).reason());
        byte[] t = sealed.clone();
        t[t.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-1", t)).reason());
        clock.advanceMillis(Duration.ofMinutes(6).toMillis());
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-1", sealed)).reason());
    }

    @Test
    void sealedStateOpensOnceAndForgeriesUseNothingUp() throws ProtocolException {
        byte[] sealed = sealer.seal("K", "s-1", new byte[] {4});
        byte[] forged = sealed.clone();
        forged[forged.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-1", forged)).reason());
        assertEquals(0, opened.size());
        assertArrayEquals(new byte[] {4}, sealer.open("K", "s-1", sealed));
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-1", sealed)).reason());
        // another node with the same key and the same (database) guard refuses it too
        SessionSealer otherNode = new SessionSealer(SecretBytes.copyOf(new byte[32]), clock, Fixtures.seededRandom(2), Duration.ofMinutes(5), opened);
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class, () -> otherNode.open("K", "s-1", sealed)).reason());
        // the same state sealed again is a new sealed state: the session continues once more
        byte[] again = sealer.seal("K", "s-1", new byte[] {4});
        assertArrayEquals(new byte[] {4}, otherNode.open("K", "s-1", again));
    }
}
