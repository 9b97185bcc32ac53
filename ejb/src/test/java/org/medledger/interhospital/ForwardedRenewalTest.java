package org.medledger.interhospital;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.Hospital;
import org.medledger.protocol.interhospital.InterHospitalRenewal;

/**
 * What a consortium node and the authority exchange for a forwarded INTER-HOSPITAL renewal: the
 * authority's parameters with its older {@code PK} generations (signed as one body), and the
 * hospital's renewal proof as the node forwards it.
 */
class ForwardedRenewalTest {

    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();
    private final Environment env = Environment.of(curve, Clock.systemUTC(), random);

    @Test
    void theParametersCarryEveryOlderGenerationAndNothingElseDecodes() throws Exception {
        MasterPublicKey g1 = MasterSecret.generate(curve, random).publicKey();
        MasterPublicKey g2 = MasterSecret.generate(curve, random).publicKey();
        MasterPublicKey current = MasterSecret.generate(curve, random).publicKey();
        var certifier = SigningKey.generate(curve, random);
        var p = new ConsortiumAuthority.Parameters(current, certifier.verificationKey(), List.of(g1, g2));
        byte[] body = ConsortiumAuthority.encodeParameters(curve, p);
        var back = ConsortiumAuthority.decodeParameters(curve, body);
        assertEquals(current, back.publicKey());
        assertEquals(List.of(g1, g2), back.older());
        assertArrayEquals(body, ConsortiumAuthority.encodeParameters(curve, back));
        byte[] cut = java.util.Arrays.copyOf(body, body.length - 3);
        assertThrows(ProtocolException.class, () -> ConsortiumAuthority.decodeParameters(curve, cut));
        byte[] longer = java.util.Arrays.copyOf(body, body.length + 1);
        assertThrows(ProtocolException.class, () -> ConsortiumAuthority.decodeParameters(curve, longer));
    }

    @Test
    void aForwardedRenewalIsTheHospitalsProofByItsOldPartialKeyUnchanged() throws Exception {
        MasterSecret s1 = MasterSecret.generate(curve, random);
        KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, random), Clock.systemUTC(), Duration.ofDays(1));
        BlockchainCenter center = new BlockchainCenter(env, s1, certifier);
        PartyKeys party = PartyKeys.generate(curve, random);
        Hospital h = new Hospital(env, new TrustContext(center.publicKey(), certifier.verificationKey(), new InMemoryPartyDirectory(),
                (c, id) -> { }), party, "hpb.h1", q -> true);
        var grant = center.register(h.registrationRequest("hospital hpb.h1")).grant();
        h.acceptRegistration(grant);
        Instant at = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        byte[] proof = PartialKeyRenewal.sign(InterHospitalKeyRenewal.HOSPITAL, grant.sX(), "hpb.h1", "k1", grant.rX(), at);
        var f = new InterHospitalKeyRenewal.Forwarded("hpb.h1", "k1", grant.rX(), at, proof);
        var back = InterHospitalKeyRenewal.Forwarded.decode(env, f.encode(env));
        assertEquals(f.hospitalId(), back.hospitalId());
        assertEquals(f.keyId(), back.keyId());
        assertEquals(f.r(), back.r());
        assertEquals(at, back.at());
        // the authority's check: by the partial key issued under that PK, over exactly these fields
        PartialKeyRenewal.verify(InterHospitalKeyRenewal.HOSPITAL, InterHospitalRenewal.key(s1.publicKey(), "hpb.h1", back.r()),
                back.hospitalId(), back.keyId(), back.r(), back.at(), back.proof(), Instant.now());
        MasterPublicKey other = MasterSecret.generate(curve, random).publicKey();
        assertThrows(ProtocolException.class, () -> PartialKeyRenewal.verify(InterHospitalKeyRenewal.HOSPITAL,
                InterHospitalRenewal.key(other, "hpb.h1", back.r()), back.hospitalId(), back.keyId(), back.r(), back.at(), back.proof(),
                Instant.now()));
        assertThrows(ProtocolException.class, () -> PartialKeyRenewal.verify(InterHospitalKeyRenewal.HOSPITAL,
                InterHospitalRenewal.key(s1.publicKey(), "hpb.h2", back.r()), "hpb.h2", back.keyId(), back.r(), back.at(), back.proof(),
                Instant.now()));
        byte[] encoded = f.encode(env);
        encoded[encoded.length - 1] ^= 1;
        var altered = InterHospitalKeyRenewal.Forwarded.decode(env, encoded);
        assertThrows(ProtocolException.class, () -> PartialKeyRenewal.verify(InterHospitalKeyRenewal.HOSPITAL,
                InterHospitalRenewal.key(s1.publicKey(), "hpb.h1", altered.r()), altered.hospitalId(), altered.keyId(), altered.r(),
                altered.at(), altered.proof(), Instant.now()));
        DomainException garbage = assertThrows(DomainException.class,
                () -> InterHospitalKeyRenewal.Forwarded.decode(env, java.util.Arrays.copyOf(f.encode(env), 20)));
        assertEquals("MALFORMED_REQUEST", garbage.code());
    }

    @Test
    void aForwardedRegistrationIsIdentifiedOnlyWhileItsProofIsFreshSoARetryAfterItsAnswerIsDroppedIsRefused() throws Exception {
        PartyKeys party = PartyKeys.generate(curve, random);
        byte[] ledgerKey = org.medledger.ledger.crypto.P256SignatureScheme.generate(random).publicKey();
        long at = System.currentTimeMillis();
        byte[] payload = org.medledger.protocol.common.KeyPossessionProof.sign(party, ConsortiumAuthority.REGISTRATION, "hpb.h1",
                "hospital hpb.h1", ledgerKey, at).encode();
        assertEquals("hpb.h1", InterHospitalService.forwardedProof(env, payload, at + 1_000).partyId());
        // the authority keeps answers for twice the window and a margin; any later retry is stale, never registered again
        long afterTheAnswerIsDropped = at + ForwardedAnswers.RETENTION.toMillis() + 1;
        DomainException stale = assertThrows(DomainException.class,
                () -> InterHospitalService.forwardedProof(env, payload, afterTheAnswerIsDropped));
        assertEquals("STALE_PROOF", stale.code());
        DomainException early = assertThrows(DomainException.class,
                () -> InterHospitalService.forwardedProof(env, payload, at - Duration.ofMinutes(3).toMillis()));
        assertEquals("STALE_PROOF", early.code());
    }
}
