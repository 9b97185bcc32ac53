package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.PairingGroup;

/** The acceptance scenario of PROTOCOLS.md §4: an insurance claim, end to end (seed 003, Fig. 4). */
class InsuranceClaimScenarioTest {

    private final PairingGroup group = Bls12381.get();
    private final SecureRandom random = FixedRandom.seeded(2026);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T15:00:00Z"), ZoneOffset.UTC);
    private final KeyGenerationCenter kgc = new KeyGenerationCenter(group, random);
    private final CombinedScheme scheme = new CombinedScheme(kgc.publicParameters(), random);
    private final Patient patient = new Patient(kgc.issueIdentityKey("patient:alice"), scheme, clock);
    private final Hospital hospital = new Hospital(kgc.issueIdentityKey("hospital:st-mary"), scheme, clock, random);
    private final Endorser endorser = new Endorser(scheme, clock);
    private final RecordDescriptor descriptor =
            new RecordDescriptor("emr-2026-0001", "patient:alice", "hospital:st-mary", "discharge summary, cardiology");
    private final byte[] record = "Discharge summary: NSTEMI, PCI to LAD, discharged day 3.".getBytes(StandardCharsets.UTF_8);

    @Test
    void insurerWithTheAttributesDecryptsTheAuthorizedRecordAndOneWithoutCannot() throws ProtocolException {
        // 1. the patient authorizes "insurer AND claims" for this record
        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        // 2. the hospital encrypts under that policy and signs
        RecordSubmission submission = hospital.submit(letter, record);
        // 3. the endorser matches letter and submission (both cross the wire to the pool)
        AuthorizationLetter pooledLetter = AuthorizationLetter.decode(group, letter.toBytes());
        RecordSubmission pooledSubmission = RecordSubmission.decode(group, submission.toBytes());
        EndorsedRecord endorsed = endorser.endorse(pooledLetter, pooledSubmission);
        // 4. an insurer with the attributes finds and decrypts it
        DataConsumer insurer = new DataConsumer(kgc.issueAttributeKey(Set.of("insurer", "claims")), scheme);
        assertArrayEquals(record, insurer.open(endorsed));
        // an insurer without "claims" cannot
        DataConsumer sales = new DataConsumer(kgc.issueAttributeKey(Set.of("insurer", "sales")), scheme);
        ProtocolException e = assertThrows(ProtocolException.class, () -> sales.open(endorsed));
        assertEquals(Reason.POLICY_NOT_SATISFIED, e.reason());
    }

    @Test
    void endorserRejectsACiphertextUnderAnotherPolicy() throws ProtocolException {
        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        AuthorizationLetter wider = patient.authorize(descriptor, "insurer OR researcher", Duration.ofDays(30));
        RecordSubmission submittedUnderWider = hospital.submit(wider, record);
        ProtocolException e = assertThrows(ProtocolException.class, () -> endorser.endorse(letter, submittedUnderWider));
        assertEquals(Reason.NOT_AUTHORIZED, e.reason());
    }

    @Test
    void endorserRejectsForgedOrMisattributedSignatures() throws ProtocolException {
        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        RecordSubmission submission = hospital.submit(letter, record);
        // a letter "signed" by someone else (another patient's key over the same content)
        Patient mallory = new Patient(kgc.issueIdentityKey("patient:mallory"), scheme, clock);
        RecordDescriptor mallorys = new RecordDescriptor("emr-2026-0001", "patient:mallory", "hospital:st-mary", "x");
        AuthorizationLetter other = mallory.authorize(mallorys, "insurer AND claims", Duration.ofDays(30));
        AuthorizationLetter spliced = new AuthorizationLetter(descriptor, letter.policy(), letter.issuedAt(),
                letter.expiresAt(), other.patientSignature());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> endorser.endorse(spliced, submission)).reason());
        // a submission signed by another hospital
        Hospital rogue = new Hospital(kgc.issueIdentityKey("hospital:rogue"), scheme, clock, random);
        RecordSubmission rogueSigned = new RecordSubmission(descriptor, submission.sealed(),
                new CombinedScheme(kgc.publicParameters(), random).sign(kgc.issueIdentityKey("hospital:rogue"), submission.signedBytes()));
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> endorser.endorse(letter, rogueSigned)).reason());
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class, () -> rogue.submit(letter, record)).reason());
        // a different sealed record under the hospital's original signature
        RecordSubmission swapped = new RecordSubmission(descriptor, hospital.submit(letter, "other".getBytes(StandardCharsets.UTF_8)).sealed(),
                submission.hospitalSignature());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> endorser.endorse(letter, swapped)).reason());
    }

    @Test
    void endorserRejectsExpiredLettersAndMismatchedRecords() throws ProtocolException {
        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        RecordSubmission submission = hospital.submit(letter, record);
        Endorser later = new Endorser(scheme, Clock.offset(clock, Duration.ofDays(31)));
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> later.endorse(letter, submission)).reason());
        RecordDescriptor otherRecord = new RecordDescriptor("emr-2026-0002", "patient:alice", "hospital:st-mary", "x");
        AuthorizationLetter forOther = patient.authorize(otherRecord, "insurer AND claims", Duration.ofDays(30));
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class, () -> endorser.endorse(forOther, submission)).reason());
    }

    @Test
    void tamperedRecordBodyFailsAuthenticatedDecryption() throws ProtocolException {
        AuthorizationLetter letter = patient.authorize(descriptor, "insurer AND claims", Duration.ofDays(30));
        RecordSubmission submission = hospital.submit(letter, record);
        byte[] body = submission.sealed().body();
        body[body.length - 1] ^= 1;
        RecordSubmission tampered = new RecordSubmission(descriptor, new SealedRecord(submission.sealed().kem(), body),
                submission.hospitalSignature());
        // the endorser stops it (signature), and even past the endorser the AEAD would
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> endorser.endorse(letter, tampered)).reason());
        DataConsumer insurer = new DataConsumer(kgc.issueAttributeKey(Set.of("insurer", "claims")), scheme);
        ProtocolException e = assertThrows(ProtocolException.class, () -> insurer.open(new EndorsedRecord(letter, tampered)));
        assertEquals(Reason.DECRYPTION_FAILED, e.reason());
    }
}
