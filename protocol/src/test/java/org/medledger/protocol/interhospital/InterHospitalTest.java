package org.medledger.protocol.interhospital;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.testkit.BadPoints;
import org.medledger.protocol.testkit.Fixtures;

class InterHospitalTest {

    private final InterHospitalWorld w = new InterHospitalWorld();
    private final Patient pat = w.newPatient("PAT-1");
    private final Hospital hpa = w.newHospital("HPA");
    private final Hospital hpb = w.newHospital("HPB");
    private final byte[] symptoms = "fever, cough".getBytes(StandardCharsets.UTF_8);
    private final List<byte[]> wire = new ArrayList<>();

    InterHospitalTest() throws ProtocolException {
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    private <T> T onWire(T message, byte[] encoding) {
        wire.add(encoding);
        return message;
    }

    /** Initial treatment at HPA, returns the record id issued. */
    private String treatAtHpa() throws ProtocolException {
        w.ledger.apply(pat.consentToTreatment("HPA", Duration.ofDays(30)));
        PatientVisit v = pat.visit("HPA");
        HandshakeHello hello = onWire(v.hello(), v.hello().encode());
        HospitalSession s = hpa.accept(HandshakeHello.decode(w.curve, hello.encode()));
        HandshakeChallenge ch = onWire(s.challenge(), s.challenge().encode());
        HandshakeConfirm cf = v.acceptChallenge(HandshakeChallenge.decode(w.curve, ch.encode()), symptoms, Optional.empty());
        onWire(cf, cf.encode());
        VisitRequest req = s.acceptVisit(HandshakeConfirm.decode(w.curve, cf.encode()));
        assertArrayEquals(symptoms, req.symptoms());
        assertEquals(v.sessionKey(), s.sessionKey());
        byte[] emr = "EMR: pneumonia, amoxicillin".getBytes(StandardCharsets.UTF_8);
        RecordIssue issue = s.issueRecord("DX-1", emr);
        issue.contractCalls().forEach(w.ledger::apply);
        w.hospitalRecords.put("HPA|PAT-1|DX-1", emr);
        onWire(issue.delivery(), issue.delivery().encode());
        ReceivedRecord rec = v.acceptRecord(RecordDelivery.decode(w.curve, issue.delivery().encode()));
        assertArrayEquals(emr, rec.emr());
        return rec.diagnosisId();
    }

    @Test
    void aRecordIsAttachedOnlyToAPatientWhoConsentedToTheHospital() throws ProtocolException {
        // HPA treats PAT-1 but PAT-1 never put its treatment consent for HPA on the ledger.
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        s.acceptVisit(v.acceptChallenge(s.challenge(), symptoms, Optional.empty()));
        RecordIssue issue = s.issueRecord("DX-9", "EMR".getBytes(StandardCharsets.UTF_8));
        assertEquals("PAT-1", issue.mrins().patientId());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> w.ledger.apply(issue.mrins()));
        assertTrue(refused.getMessage().startsWith("NOT_AUTHORIZED"));
        assertFalse(w.ledger.holds(new MedicalRecordCheck("DX-9", "HPA", "PAT-1")));
    }

    @Test
    void initialTreatmentAgreesOnSekAndDeliversTheRecord() throws ProtocolException {
        assertEquals("DX-1", treatAtHpa());
        assertEquals(List.of(new MedicalIndexEntry("HPA", "DX-1")), pat.medicalIndex());
        assertTrue(w.ledger.holds(new MedicalRecordCheck("DX-1", "HPA", "PAT-1")));
    }

