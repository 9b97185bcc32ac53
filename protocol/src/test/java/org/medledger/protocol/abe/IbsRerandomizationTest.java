package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * Anyone holding a letter can re-randomize the patient's IBS signature (public parameters and
 * hashes only) into a different valid one; the pool and the ledger identify the letter by its
 * signed content, so the copy is the same letter.
 */
class IbsRerandomizationTest {

    private final PairingGroup group = Bls12381.get();
    private final SecureRandom random = FixedRandom.seeded(77);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T15:00:00Z"), ZoneOffset.UTC);
    private final KeyGenerationCenter kgc = new KeyGenerationCenter(group, random);
    private final CombinedScheme scheme = new CombinedScheme(kgc.publicParameters(), random);
    private final Patient patient = new Patient(kgc.issueIdentityKey("patient:alice"), scheme, clock);
    private final Hospital hospital = new Hospital(kgc.issueIdentityKey("hospital:st-mary"), scheme, clock, random);
    private final Endorser endorser = new Endorser(scheme, clock);
    private final RecordDescriptor descriptor =
            new RecordDescriptor("emr-2026-0002", "patient:alice", "hospital:st-mary", "discharge summary");

    /** σ' = (S0·g2^{a(δ+τ)}, S1·g2^δ, S2·g2^τ, S3·H(id)^δ·H(m)^τ): valid on m for the same identity. */
    private IbsSignature rerandomize(IbsSignature s, byte[] message) {
        PublicParameters pp = scheme.publicParameters();
        AbeHashes h = pp.hashes();
        BigInteger delta = group.randomScalar(FixedRandom.seeded(5));
        BigInteger tau = group.randomScalar(FixedRandom.seeded(6));
        return new IbsSignature(s.identity(),
                s.s0().add(pp.g2A().multiply(delta.add(tau))),
                s.s1().add(group.g2().multiply(delta)),
                s.s2().add(group.g2().multiply(tau)),
                s.s3().add(h.identity(s.identity()).multiply(delta)).add(h.message(message).multiply(tau)));
    }

    @Test
    void reRandomizedLetterIsTheSameLetter() throws ProtocolException {
        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        AuthorizationLetter copy = new AuthorizationLetter(letter.descriptor(), letter.policy(), letter.issuedAt(),
                letter.expiresAt(), rerandomize(letter.patientSignature(), letter.signedBytes()));
        // a genuinely different valid signature: the endorser accepts both
        assertFalse(java.util.Arrays.equals(letter.toBytes(), copy.toBytes()));
        RecordSubmission submission = hospital.submit(letter, "record".getBytes(StandardCharsets.UTF_8));
        endorser.endorse(letter, submission);
        endorser.endorse(copy, submission);
        // ... and counts them once
        Set<String> pool = new HashSet<>();
        pool.add(letter.id());
        pool.add(AuthorizationLetter.decode(group, copy.toBytes()).id());
        assertEquals(1, pool.size());
        // the same for the hospital's submission
        RecordSubmission subCopy = new RecordSubmission(submission.descriptor(), submission.sealed(),
                rerandomize(submission.hospitalSignature(), submission.signedBytes()));
        endorser.endorse(letter, subCopy);
        assertFalse(java.util.Arrays.equals(submission.toBytes(), subCopy.toBytes()));
        assertEquals(submission.id(), subCopy.id());
        // a different letter is a different id
        AuthorizationLetter other = patient.authorize(descriptor, "insurer OR claims", Duration.ofDays(30));
        assertFalse(other.id().equals(letter.id()));
    }
}
