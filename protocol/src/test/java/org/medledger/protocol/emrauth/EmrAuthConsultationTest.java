package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.testkit.Fixtures;

class EmrAuthConsultationTest {

    private final EmrAuthWorld w = new EmrAuthWorld();
    private final PatientDevice patient = w.newPatient("P-1");
    private final Doctor doctor = w.newDoctor("D-1");
    private final byte[] signal = "ECG 72 bpm".getBytes(StandardCharsets.UTF_8);

    EmrAuthConsultationTest() throws ProtocolException {
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    @Test
    void honestConsultationAgreesOnSek1AndDeliversSignalAndDiagnosis() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        SignalDelivery sd = pSide.acceptResponse(dSide.response(), signal);
        assertEquals(pSide.sessionKey(), dSide.sessionKey());
        assertEquals("P-1", dSide.patientId());
        assertArrayEquals(signal, dSide.readSignal(sd));
        byte[] diagnosis = "sinus rhythm".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(diagnosis, pSide.readDiagnosis(dSide.diagnose(diagnosis)));
    }

    @Test
    void theDoctorsSessionSurvivesSealedExportBetweenStepsAndOpensOnce() throws ProtocolException {
        org.medledger.protocol.common.SessionSealer sealer = new org.medledger.protocol.common.SessionSealer(
                org.medledger.protocol.common.SecretBytes.copyOf(new byte[32]), w.clock,
                org.medledger.protocol.testkit.Fixtures.seededRandom(91), java.time.Duration.ofMinutes(5),
                new org.medledger.protocol.common.InMemoryReplayGuard(w.clock));
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        SignalDelivery sd = pSide.acceptResponse(dSide.response(), signal);
        byte[] sealed = dSide.export(sealer, "s-1");
        DoctorConsultation resumed = doctor.resumeConsultation(sealer, "s-1", sealed);
        assertEquals("P-1", resumed.patientId());
        assertArrayEquals(signal, resumed.readSignal(sd));
        byte[] diagnosis = "sinus rhythm".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(diagnosis, pSide.readDiagnosis(resumed.diagnose(diagnosis)));
        // opened once; under another session id or altered, not at all
        assertThrows(ProtocolException.class, () -> doctor.resumeConsultation(sealer, "s-1", sealed));
        byte[] other = dSide.export(sealer, "s-2");
        assertThrows(ProtocolException.class, () -> doctor.resumeConsultation(sealer, "s-3", other));
        other[other.length - 1] ^= 1;
        assertThrows(ProtocolException.class, () -> doctor.resumeConsultation(sealer, "s-2", other));
    }