    /** K_AP1 = K_PA1 and K_AP2 = K_PA2 (seed 002, eq. 17–18 vs. 22–23). */
    @Test
    void handshakePointsAgreeAlgebraically() {
        CurveProfile c = w.curve;
        BigInteger a = c.randomScalar(Fixtures.seededRandom(1));
        BigInteger b = c.randomScalar(Fixtures.seededRandom(2));
        ECPoint tPat = c.generator().multiply(a).normalize();
        ECPoint tHpa = c.generator().multiply(b).normalize();
        ECPoint pkPat = pat.partialKey().publicPoint().add(w.center.publicKey().point().multiply(
                InterHospitalHashes.h1(c, "PAT-1", pat.partialKey().publicPoint()))).normalize();
        ECPoint pkHpa = hpa.partialKey().publicPoint().add(w.center.publicKey().point().multiply(
                InterHospitalHashes.h1(c, "HPA", hpa.partialKey().publicPoint()))).normalize();
        ECPoint kAp1 = tPat.multiply(hpa.partialKey().secret().reveal()).add(pkPat.multiply(b)).normalize();
        ECPoint kPa1 = tHpa.multiply(pat.partialKey().secret().reveal()).add(pkHpa.multiply(a)).normalize();
        assertEquals(kAp1, kPa1);
        assertEquals(tPat.multiply(b).normalize(), tHpa.multiply(a).normalize());
        // PK_X = S_X·P
        assertEquals(c.generator().multiply(pat.partialKey().secret().reveal()).normalize(), pkPat);
    }

