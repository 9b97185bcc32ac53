package org.medledger.protocol.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Freshness;
import org.medledger.protocol.common.InMemoryReplayGuard;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.pairing.FixedRandom;

/** EHR, EMR, PHR uploads, the APHR aggregation and its retrieval by a group member (seed 004 §III-C, §III-E). */
class UploadAndAggregationTest {

    private static final byte[] SI_G = "aggregated: BP trend, HbA1c, meds".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = FixedRandom.seeded(8);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T15:00:00Z"), ZoneOffset.UTC);
    private final CurveProfile curve = CurveProfile.p256();
    private final PartyKeys hcKeys = PartyKeys.generate(curve, random);
    private final PartyKeys doctorKeys = PartyKeys.generate(curve, random);
    private final PartyKeys patientKeys = PartyKeys.generate(curve, random);
    private final Map<String, VerificationKey> producers = Map.of(
            "hc:city", hcKeys.signingPublic(), "doctor:bob", doctorKeys.signingPublic(), "alice", patientKeys.signingPublic());
    private final Map<String, ProducerRole> roles = Map.of(
            "hc:city", ProducerRole.HEALTHCARE_CENTER, "doctor:bob", ProducerRole.DOCTOR, "alice", ProducerRole.PATIENT);
    /** alice owns the ring's group; only members write its index. */
    private final GroupMembership members = (gid, id) -> gid.equals(this.ring.roster.groupId()) && id.equals("alice");
    private final Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());

    private BlockTransformationSystem bt;
    private Ring ring;
    private List<GroupSessionKey> gsks;

    @BeforeEach
    void setUp() throws ProtocolException {
        bt = new BlockTransformationSystem(producers, roles, members, freshness(clock), 0);
        ring = Ring.authenticated(t, random, 3);
        gsks = ring.groupKey();
    }

    private static Freshness freshness(Clock c) {
        return new Freshness(c, Duration.ofSeconds(30), new InMemoryReplayGuard(c));
    }

    private Block upload(UploadRecord c) throws ProtocolException {
        BlockHeader header = bt.accept(UploadRecord.decode(c.toBytes()));
        assertTrue(bt.contains(header), "the producer finds its block on the chain");
        return bt.block(header.blockId()).orElseThrow();
    }

    @Test
    void recordsAreUploadedAggregatedAndReadByAGroupMember() throws ProtocolException {
        String group = "group:" + ring.roster.groupId();
        RecordProducer hc = new RecordProducer("hc:city", hcKeys, clock, random);
        RecordProducer doctor = new RecordProducer("doctor:bob", doctorKeys, clock, random);
        RecordProducer patient = new RecordProducer("alice", patientKeys, clock, random);
        Block ehr = upload(hc.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("lab panel"), bytes("HIV neg")));
        Block emr = upload(doctor.produce(RecordKind.EMR, "patient:alice", patientKeys.kemPublic(), bytes("diagnosis"), bytes("T2D")));
        Block phr = upload(patient.produce(RecordKind.PHR, group, patientKeys.kemPublic(), bytes("home BP"), bytes("145/90")));

        AphrAggregator aggregator = new AphrAggregator("alice", patientKeys, producers, clock, random);
        assertArrayEquals(bytes("HIV neg"), aggregator.openSensitive(ehr.record()).reveal());
        Block aphr = upload(aggregator.aggregate(ehr, emr, phr, gsks.get(0), bytes("APHR 2026-11"), SI_G));

        // a member searches the chain for the group's blocks, decrypts with its own GSK, verifies all signatures
        List<Block> found = bt.blocksFor(group);
        assertEquals(2, found.size()); // the PHR and the APHR
        AggregatedRecord read = new AphrReader(producers).read(aphr, gsks.get(2), bt::block);
        assertArrayEquals(SI_G, read.sensitive().reveal());
        assertEquals(ehr, read.ehr());
        assertTrue(bt.verifyChain());
    }

    @Test
    void aProducerUploadsOnlyTheKindOfItsRole() throws ProtocolException {
        RecordProducer doctor = new RecordProducer("doctor:bob", doctorKeys, clock, random);
        RecordProducer patient = new RecordProducer("alice", patientKeys, clock, random);
        // Correctly signed, but a doctor does not make EHRs and a patient no EMRs (as in the ledger's contract).
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class, () -> bt.accept(
                doctor.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("lab"), bytes("forged")))).reason());
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class, () -> bt.accept(
                patient.produce(RecordKind.EMR, "patient:alice", patientKeys.kemPublic(), bytes("dx"), bytes("self-made")))).reason());
        // An EMR goes to a patient, a PHR to a group.
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> bt.accept(
                doctor.produce(RecordKind.EMR, "group:" + ring.roster.groupId(), patientKeys.kemPublic(), bytes("dx"), bytes("x")))).reason());
    }

    @Test
    void onlyTheGroupsMembersWriteItsIndex() throws ProtocolException {
        PartyKeys malloryKeys = PartyKeys.generate(curve, random);
        java.util.HashMap<String, VerificationKey> all = new java.util.HashMap<>(producers);
        all.put("mallory", malloryKeys.signingPublic());
        java.util.HashMap<String, ProducerRole> allRoles = new java.util.HashMap<>(roles);
        allRoles.put("mallory", ProducerRole.PATIENT);
        BlockTransformationSystem chain = new BlockTransformationSystem(all, allRoles, members, freshness(clock), 0);
        RecordProducer mallory = new RecordProducer("mallory", malloryKeys, clock, random);
        String group = "group:" + ring.roster.groupId();
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class, () -> chain.accept(
                mallory.produce(RecordKind.PHR, group, patientKeys.kemPublic(), bytes("steps"), bytes("forged")))).reason());
        assertTrue(chain.blocksFor(group).isEmpty());
        chain.accept(new RecordProducer("alice", patientKeys, clock, random).produce(RecordKind.PHR, group, patientKeys.kemPublic(),
                bytes("steps"), bytes("9000")));
        assertEquals(1, chain.blocksFor(group).size());
    }

    @Test
    void theReaderRefusesAnAphrBuiltOnAnotherPatientsRecords() throws ProtocolException {
        String group = "group:" + ring.roster.groupId();
        RecordProducer hc = new RecordProducer("hc:city", hcKeys, clock, random);
        RecordProducer doctor = new RecordProducer("doctor:bob", doctorKeys, clock, random);
        // carol's EHR and EMR are on the chain (encrypted to her; ids and signatures are public)
        PartyKeys carol = PartyKeys.generate(curve, random);
        Block ehr = upload(hc.produce(RecordKind.EHR, "patient:carol", carol.kemPublic(), bytes("lab panel"), bytes("HIV pos")));
        Block emr = upload(doctor.produce(RecordKind.EMR, "patient:carol", carol.kemPublic(), bytes("diagnosis"), bytes("HIV")));
        Block phr = upload(new RecordProducer("alice", patientKeys, clock, random).produce(RecordKind.PHR, group,
                patientKeys.kemPublic(), bytes("home BP"), bytes("120/80")));
        // alice (a member) passes them off as part of her own APHR: s_G built by hand, the aggregator would refuse.
        GroupSessionKey gsk = gsks.get(0);
        byte[] r = new byte[32];
        long now = clock.millis();
        byte[] plain = org.medledger.protocol.common.LabelledEncoder.of(AphrAggregator.S_G_PLAIN).bytes(bytes("agg")).bytes(r)
                .bytes(ehr.blockId()).bytes(emr.blockId()).bytes(phr.blockId())
                .bytes(ehr.record().signature()).bytes(emr.record().signature()).bytes(phr.record().signature()).toByteArray();
        byte[] sG = org.medledger.protocol.common.Aead.seal(gsk.key(), new org.medledger.protocol.common.AssociatedData(
                AphrAggregator.S_G_LABEL, "alice", group, now), plain, random);
        Block aphr = upload(RecordProducer.sign(patientKeys, RecordKind.APHR, "alice", group, bytes("APHR"), sG,
                SensitiveInformation.rHash(r), now));
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class,
                () -> new AphrReader(producers).read(aphr, gsks.get(2), bt::block)).reason());
    }

    @Test
    void theBroadcastConfirmationTagIsNotAMacUnderTheRecordKey() {
        GroupSessionKey gsk = gsks.get(0);
        String member = gsk.members().get(0);
        byte[] underRecordKey = org.medledger.protocol.common.CheckValues.mac(gsk.key(),
                org.medledger.protocol.common.LabelledEncoder.of("GROUP-AGG/GSK/confirm").utf8(gsk.groupId()).int64(gsk.epoch()).utf8(member));
        assertFalse(java.util.Arrays.equals(underRecordKey, gsk.confirmationTag(member)));
        assertTrue(gsk.sameKeyAs(gsks.get(1)), "every member still derives the same keys");
        assertArrayEquals(gsks.get(1).confirmationTag(member), gsk.confirmationTag(member));
    }

    @Test
    void aLeaversOldGroupKeyCannotReadTheNextAphr() throws ProtocolException {
        GroupSessionKey leaversKey = gsks.get(1);
        ring.leave("U2");
        GroupSessionKey fresh = ring.groupKey().get(0);
        Block aphr = aphrUnder(fresh);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new AphrReader(producers).read(aphr, leaversKey, bt::block));
        assertEquals(Reason.DECRYPTION_FAILED, e.reason());
    }

    @Test
    void blockTransformationRejectsForgedStaleReplayedAndUnknownUploads() throws ProtocolException {
        RecordProducer hc = new RecordProducer("hc:city", hcKeys, clock, random);
        UploadRecord good = hc.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("m"), bytes("si"));
        byte[] outer = good.outer();
        outer[0] ^= 1;
        UploadRecord forged = new UploadRecord(good.kind(), good.producer(), good.receiver(), good.brief(), good.sensitive(),
                good.signature(), good.timestamp(), good.rHash(), outer);
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> bt.accept(forged)).reason());
        UploadRecord otherBrief = new UploadRecord(good.kind(), good.producer(), good.receiver(), bytes("changed"),
                good.sensitive(), good.signature(), good.timestamp(), good.rHash(), good.outer());
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> bt.accept(otherBrief)).reason());

        bt.accept(good);
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class, () -> bt.accept(good)).reason());

        RecordProducer late = new RecordProducer("hc:city", hcKeys, Clock.offset(clock, Duration.ofMinutes(-5)), random);
        UploadRecord stale = late.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("m"), bytes("si"));
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(ProtocolException.class, () -> bt.accept(stale)).reason());

        RecordProducer stranger = new RecordProducer("hc:fake", PartyKeys.generate(curve, random), clock, random);
        UploadRecord unknown = stranger.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("m"), bytes("si"));
        assertEquals(Reason.UNKNOWN_PARTY, assertThrows(ProtocolException.class, () -> bt.accept(unknown)).reason());
    }

    /** The block system de-duplicates on C's signed content; neither signature has a second valid (twin) form. */
    @Test
    void malleatedSignatureTwinsAreRefused() throws ProtocolException {
        RecordProducer hc = new RecordProducer("hc:city", hcKeys, clock, random);
        UploadRecord good = hc.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("m"), bytes("si"));
        UploadRecord outerTwin = new UploadRecord(good.kind(), good.producer(), good.receiver(), good.brief(), good.sensitive(),
                good.signature(), good.timestamp(), good.rHash(), org.medledger.protocol.testkit.Twins.twin(curve, good.outer()));
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> bt.accept(outerTwin)).reason());
        // Sig_X's twin under a valid outer signature (which only the producer could make) is refused too
        byte[] innerTwin = org.medledger.protocol.testkit.Twins.twin(curve, good.signature());
        byte[] reSigned = org.medledger.protocol.common.Ecdsa.sign(hcKeys.signing(), UploadRecord.outerSigned(good.kind(), good.producer(),
                good.receiver(), good.brief(), innerTwin, good.sensitive(), good.timestamp(), good.rHash()));
        UploadRecord withInnerTwin = new UploadRecord(good.kind(), good.producer(), good.receiver(), good.brief(), good.sensitive(),
                innerTwin, good.timestamp(), good.rHash(), reSigned);
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> bt.accept(withInnerTwin)).reason());
        bt.accept(good);
        assertEquals(Reason.BAD_SIGNATURE, assertThrows(ProtocolException.class, () -> bt.accept(outerTwin)).reason());
        assertEquals(1, bt.blocksFor("patient:alice").size());
    }

    @Test
    void patientRefusesATamperedSensitivePart() throws ProtocolException {
        RecordProducer hc = new RecordProducer("hc:city", hcKeys, clock, random);
        UploadRecord good = hc.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("m"), bytes("si"));
        byte[] s = good.sensitive();
        s[s.length - 2] ^= 1;
        UploadRecord tampered = new UploadRecord(good.kind(), good.producer(), good.receiver(), good.brief(), s,
                good.signature(), good.timestamp(), good.rHash(), good.outer());
        AphrAggregator aggregator = new AphrAggregator("alice", patientKeys, producers, clock, random);
        assertEquals(Reason.DECRYPTION_FAILED,
                assertThrows(ProtocolException.class, () -> aggregator.openSensitive(tampered)).reason());
    }

    @Test
    void difficultyIsHonouredWhenConfigured() throws ProtocolException {
        BlockTransformationSystem mining = new BlockTransformationSystem(producers, roles, members, freshness(clock), 8);
        RecordProducer hc = new RecordProducer("hc:city", hcKeys, clock, random);
        BlockHeader h = mining.accept(hc.produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("m"), bytes("si")));
        assertEquals(0, h.blockId()[0]);
        assertTrue(mining.verifyChain());
        assertFalse(mining.block(new byte[32]).isPresent());
    }

    private Block aphrUnder(GroupSessionKey gsk) throws ProtocolException {
        String group = "group:" + gsk.groupId();
        Block ehr = upload(new RecordProducer("hc:city", hcKeys, clock, random)
                .produce(RecordKind.EHR, "patient:alice", patientKeys.kemPublic(), bytes("a"), bytes("b")));
        Block emr = upload(new RecordProducer("doctor:bob", doctorKeys, clock, random)
                .produce(RecordKind.EMR, "patient:alice", patientKeys.kemPublic(), bytes("c"), bytes("d")));
        Block phr = upload(new RecordProducer("alice", patientKeys, clock, random)
                .produce(RecordKind.PHR, group, patientKeys.kemPublic(), bytes("e"), bytes("f")));
        return upload(new AphrAggregator("alice", patientKeys, producers, clock, random)
                .aggregate(ehr, emr, phr, gsk, bytes("g"), SI_G));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
