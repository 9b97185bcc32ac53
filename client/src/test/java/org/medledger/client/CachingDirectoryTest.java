package org.medledger.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SigningKey;

/** The directory cache stays bounded: past its size the least recently used party is read again. */
class CachingDirectoryTest {

    @Test
    void theLeastRecentlyUsedPartyLeavesFirst() {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, random), Clock.systemUTC(), Duration.ofDays(1));
        PartyKeys keys = PartyKeys.generate(curve, random);
        List<String> reads = new ArrayList<>();
        CachingDirectory d = new CachingDirectory((role, id) -> {
            reads.add(id);
            return Optional.of(certifier.certify("S", role, id, keys.signingPublic(), keys.kemPublic(), Optional.empty()));
        }, () -> Instant.EPOCH, 2);
        for (String id : List.of("a", "b", "a", "c", "a", "b")) {
            assertEquals(id, d.find("S", "r", id).orElseThrow().partyId());
        }
        assertEquals(List.of("a", "b", "c", "b"), reads, "c pushed out b, the least recently used; a stayed");
    }
}
