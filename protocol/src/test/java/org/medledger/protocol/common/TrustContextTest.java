package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;

class TrustContextTest {

    private final CurveProfile c = CurveProfile.p256();
    private final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    private final KeyCertifier kgc = new KeyCertifier(SigningKey.generate(c, Fixtures.seededRandom(1)), clock, Duration.ofHours(1));
    private final InMemoryPartyDirectory dir = new InMemoryPartyDirectory();
    private final TrustContext trust = new TrustContext(MasterSecret.generate(c, Fixtures.seededRandom(2)).publicKey(),
            kgc.verificationKey(), dir, (x, y) -> { });
    private final PartyKeys keys = PartyKeys.generate(c, Fixtures.seededRandom(3));

    @Test
    void aVerifiedEntryStillExpiresAndAForgedReplacementIsStillChecked() throws ProtocolException {
        DirectoryEntry e = kgc.certify("S", "r", "X", keys.signingPublic(), keys.kemPublic(), Optional.empty());
        dir.put(e);
        assertEquals(e, trust.resolve("S", "r", "X", clock.millis()));
        assertEquals(e, trust.resolve("S", "r", "X", clock.millis()));
        // a rogue entry under the same name, with the same fields, is not covered by the cache
        KeyCertifier rogue = new KeyCertifier(SigningKey.generate(c, Fixtures.seededRandom(4)), clock, Duration.ofHours(1));
        dir.put(rogue.certify("S", "r", "X", keys.signingPublic(), keys.kemPublic(), Optional.empty()));
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> trust.resolve("S", "r", "X", clock.millis())).reason());
        // the genuine, cached entry still expires
        dir.put(e);
        clock.advanceMillis(Duration.ofHours(2).toMillis());
        assertEquals(Reason.CERT_INVALID, assertThrows(ProtocolException.class, () -> trust.resolve("S", "r", "X", clock.millis())).reason());
        assertEquals(Reason.UNKNOWN_PARTY, assertThrows(ProtocolException.class, () -> trust.resolve("S", "r", "Y", clock.millis())).reason());
    }
}
