package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.testkit.Twins;

/**
 * Every ECDSA-signed EMR-AUTH message with its signature replaced by the malleated twin
 * {@code (r, n − s)}: refused before the original (the receiver's state is untouched and the
 * original still goes through) and after it (no second acceptance inside the window).
 */
class EmrAuthMalleationTest {

    private final EmrAuthWorld w = new EmrAuthWorld();
    private final PatientDevice patient = w.newPatient("P-1");
    private final Doctor doctor = w.newDoctor("D-1");
    private static final ConsentPolicy ALL = (p, d, de) -> true;
    private final byte[] emr = "EMR v1".getBytes(StandardCharsets.UTF_8);

    EmrAuthMalleationTest() throws ProtocolException {
        w.storeEmr("P-1", "D-0", emr);
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    private byte[] twin(byte[] sig) {
        return Twins.twin(w.curve, sig);
    }

    @Test
    void consultationRequestAndResponseTwinsAreRefused() throws ProtocolException {
        PatientConsultation pSide = patient.startConsultation("D-1");
        ConsultationRequest req = pSide.request();
        ConsultationRequest reqTwin = new ConsultationRequest(req.cP1(), twin(req.sigP1()), req.tP1());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> doctor.acceptConsultation(reqTwin)));
        DoctorConsultation dSide = doctor.acceptConsultation(req);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> doctor.acceptConsultation(reqTwin)));

        ConsultationResponse resp = dSide.response();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> pSide.acceptResponse(
                new ConsultationResponse(resp.cD1(), twin(resp.sigD1()), resp.tD1()), new byte[] {1})));
        pSide.acceptResponse(resp, new byte[] {1});
        assertEquals(pSide.sessionKey(), dSide.sessionKey());
    }

    @Test
    void searchAndAccessMessageTwinsAreRefused() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        EmrSearchRequest sr = search.request();
        EmrSearchRequest srTwin = new EmrSearchRequest(sr.cD2(), twin(sr.sigD2()), sr.tD2());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.pc.handleEmrSearch(srTwin)));
        EmrSearchResponse resp = w.pc.handleEmrSearch(sr).response();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.pc.handleEmrSearch(srTwin)));

        assertEquals(Reason.BAD_SIGNATURE, reason(() -> search.acceptSearchResponse(
                new EmrSearchResponse(resp.cC(), twin(resp.sigC()), resp.tC()))));
        HospitalAccessRequest access = search.acceptSearchResponse(resp);

        HospitalAccessRequest accessTwin = new HospitalAccessRequest(access.cD3(), twin(access.sigD3()), access.tD3());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.hpc.acceptAccessRequest(accessTwin)));
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.hpc.acceptAccessRequest(accessTwin)));

        HospitalAccessResponse ar = hpcSide.response();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> search.acceptAccessResponse(
                new HospitalAccessResponse(ar.cHpc1(), twin(ar.sigHpc1()), ar.tHpc1()))));
        EmrRequest req = search.acceptAccessResponse(ar);
        assertArrayEquals(emr, search.readEmr(hpcSide.release(req, (p, d, de) -> true, w.emrSource()).delivery()));
    }

    @Test
    void emrVersionAndIndexUpdateTwinsAreRefused() throws ProtocolException {
        w.clock.advanceMillis(1); // a version after the stored one
        EmrVersionSubmission sub = doctor.submitEmrVersion(EmrAuthWorld.HPC_ID, "P-1", EmrAuthWorld.DEPT, "v2".getBytes(StandardCharsets.UTF_8));
        EmrVersionSubmission subTwin = new EmrVersionSubmission(sub.cV(), twin(sub.sigV()), sub.tV());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.hpc.acceptEmrVersion(subTwin, EmrAuthWorld.PC_ID, ALL)));
        AcceptedEmrVersion accepted = w.hpc.acceptEmrVersion(sub, EmrAuthWorld.PC_ID, ALL);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.hpc.acceptEmrVersion(subTwin, EmrAuthWorld.PC_ID, ALL)));

        IndexUpdate ix = accepted.indexUpdate();
        IndexUpdate ixTwin = new IndexUpdate(ix.cIx(), twin(ix.sigIx()), ix.tIx());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.pc.applyIndexUpdate(ixTwin, ALL)));
        w.pc.applyIndexUpdate(ix, ALL);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.pc.applyIndexUpdate(ixTwin, ALL)));
    }

    @Test
    void directoryEntryTwinIsRefused() throws ProtocolException {
        org.medledger.protocol.common.DirectoryEntry entry = w.entry(EmrAuthRoles.DOCTOR, "D-1");
        byte[] enc = entry.encode();
        org.medledger.protocol.common.DirectoryEntry twin = org.medledger.protocol.common.DirectoryEntry.decode(w.curve,
                Twins.malleate(w.curve, enc, entry.kgcSignature()));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> twin.verify(w.certifier.verificationKey(), EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, "D-1", w.clock.millis())));
        entry.verify(w.certifier.verificationKey(), EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, "D-1", w.clock.millis());
    }
}
