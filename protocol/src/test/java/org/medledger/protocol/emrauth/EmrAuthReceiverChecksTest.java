package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.testkit.Fixtures;

/**
 * The receiver checks of EMR-AUTH that other tests do not attack: stale and future
 * timestamps, an outer timestamp that differs from the one inside the ciphertext, replays and
 * tampering, per message; and the SEK2 key confirmation reached with everything else valid.
 */
class EmrAuthReceiverChecksTest {

    private static final long WINDOW = 30_000;

    private final EmrAuthWorld w = new EmrAuthWorld();
    private final PatientDevice patient = w.newPatient("P-1");
    private final Doctor doctor = w.newDoctor("D-1");
    private static final ConsentPolicy ALL = (p, d, de) -> true;
    private final byte[] emr = "EMR v1".getBytes(StandardCharsets.UTF_8);

    EmrAuthReceiverChecksTest() throws ProtocolException {
        w.storeEmr("P-1", "D-0", emr);
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    /** Delivered after the window and (moving the clock back) before it: both stale; the clock is restored. */
    private void staleAndFuture(org.junit.jupiter.api.function.Executable deliver) {
        w.clock.advanceMillis(WINDOW + 1);
        assertEquals(Reason.STALE_TIMESTAMP, reason(deliver));
        w.clock.advanceMillis(-2 * (WINDOW + 1));
        assertEquals(Reason.STALE_TIMESTAMP, reason(deliver));
        w.clock.advanceMillis(WINDOW + 1);
    }

    @Test
    void consultationResponseChecks() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        ConsultationResponse r = doctor.acceptConsultation(pSide.request()).response();
        staleAndFuture(() -> pSide.acceptResponse(r, new byte[] {1}));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> pSide.acceptResponse(new ConsultationResponse(r.cD1(), r.sigD1(), r.tD1() + 1), new byte[] {1})));
        byte[] c = r.cD1();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.acceptResponse(new ConsultationResponse(c, r.sigD1(), r.tD1()), new byte[] {1})));
        pSide.acceptResponse(r, new byte[] {1});
    }

    @Test
    void signalAndDiagnosisOutsideTheWindowAreRefused() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        DoctorConsultation dSide = doctor.acceptConsultation(pSide.request());
        SignalDelivery sd = pSide.acceptResponse(dSide.response(), new byte[] {1});
        staleAndFuture(() -> dSide.readSignal(sd));
        // an outer T_P2 other than the one in the associated data does not open
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> dSide.readSignal(new SignalDelivery(sd.cP2(), sd.tP2() + 1))));
        dSide.readSignal(sd);
        DiagnosisDelivery dd = dSide.diagnose(new byte[] {2});
        staleAndFuture(() -> pSide.readDiagnosis(dd));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> pSide.readDiagnosis(new DiagnosisDelivery(dd.cD5(), dd.tD5() + 1))));
        pSide.readDiagnosis(dd);
    }

    @Test
    void searchRequestAndResponseChecks() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        EmrSearchRequest sr = search.request();
        staleAndFuture(() -> w.pc.handleEmrSearch(sr));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.pc.handleEmrSearch(new EmrSearchRequest(sr.cD2(), sr.sigD2(), sr.tD2() + 1))));
        byte[] c = sr.cD2();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.pc.handleEmrSearch(new EmrSearchRequest(c, sr.sigD2(), sr.tD2()))));
        EmrSearchResponse resp = w.pc.handleEmrSearch(sr).response();

        staleAndFuture(() -> search.acceptSearchResponse(resp));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> search.acceptSearchResponse(new EmrSearchResponse(resp.cC(), resp.sigC(), resp.tC() + 1))));
        byte[] cc = resp.cC();
        cc[cc.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> search.acceptSearchResponse(new EmrSearchResponse(cc, resp.sigC(), resp.tC()))));
        byte[] sig = resp.sigC();
        sig[3] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> search.acceptSearchResponse(new EmrSearchResponse(resp.cC(), sig, resp.tC()))));
        search.acceptSearchResponse(resp);
        // the PC's answer replayed to a new search of the same doctor: refused (Sig_C binds S_D and T_C, the cache its content)
        DoctorEmrSearch again = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        assertEquals(Reason.REPLAY, reason(() -> again.acceptSearchResponse(resp)));
    }

    @Test
    void accessRequestAndResponseChecks() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        staleAndFuture(() -> w.hpc.acceptAccessRequest(access));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.hpc.acceptAccessRequest(
                new HospitalAccessRequest(access.cD3(), access.sigD3(), access.tD3() + 1))));
        byte[] c = access.cD3();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.hpc.acceptAccessRequest(new HospitalAccessRequest(c, access.sigD3(), access.tD3()))));
        byte[] sig = access.sigD3();
        sig[9] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.hpc.acceptAccessRequest(new HospitalAccessRequest(access.cD3(), sig, access.tD3()))));
        HospitalAccessResponse resp = w.hpc.acceptAccessRequest(access).response();

        staleAndFuture(() -> search.acceptAccessResponse(resp));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> search.acceptAccessResponse(
                new HospitalAccessResponse(resp.cHpc1(), resp.sigHpc1(), resp.tHpc1() + 1))));
        search.acceptAccessResponse(resp);
    }

    /**
     * The HPC (its own signing key, its certified R_HPC1) answers with a key-confirmation tag that
     * is not SEK2's: decryption, signature and certified point all pass, eq. 44's check refuses.
     */
    @Test
    void sek2ConfirmationIsReachedAndRefusesAWrongTag() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        byte[] plain = Hpke.open(w.hpc.keys().kem(), DoctorEmrSearch.C_D3, null, access.cD3());
        LabelledDecoder d = LabelledDecoder.open(plain, DoctorEmrSearch.C_D3 + "/plain");
        d.bytes();
        d.int64();
        d.utf8();
        ECPoint rD3 = d.point(w.curve);
        ECPoint rHpc2 = w.curve.generator().multiply(w.curve.randomScalar(Fixtures.seededRandom(5))).normalize();
        byte[] wrongTag = new byte[CheckValues.LENGTH];
        Fixtures.seededRandom(6).nextBytes(wrongTag);
        long t = w.clock.millis();
        ECPoint rHpc1 = w.hpc.partialKey().publicPoint();
        byte[] inner = LabelledEncoder.of(DoctorEmrSearch.C_HPC1 + "/plain").utf8(EmrAuthWorld.HPC_ID).bytes(wrongTag).int64(t)
                .point(w.curve, rHpc2).point(w.curve, rHpc1).toByteArray();
        byte[] cHpc1 = Hpke.seal(w.entry(EmrAuthRoles.DOCTOR, "D-1").kemKey(), DoctorEmrSearch.C_HPC1, null, inner, Fixtures.seededRandom(7));
        byte[] sig = Ecdsa.sign(w.hpc.keys().signing(), DoctorEmrSearch.signedHpc1(w.curve, w.master.publicKey().point(), t,
                EmrAuthWorld.HPC_ID, rHpc2, rHpc1, wrongTag, "D-1", rD3));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> search.acceptAccessResponse(new HospitalAccessResponse(cHpc1, sig, t))));
    }

    @Test
    void emrRequestAndDeliveryChecks() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        // the future side of the window (the stale side is EmrAuthSearchTest.staleEmrRequestIsRejected)
        w.clock.advanceMillis(-WINDOW - 1);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> hpcSide.release(req, (p, dd, de) -> true, w.emrSource())));
        w.clock.advanceMillis(WINDOW + 1);
        // C_D4 under SEK2 with T_D4 in its associated data but another T_D4 inside
        long t = req.tD4();
        byte[] inner = LabelledEncoder.of(DoctorEmrSearch.C_D4 + "/plain").utf8("P-1").utf8("D-1").int64(t - 1)
                .bytes(doctor.certificate()).toByteArray();
        byte[] shifted = Aead.seal(search.sessionKey(), new AssociatedData(DoctorEmrSearch.C_D4, "D-1", EmrAuthWorld.HPC_ID, t), inner,
                Fixtures.seededRandom(8));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> hpcSide.release(new EmrRequest(shifted, t), (p, dd, de) -> true, w.emrSource())));
        // ... or for another patient
        byte[] otherPatient = Aead.seal(search.sessionKey(), new AssociatedData(DoctorEmrSearch.C_D4, "D-1", EmrAuthWorld.HPC_ID, t),
                LabelledEncoder.of(DoctorEmrSearch.C_D4 + "/plain").utf8("P-2").utf8("D-1").int64(t).bytes(doctor.certificate()).toByteArray(),
                Fixtures.seededRandom(9));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> hpcSide.release(new EmrRequest(otherPatient, t), (p, dd, de) -> true, w.emrSource())));
        byte[] c = req.cD4();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> hpcSide.release(new EmrRequest(c, t), (p, dd, de) -> true, w.emrSource())));
        EmrDelivery delivery = hpcSide.release(req, (p, dd, de) -> true, w.emrSource()).delivery();

        staleAndFuture(() -> search.readEmr(delivery));
        long th = delivery.tHpc2();
        byte[] shiftedEmr = Aead.seal(search.sessionKey(), new AssociatedData(DoctorEmrSearch.C_HPC2, EmrAuthWorld.HPC_ID, "D-1", th),
                LabelledEncoder.of(DoctorEmrSearch.C_HPC2 + "/plain").bytes(emr).int64(th + 1).toByteArray(), Fixtures.seededRandom(10));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> search.readEmr(new EmrDelivery(shiftedEmr, th))));
        byte[] ce = delivery.cHpc2();
        ce[ce.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> search.readEmr(new EmrDelivery(ce, th))));
        assertArrayEquals(emr, search.readEmr(delivery));
    }

    @Test
    void emrVersionAndIndexUpdateChecks() throws ProtocolException {
        w.clock.advanceMillis(1); // a version after the stored one
        EmrVersionSubmission sub = doctor.submitEmrVersion(EmrAuthWorld.HPC_ID, "P-1", EmrAuthWorld.DEPT, "v2".getBytes(StandardCharsets.UTF_8));
        staleAndFuture(() -> w.hpc.acceptEmrVersion(sub, EmrAuthWorld.PC_ID, ALL));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.hpc.acceptEmrVersion(new EmrVersionSubmission(sub.cV(), sub.sigV(), sub.tV() + 1),
                EmrAuthWorld.PC_ID, ALL)));
        byte[] c = sub.cV();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.hpc.acceptEmrVersion(new EmrVersionSubmission(c, sub.sigV(), sub.tV()),
                EmrAuthWorld.PC_ID, ALL)));
        byte[] sig = sub.sigV();
        sig[1] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.hpc.acceptEmrVersion(new EmrVersionSubmission(sub.cV(), sig, sub.tV()),
                EmrAuthWorld.PC_ID, ALL)));
        IndexUpdate ix = w.hpc.acceptEmrVersion(sub, EmrAuthWorld.PC_ID, ALL).indexUpdate();

        staleAndFuture(() -> w.pc.applyIndexUpdate(ix, ALL));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.pc.applyIndexUpdate(new IndexUpdate(ix.cIx(), ix.sigIx(), ix.tIx() + 1), ALL)));
        byte[] ci = ix.cIx();
        ci[ci.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.pc.applyIndexUpdate(new IndexUpdate(ci, ix.sigIx(), ix.tIx()), ALL)));
        byte[] sigIx = ix.sigIx();
        sigIx[2] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.pc.applyIndexUpdate(new IndexUpdate(ix.cIx(), sigIx, ix.tIx()), ALL)));
        w.pc.applyIndexUpdate(ix, ALL);
    }
}