    @Test
    void messagesSurviveTheirWireEncoding() throws ProtocolException {
        CurveProfile c = w.curve;
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(ConsultationRequest.decode(c, pSide.request().encode()));
        SignalDelivery sd = pSide.acceptResponse(ConsultationResponse.decode(c, dSide.response().encode()), signal);
        assertArrayEquals(signal, dSide.readSignal(SignalDelivery.decode(c, sd.encode())));
        byte[] enc = pSide.request().encode();
        byte[] trailing = java.util.Arrays.copyOf(enc, enc.length + 1);
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> ConsultationRequest.decode(c, trailing)));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> ConsultationRequest.decode(c, java.util.Arrays.copyOf(enc, enc.length - 1))));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> ConsultationResponse.decode(c, enc)));
    }

    /** Both sides compute S_D·r5·P + r6·S_P·P and r5·r6·P (seed 000, eq. 17 and 22). */
    @Test
    void sharedPointsAgreeAlgebraically() {
        CurveProfile c = w.curve;
        BigInteger sP = patient.partialKey().secret().reveal();
        BigInteger sD = doctor.partialKey().secret().reveal();
        BigInteger r5 = c.randomScalar(Fixtures.seededRandom(1));
        BigInteger r6 = c.randomScalar(Fixtures.seededRandom(2));
        ECPoint pkPoint = w.master.publicKey().point();
        ECPoint xP = patient.partialKey().publicPoint().add(pkPoint.multiply(
                EmrAuthHashes.patient(c, "P-1", patient.biometric(), patient.partialKey().publicPoint()))).normalize();
        ECPoint xD = doctor.partialKey().publicPoint().add(pkPoint.multiply(
                EmrAuthHashes.doctor(c, "D-1", doctor.certificate(), doctor.partialKey().publicPoint()))).normalize();
        ECPoint rP2 = c.generator().multiply(r5);
        ECPoint rD2 = c.generator().multiply(r6);
        ECPoint doctorK1 = rP2.multiply(sD).add(xP.multiply(r6)).normalize();
        ECPoint patientK1 = rD2.multiply(sP).add(xD.multiply(r5)).normalize();
        assertEquals(doctorK1, patientK1);
        assertEquals(c.generator().multiply(sD.multiply(r5).add(r6.multiply(sP))).normalize(), doctorK1);
        assertEquals(rP2.multiply(r6).normalize(), rD2.multiply(r5).normalize());
        // S·P = R + h·PK for both implicit keys
        assertEquals(c.generator().multiply(sP).normalize(), xP);
        assertEquals(c.generator().multiply(sD).normalize(), xD);
    }

    @Test
    void replayedConsultationRequestIsRejected() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        doctor.acceptConsultation(pSide.request());
        w.clock.advanceMillis(5_000);
        assertEquals(Reason.REPLAY, reason(() -> doctor.acceptConsultation(pSide.request())));
    }

    @Test
    void staleAndFutureConsultationRequestsAreRejected() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        w.clock.advanceMillis(30_001);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> doctor.acceptConsultation(pSide.request())));
        w.clock.advanceMillis(-60_002);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> doctor.acceptConsultation(pSide.request())));
    }

    @Test
    void shiftedOuterTimestampIsRejected() throws ProtocolException {
        ConsultationRequest r = patient.startConsultation("D-1").request();
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> doctor.acceptConsultation(new ConsultationRequest(r.cP1(), r.sigP1(), r.tP1() + 1))));
    }

    @Test
    void tamperedCiphertextAndSignatureAreRejected() throws ProtocolException {
        ConsultationRequest r = patient.startConsultation("D-1").request();
        byte[] c = r.cP1();
        c[c.length - 3] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> doctor.acceptConsultation(new ConsultationRequest(c, r.sigP1(), r.tP1()))));
        byte[] s = r.sigP1();
        s[10] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> doctor.acceptConsultation(new ConsultationRequest(r.cP1(), s, r.tP1()))));
    }

    @Test
    void tamperedResponseSignalAndDiagnosisAreRejected() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        ConsultationResponse resp = dSide.response();
        byte[] sig = resp.sigD1();
        sig[3] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> pSide.acceptResponse(new ConsultationResponse(resp.cD1(), sig, resp.tD1()), signal)));
        byte[] c = resp.cD1();
        c[70] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.acceptResponse(new ConsultationResponse(c, resp.sigD1(), resp.tD1()), signal)));
        SignalDelivery sd = pSide.acceptResponse(resp, signal);
        byte[] sc = sd.cP2();
        sc[sc.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> dSide.readSignal(new SignalDelivery(sc, sd.tP2()))));
        DiagnosisDelivery dd = dSide.diagnose(new byte[] {1});
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.readDiagnosis(new DiagnosisDelivery(dd.cD5(), dd.tD5() + 1))));
        dSide.readSignal(sd);
        assertEquals(Reason.REPLAY, reason(() -> dSide.readSignal(sd)));
        pSide.readDiagnosis(dd);
        assertEquals(Reason.REPLAY, reason(() -> pSide.readDiagnosis(dd)));
    }

    /**
     * The diagnosis and the signal are recorded in the replay guard by (sender, T, nonce, tag)
     * once they have opened: a replay (also re-encoded) is refused, an altered copy is refused
     * without being recorded, and further messages of the same session are accepted.
     */
    @Test
    void diagnosisAndSignalAreAcceptedOnceAndTamperedCopiesRecordNothing() throws ProtocolException {
        CurveProfile c = w.curve;
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        SignalDelivery sd = pSide.acceptResponse(dSide.response(), signal);
        byte[] badTag = sd.cP2();
        badTag[badTag.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> dSide.readSignal(new SignalDelivery(badTag, sd.tP2()))));
        assertArrayEquals(signal, dSide.readSignal(sd));
        assertEquals(Reason.REPLAY, reason(() -> dSide.readSignal(SignalDelivery.decode(c, sd.encode()))));

        byte[] diagnosis = "sinus rhythm".getBytes(StandardCharsets.UTF_8);
        DiagnosisDelivery dd = dSide.diagnose(diagnosis);
        byte[] tag = dd.cD5();
        tag[tag.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.readDiagnosis(new DiagnosisDelivery(tag, dd.tD5()))));
        byte[] nonce = dd.cD5();
        nonce[0] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.readDiagnosis(new DiagnosisDelivery(nonce, dd.tD5()))));
        byte[] body = dd.cD5();
        body[20] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.readDiagnosis(new DiagnosisDelivery(body, dd.tD5()))));
        assertArrayEquals(diagnosis, pSide.readDiagnosis(DiagnosisDelivery.decode(c, dd.encode())));
        assertEquals(Reason.REPLAY, reason(() -> pSide.readDiagnosis(dd)));
        assertEquals(Reason.REPLAY, reason(() -> pSide.readDiagnosis(DiagnosisDelivery.decode(c, dd.encode()))));
        // the same content again, in the same session and millisecond: a new message
        DiagnosisDelivery again = dSide.diagnose(diagnosis);
        assertEquals(dd.tD5(), again.tD5());
        assertArrayEquals(diagnosis, pSide.readDiagnosis(again));
        assertEquals(Reason.REPLAY, reason(() -> pSide.readDiagnosis(again)));
    }

    @Test
    void replayedConsultationResponseIsRejectedByANewSession() throws ProtocolException {
        PatientConsultation first = patient.startConsultation("D-1");
        ConsultationResponse resp = doctor.acceptConsultation(first.request()).response();
        first.acceptResponse(resp, signal);
        PatientConsultation second = patient.startConsultation("D-1");
        // Bound to the first run's R_P2, so a new run cannot accept it.
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> second.acceptResponse(resp, signal)));
    }

    @Test
    void signatureByAKeyTheKgcNeverCertifiedIsRejected() throws ProtocolException {
        // An attacker registers the patient's identity in the directory with a rogue certifier.
        KeyCertifier rogue = new KeyCertifier(SigningKey.generate(w.curve, Fixtures.seededRandom(77)), w.clock, Duration.ofDays(1));
        PartyKeys attacker = PartyKeys.generate(w.curve, Fixtures.seededRandom(78));
        PatientConsultation pSide = patient.startConsultation("D-1");
        w.directory.put(rogue.certify(EmrAuthRoles.SCHEME, EmrAuthRoles.PATIENT, "P-1", attacker.signingPublic(),
                attacker.kemPublic(), Optional.of(patient.partialKey().publicPoint())));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> doctor.acceptConsultation(pSide.request())));
    }

    @Test
    void unknownPatientIsRejected() throws ProtocolException {
        PatientDevice ghost = new PatientDevice(w.env(), w.trust, PartyKeys.generate(w.curve, Fixtures.seededRandom(79)), "P-ghost",
                org.medledger.protocol.common.SecretBytes.copyOf(new byte[] {1}));
        ghost.acceptRegistration(w.pc.registerPatient(ghost.registrationRequest()));
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> doctor.acceptConsultation(ghost.startConsultation("D-1").request())));
    }

    /** An impostor with the doctor's signing key and certificate but not S_D cannot make SEK1. */
    @Test
    void doctorImpersonationWithoutSdFailsKeyConfirmation() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        ConsultationResponse forged = forgeDoctorResponse(pSide, doctor.partialKey().publicPoint(),
                w.curve.randomScalar(Fixtures.seededRandom(80)));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> pSide.acceptResponse(forged, signal)));
    }

    /** An impostor with the patient's signing key but not S_P cannot read the doctor's answer's key. */
    @Test
    void patientImpersonationWithoutSpCannotCompleteTheSession() throws ProtocolException {
        PatientConsultation real = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(real.request());
        // The impostor holds the patient's device keys (signing/KEM) but guesses S_P.
        java.math.BigInteger guessedSp = w.curve.randomScalar(Fixtures.seededRandom(81));
        PatientDevice impostor = new PatientDevice(w.env(), w.trust, patient.keys(), "P-1", patient.biometric());
        RegistrationResponse guess = new RegistrationResponse(patient.partialKey().publicPoint(),
                org.medledger.protocol.common.SecretScalar.of(w.curve, guessedSp));
        assertEquals(Reason.BAD_PARTIAL_KEY, reason(() -> impostor.acceptRegistration(guess)));
        // Even decrypting C_D1, a session key from a guessed S_P does not confirm.
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> completeWithGuessedSp(real, dSide.response(), guessedSp)));
    }

    @Test
    void mitmSubstitutingTheEphemeralPointIsDetected() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        // MITM replaces R_D2 inside C_D1 (it can re-encrypt to the patient's public KEM key).
        ConsultationResponse resp = dSide.response();
        ECPoint evil = w.curve.multiplyGenerator(BigInteger.valueOf(1234567));
        byte[] inner = LabelledEncoder.of(PatientConsultation.C_D1 + "/plain").utf8("D-1").bytes(doctor.certificate())
                .point(w.curve, doctor.partialKey().publicPoint()).point(w.curve, evil).bytes(new byte[32]).int64(resp.tD1()).toByteArray();
        byte[] c = Hpke.seal(patient.keys().kemPublic(), PatientConsultation.C_D1, null, inner, Fixtures.seededRandom(3));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> pSide.acceptResponse(new ConsultationResponse(c, resp.sigD1(), resp.tD1()), signal)));
        // And replaces R_P2 in C_P1 towards the doctor: the patient's signature no longer matches.
        PatientConsultation p2 = patient.startConsultation("D-1");
        byte[] inner2 = LabelledEncoder.of(PatientConsultation.C_P1 + "/plain").utf8("P-1").secret(patient.biometric())
                .point(w.curve, patient.partialKey().publicPoint()).point(w.curve, evil).int64(p2.request().tP1()).toByteArray();
        byte[] c2 = Hpke.seal(doctor.keys().kemPublic(), PatientConsultation.C_P1, null, inner2, Fixtures.seededRandom(4));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> doctor.acceptConsultation(new ConsultationRequest(c2, p2.request().sigP1(), p2.request().tP1()))));
    }

    @Test
    void revokedDoctorCertificateIsRejectedByThePatient() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        w.revoked.add(org.medledger.protocol.common.PkixCertificateVerifier.parse(doctor.certificate()));
        assertEquals(Reason.CERT_REVOKED, reason(() -> pSide.acceptResponse(dSide.response(), signal)));
    }

    @Test
    void certificateOfAnotherDoctorIsRejected() throws ProtocolException {
        // D-2 is a legal doctor but presents D-1's certificate under its own identity.
        Doctor d2 = w.newDoctor("D-2");
        Doctor liar = new Doctor(w.env(), w.trust, d2.keys(), "D-2", doctor.certificate());
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> w.pc.registerDoctor(liar.registrationRequest())));
        PatientConsultation pSide = patient.startConsultation("D-2");
        ConsultationResponse forged = forgeResponseFrom(pSide, "D-2", d2, doctor.certificate());
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> pSide.acceptResponse(forged, signal)));
    }

    // ---------------------------------------------------------------- helpers

    private ConsultationResponse forgeDoctorResponse(PatientConsultation pSide, ECPoint rD1, BigInteger guessedSd) throws ProtocolException {
        return forge(pSide, "D-1", doctor.keys(), doctor.certificate(), rD1, guessedSd);
    }

    private ConsultationResponse forgeResponseFrom(PatientConsultation pSide, String id, Doctor signer, byte[] cert) throws ProtocolException {
        return forge(pSide, id, signer.keys(), cert, signer.partialKey().publicPoint(), signer.partialKey().secret().reveal());
    }

    /** Runs the doctor's step with a chosen S_D, signing with {@code keys}. */
    private ConsultationResponse forge(PatientConsultation pSide, String idD, PartyKeys keys, byte[] cert, ECPoint rD1, BigInteger sD)
            throws ProtocolException {
        CurveProfile c = w.curve;
        ConsultationRequest req = pSide.request();
        byte[] plain = Hpke.open(keys.kem(), PatientConsultation.C_P1, null, req.cP1());
        org.medledger.protocol.common.LabelledDecoder d = org.medledger.protocol.common.LabelledDecoder.open(plain, PatientConsultation.C_P1 + "/plain");
        String idP = d.utf8();
        org.medledger.protocol.common.SecretBytes bP = d.secretBytes();
        ECPoint rP1 = d.point(c);
        ECPoint rP2 = d.point(c);
        BigInteger r6 = c.randomScalar(Fixtures.seededRandom(90));
        ECPoint rD2 = c.multiplyGenerator(r6);
        ECPoint xP = w.master.publicKey().implicitKey(rP1, EmrAuthHashes.patient(c, idP, bP, rP1));
        ECPoint k1 = c.sumOfTwoMultiplies(rP2, sD, xP, r6);
        ECPoint k2 = c.multiply(rP2, r6);
        org.medledger.protocol.common.SecretBytes sek = EmrAuthKeys.sessionKey(EmrAuthKeys.SEK1, c, k1, k2, idP, idD, rP2, rD2);
        byte[] conf = EmrAuthKeys.confirmation(EmrAuthKeys.SEK1_CONFIRM, c, sek, idP, idD, rP2, rD2);
        long t = w.clock.millis();
        byte[] inner = LabelledEncoder.of(PatientConsultation.C_D1 + "/plain").utf8(idD).bytes(cert).point(c, rD1).point(c, rD2)
                .bytes(conf).int64(t).toByteArray();
        byte[] cD1 = Hpke.seal(patient.keys().kemPublic(), PatientConsultation.C_D1, null, inner, Fixtures.seededRandom(91));
        byte[] sig = Ecdsa.sign(keys.signing(), PatientConsultation.signedD1(c, rD2, idD, t, cert, conf, w.master.publicKey().point(), idP, rP2));
        return new ConsultationResponse(cD1, sig, t);
    }

    private void completeWithGuessedSp(PatientConsultation real, ConsultationResponse resp, BigInteger guessedSp) throws ProtocolException {
        CurveProfile c = w.curve;
        byte[] plain = Hpke.open(patient.keys().kem(), PatientConsultation.C_D1, null, resp.cD1());
        org.medledger.protocol.common.LabelledDecoder d = org.medledger.protocol.common.LabelledDecoder.open(plain, PatientConsultation.C_D1 + "/plain");
        String idD = d.utf8();
        byte[] cert = d.bytes();
        ECPoint rD1 = d.point(c);
        ECPoint rD2 = d.point(c);
        byte[] conf = d.bytes(32);
        // The impostor does not know r5 either; the best it can do is guess both.
        BigInteger r5 = c.randomScalar(Fixtures.seededRandom(92));
        ECPoint xD = w.master.publicKey().implicitKey(rD1, EmrAuthHashes.doctor(c, idD, cert, rD1));
        ECPoint k1 = c.sumOfTwoMultiplies(rD2, guessedSp, xD, r5);
        ECPoint k2 = c.multiply(rD2, r5);
        ECPoint rP2 = c.multiplyGenerator(r5);
        org.medledger.protocol.common.SecretBytes sek = EmrAuthKeys.sessionKey(EmrAuthKeys.SEK1, c, k1, k2, "P-1", idD, rP2, rD2);
        EmrAuthKeys.requireConfirmation(EmrAuthKeys.SEK1_CONFIRM, c, sek, "P-1", idD, rP2, rD2, conf);
    }
}
