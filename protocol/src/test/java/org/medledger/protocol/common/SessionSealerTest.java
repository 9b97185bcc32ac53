package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;

class SessionSealerTest {

    private final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    private final SessionSealer sealer = new SessionSealer(SecretBytes.copyOf(new byte[32]), clock, Fixtures.seededRandom(1), Duration.ofMinutes(5));

    @Test
    void sealedStateOpensOnlyForItsKindSessionAndLifetime() throws ProtocolException {
        byte[] sealed = sealer.seal("K", "s-1", new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, sealer.open("K", "s-1", sealed));
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-2", sealed)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("L", "s-1", sealed)).reason());
        byte[] t = sealed.clone();
        t[t.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-1", t)).reason());
        clock.advanceMillis(Duration.ofMinutes(6).toMillis());
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> sealer.open("K", "s-1", sealed)).reason());
    }
}