    @Test
    void interHospitalTransferWithPatientAuthorization() throws ProtocolException {
        treatAtHpa();
        ReleaseAuthorization auth = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));
        // PAT ↔ HPB with the index and the authorization (eq. 34–49)
        w.ledger.apply(pat.consentToTreatment("HPB", Duration.ofDays(30)));
        PatientVisit v = pat.visit("HPB");
        HospitalSession atB = hpb.accept(v.hello());
        VisitRequest req = atB.acceptVisit(v.acceptChallenge(atB.challenge(), symptoms, Optional.of(auth)));
        assertEquals(List.of(new MedicalIndexEntry("HPA", "DX-1")), req.index());
        assertEquals(v.sessionKey(), atB.sessionKey());
        // HPB ↔ HPA (eq. 50–69)
        HospitalLink link = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(link.hello());
        HandshakeConfirm cf = link.requestRecords(atA.challenge(), req.authorization().orElseThrow());
        RecordRelease release = atA.acceptTransferRequest(cf, w.source("HPA"));
        assertEquals(link.sessionKey(), atA.sessionKey());
        w.ledger.apply(release.log());
        assertArrayEquals(auth.digest(), release.log().authorizationDigest());
        List<ReceivedRecord> got = link.acceptTransfer(RecordTransfer.decode(w.curve, release.transfer().encode()));
        assertArrayEquals(w.hospitalRecords.get("HPA|PAT-1|DX-1"), got.get(0).emr());
        // HPB's own diagnosis back to the patient (eq. 70–73)
        RecordIssue issue = atB.issueRecord("DX-2", "EMR B: recovered".getBytes(StandardCharsets.UTF_8));
        issue.contractCalls().forEach(w.ledger::apply);
        ReceivedRecord rec = v.acceptRecord(issue.delivery());
        assertEquals("HPB", rec.hospitalId());
        assertEquals(2, pat.medicalIndex().size());
    }

    private RecordRelease requestWith(ReleaseAuthorization auth) throws ProtocolException {
        HospitalLink link = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(link.hello());
        return atA.acceptTransferRequest(link.requestRecords(atA.challenge(), auth), w.source("HPA"));
    }

    @Test
    void hospitalSessionSurvivesSealedExportAtEitherStep() throws ProtocolException {
        org.medledger.protocol.common.SessionSealer sealer = new org.medledger.protocol.common.SessionSealer(
                org.medledger.protocol.common.SecretBytes.copyOf(new byte[32]), w.clock, Fixtures.seededRandom(92), Duration.ofMinutes(5),
                new org.medledger.protocol.common.InMemoryReplayGuard(w.clock));
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        byte[] afterChallenge = s.export(sealer, "v-1");
        HandshakeConfirm cf = v.acceptChallenge(s.challenge(), symptoms, Optional.empty());
        HospitalSession s2 = hpa.resume(sealer, "v-1", afterChallenge);
        assertArrayEquals(symptoms, s2.acceptVisit(cf).symptoms());
        byte[] afterVisit = s2.export(sealer, "v-1");
        HospitalSession s3 = hpa.resume(sealer, "v-1", afterVisit);
        assertThrows(IllegalStateException.class, () -> s3.acceptVisit(cf));
        RecordIssue issue = s3.issueRecord("DX-7", new byte[] {7});
        assertEquals("DX-7", v.acceptRecord(issue.delivery()).diagnosisId());
        // each sealed state resumes once: no second record for the visit from the same state
        assertEquals(Reason.REPLAY, reason(() -> hpa.resume(sealer, "v-1", afterVisit)));
        assertEquals(Reason.REPLAY, reason(() -> hpa.resume(sealer, "v-1", afterChallenge)));
    }

    @Test
    void hospitalARefusesReleaseWithoutAValidPatientAuthorization() throws ProtocolException {
        treatAtHpa();
        Hospital hpc = w.newHospital("HPC");
        // for another recipient
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> requestWith(pat.authorize("HPC", "HPA", List.of("DX-1"), Duration.ofHours(1)))));
        // naming another holder
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> requestWith(pat.authorize("HPB", "HPC", List.of("DX-1"), Duration.ofHours(1)))));
        // expired
        ReleaseAuthorization shortLived = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofSeconds(1));
        w.clock.advanceMillis(2_000);
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> requestWith(shortLived)));
        // for a record the ledger does not map to this patient at HPA
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> requestWith(pat.authorize("HPB", "HPA", List.of("DX-9"), Duration.ofHours(1)))));
        // forged: HPB writes its own authorization, signed with its key
        ReleaseAuthorization genuine = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));
        byte[] forgedSig = org.medledger.protocol.common.Ecdsa.sign(hpb.keys().signing(),
                ReleaseAuthorization.signedPart("PAT-1", "HPB", "HPA", List.of("DX-1"), genuine.expiresAt()));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> requestWith(new ReleaseAuthorization("PAT-1", "HPB", "HPA", List.of("DX-1"),
                genuine.expiresAt(), forgedSig))));
        // tampered: extended expiry
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> requestWith(new ReleaseAuthorization("PAT-1", "HPB", "HPA", List.of("DX-1"),
                genuine.expiresAt() + 1, genuine.signature()))));
        // a patient cannot be made to ask for the release itself
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        HandshakeConfirm cf = v.acceptChallenge(s.challenge(), symptoms, Optional.empty());
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> s.acceptTransferRequest(cf, w.source("HPA"))));
        assertTrue(hpc.isRegistered());
    }

    @Test
    void patientIdentityIsNotVisibleOnTheWire() throws ProtocolException {
        treatAtHpa();
        List<byte[]> secrets = List.of("PAT-1".getBytes(StandardCharsets.UTF_8), w.curve.encodePoint(pat.partialKey().publicPoint()),
                pat.keys().signingPublic().encoded(), pat.keys().kemPublic().encoded());
        assertEquals(4, wire.size());
        for (byte[] msg : wire) {
            for (byte[] s : secrets) {
                assertFalse(contains(msg, s), "identifying value visible on the wire");
            }
        }
    }

    @Test
    void replayedHelloAndConfirmAreRejected() throws ProtocolException {
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        assertEquals(Reason.REPLAY, reason(() -> hpa.accept(v.hello())));
        HandshakeConfirm cf = v.acceptChallenge(s.challenge(), symptoms, Optional.empty());
        s.acceptVisit(cf);
        assertThrows(IllegalStateException.class, () -> s.acceptVisit(cf));
    }

    @Test
    void staleAndFutureMessagesAreRejected() throws ProtocolException {
        PatientVisit v = pat.visit("HPA");
        w.clock.advanceMillis(30_001);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> hpa.accept(v.hello())));
        w.clock.advanceMillis(-60_002);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> hpa.accept(v.hello())));
    }

    @Test
    void tamperedCheckValuesAndCiphertextsAreRejected() throws ProtocolException {
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        HandshakeChallenge ch = s.challenge();
        byte[] chk = ch.chk();
        chk[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> v.acceptChallenge(new HandshakeChallenge(ch.responderId(), ch.rH(), ch.tH(), chk, ch.ts()),
                symptoms, Optional.empty())));
        HandshakeConfirm cf = v.acceptChallenge(ch, symptoms, Optional.empty());
        byte[] chk2 = cf.chk();
        chk2[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> s.acceptVisit(new HandshakeConfirm(cf.c(), chk2, cf.ts()))));
        byte[] c = cf.c();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> s.acceptVisit(new HandshakeConfirm(c, cf.chk(), cf.ts()))));
        s.acceptVisit(cf);
        RecordDelivery d = s.issueRecord("DX-1", new byte[] {1}).delivery();
        byte[] sig = d.sigH();
        sig[1] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> v.acceptRecord(new RecordDelivery(d.cH(), sig, d.ts()))));
    }

    @Test
    void mitmSubstitutingTheEphemeralPointIsDetected() throws ProtocolException {
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        HandshakeChallenge ch = s.challenge();
        byte[] evil = w.curve.encodePoint(w.curve.multiplyGenerator(BigInteger.valueOf(4242)));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> v.acceptChallenge(new HandshakeChallenge(ch.responderId(), ch.rH(), evil,
                ch.chk(), ch.ts()), symptoms, Optional.empty())));
        // towards the hospital: a hello re-encrypted with the attacker's T_PAT cannot be confirmed by the attacker
        PatientVisit v2 = pat.visit("HPA");
        byte[] plain = LabelledEncoder.of(Handshake.HELLO + "/plain").utf8("PAT-1").utf8(InterHospitalRoles.PATIENT)
                .point(w.curve, pat.partialKey().publicPoint()).bytes(evil).int64(v2.hello().ts()).utf8("HPA").toByteArray();
        HandshakeHello forged = new HandshakeHello(Hpke.seal(hpa.keys().kemPublic(), Handshake.HELLO, null, plain, Fixtures.seededRandom(3)),
                v2.hello().ts());
        HospitalSession s2 = hpa.accept(forged);
        // the attacker knows 4242 but not S_PAT; the honest patient's confirm does not fit this session either
        HandshakeConfirm honest = v2.acceptChallenge(hpa.accept(v2.hello()).challenge(), symptoms, Optional.empty());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> s2.acceptVisit(honest)));
    }

    @Test
    void hospitalImpersonationIsDetected() throws ProtocolException {
        // HPB answers a hello meant for HPA, presenting its own R and S under HPA's name.
        PatientVisit v = pat.visit("HPA");
        HospitalSession real = hpa.accept(v.hello());
        HandshakeChallenge ch = real.challenge();
        byte[] rOfB = w.curve.encodePoint(hpb.partialKey().publicPoint());
        assertEquals(Reason.BAD_PARTIAL_KEY, reason(() -> v.acceptChallenge(new HandshakeChallenge(ch.responderId(), rOfB, ch.tH(),
                ch.chk(), ch.ts()), symptoms, Optional.empty())));
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> v.acceptChallenge(new HandshakeChallenge("HPB".getBytes(StandardCharsets.UTF_8),
                rOfB, ch.tH(), ch.chk(), ch.ts()), symptoms, Optional.empty())));
        // HPB cannot even read the hello addressed to HPA
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> hpb.accept(pat.visit("HPA").hello())));
    }

    @Test
    void patientImpersonationWithoutSpatFails() throws ProtocolException {
        // Mallory holds PAT-1's device keys and R_PAT but a wrong S_PAT.
        Patient mallory = new Patient(w.env(), w.trust, pat.keys(), "PAT-1", w.ledger);
        RegistrationGrant wrong = new RegistrationGrant(pat.partialKey().publicPoint(),
                SecretScalar.of(w.curve, BigInteger.valueOf(12345)), w.directory.find(InterHospitalRoles.SCHEME, InterHospitalRoles.PATIENT, "PAT-1").orElseThrow());
        assertEquals(Reason.BAD_PARTIAL_KEY, reason(() -> mallory.acceptRegistration(wrong)));
        // Forcing the wrong key in, the hospital's check value does not verify.
        java.lang.reflect.Field f;
        try {
            f = ImplicitKeyParty.class.getDeclaredField("partialKey");
            f.setAccessible(true);
            java.lang.reflect.Field pf = Patient.class.getDeclaredField("party");
            pf.setAccessible(true);
            f.set(pf.get(mallory), new org.medledger.protocol.common.PartialKey(wrong.rX(), wrong.sX()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        PatientVisit v = mallory.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> v.acceptChallenge(s.challenge(), symptoms, Optional.empty())));
    }

    @Test
    void entriesFromAnotherCenterAreRejected() throws ProtocolException {
        org.medledger.protocol.common.KeyCertifier rogue = new org.medledger.protocol.common.KeyCertifier(
                org.medledger.protocol.common.SigningKey.generate(w.curve, Fixtures.seededRandom(80)), w.clock, Duration.ofDays(1));
        PartyKeys k = PartyKeys.generate(w.curve, Fixtures.seededRandom(81));
        w.directory.put(rogue.certify(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, "HP-rogue", k.signingPublic(), k.kemPublic(),
                Optional.of(hpa.partialKey().publicPoint())));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> pat.visit("HP-rogue")));
    }

    @Test
    void unregisteredOrUncheckedPartiesAreRejected() throws ProtocolException {
        // HPA is certified but not (or no longer) on the ledger: hachk fails at the patient.
        w.ledger.hospitals.remove("HPA");
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> v.acceptChallenge(s.challenge(), symptoms, Optional.empty())));
        w.ledger.hospitals.add("HPA");
        // ptchk fails at the hospital
        w.ledger.patients.remove("PAT-1");
        PatientVisit v2 = pat.visit("HPA");
        HospitalSession s2 = hpa.accept(v2.hello());
        HandshakeConfirm cf = v2.acceptChallenge(s2.challenge(), symptoms, Optional.empty());
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> s2.acceptVisit(cf)));
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> pat.visit("HP-nowhere")));
    }

    @Test
    void registrationChecksThePartialKeyAndTheCertifiedKeys() throws ProtocolException {
        Patient p = new Patient(w.env(), w.trust, PartyKeys.generate(w.curve, Fixtures.seededRandom(5)), "PAT-2", w.ledger);
        RegistrationOutcome o = w.center.register(p.registrationRequest("x"));
        assertEquals(new PatientInsert("PAT-2", "x", List.of()), o.insert());
        RegistrationGrant g = o.grant();
        assertEquals(Reason.BAD_PARTIAL_KEY, reason(() -> p.acceptRegistration(new RegistrationGrant(g.rX(),
                SecretScalar.of(w.curve, g.sX().reveal().add(BigInteger.ONE).mod(w.curve.order())), g.entry()))));
        // an entry certifying someone else's keys
        Patient q = new Patient(w.env(), w.trust, PartyKeys.generate(w.curve, Fixtures.seededRandom(6)), "PAT-2", w.ledger);
        assertEquals(Reason.CERT_INVALID, reason(() -> q.acceptRegistration(g)));
        p.acceptRegistration(g);
        assertTrue(p.isRegistered());
        RegistrationOutcome h = w.center.register(hpa.registrationRequest("again"));
        assertEquals(new HospitalInsert("HPA", "again"), h.insert());
    }

    @Test
    void contractPayloadsHaveStrictCanonicalEncodings() throws ProtocolException {
        PatientInsert pi = new PatientInsert("PAT-1", "d", List.of("DX-1", "DX-2"));
        assertEquals(pi, PatientInsert.decode(pi.encode()));
        HospitalInsert hi = new HospitalInsert("HPA", "d");
        assertEquals(hi, HospitalInsert.decode(hi.encode()));
        MedicalRecordInsert mi = new MedicalRecordInsert("DX-1", "PAT-1", "HPA", new byte[32], 5L);
        assertEquals(mi, MedicalRecordInsert.decode(mi.encode()));
        RecordTransferLog tl = new RecordTransferLog("HPA", "HPB", "PAT-1", List.of("DX-1"), new byte[32], 6L);
        assertEquals(tl, RecordTransferLog.decode(tl.encode()));
        assertEquals(new PatientCheck("PAT-1"), PatientCheck.decode(new PatientCheck("PAT-1").encode()));
        assertEquals(new HospitalCheck("HPA"), HospitalCheck.decode(new HospitalCheck("HPA").encode()));
        MedicalRecordCheck mc = new MedicalRecordCheck("DX-1", "HPA", "PAT-1");
        assertEquals(mc, MedicalRecordCheck.decode(mc.encode()));
        assertEquals(List.of("ptins", "hains", "mrins", "mrxfer", "ptchk", "hachk", "mrchk"),
                List.of(pi.contract(), hi.contract(), mi.contract(), tl.contract(), new PatientCheck("x").contract(),
                        new HospitalCheck("x").contract(), mc.contract()));
        byte[] t = java.util.Arrays.copyOf(pi.encode(), pi.encode().length + 1);
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> PatientInsert.decode(t)));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> HospitalInsert.decode(pi.encode())));
    }

    @TestFactory
    Stream<DynamicTest> everyPointFieldRejectsEveryBadEncoding() throws ProtocolException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, byte[]> bad : BadPoints.forCurve(w.curve).entrySet()) {
            byte[] b = bad.getValue().length == 0 ? new byte[] {0} : bad.getValue();
            tests.add(dynamicTest("challenge R_H rejects " + bad.getKey(), () -> {
                PatientVisit v = pat.visit("HPA");
                HandshakeChallenge ch = hpa.accept(v.hello()).challenge();
                assertEquals(Reason.BAD_POINT, reason(() -> v.acceptChallenge(new HandshakeChallenge(ch.responderId(), b, ch.tH(), ch.chk(), ch.ts()),
                        symptoms, Optional.empty())));
            }));
            tests.add(dynamicTest("challenge T_H rejects " + bad.getKey(), () -> {
                PatientVisit v = pat.visit("HPA");
                HandshakeChallenge ch = hpa.accept(v.hello()).challenge();
                assertEquals(Reason.BAD_POINT, reason(() -> v.acceptChallenge(new HandshakeChallenge(ch.responderId(), ch.rH(), b, ch.chk(), ch.ts()),
                        symptoms, Optional.empty())));
            }));
            for (int field = 0; field < 2; field++) {
                final int which = field;
                tests.add(dynamicTest("hello " + (which == 0 ? "R_X" : "T_X") + " rejects " + bad.getKey(), () -> {
                    long ts = w.clock.millis();
                    byte[] good = w.curve.encodePoint(w.curve.generator());
                    byte[] plain = LabelledEncoder.of(Handshake.HELLO + "/plain").utf8("PAT-1").utf8(InterHospitalRoles.PATIENT)
                            .bytes(which == 0 ? b : good).bytes(which == 1 ? b : good).int64(ts).utf8("HPA").toByteArray();
                    HandshakeHello h = new HandshakeHello(Hpke.seal(hpa.keys().kemPublic(), Handshake.HELLO, null, plain, Fixtures.seededRandom(4)), ts);
                    assertEquals(Reason.BAD_POINT, reason(() -> hpa.accept(h)));
                }));
            }
        }
        return tests.stream();
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
