package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.testkit.Fixtures;

/**
 * Authorization of EMR-AUTH's writes (new EMR versions, index updates) as of its reads: the
 * patient's consent scoped by department, the HPC holding the record, forward-only index,
 * the re-issued-certificate binding, and a search answer bound to its request.
 */
class EmrAuthWriteAuthorizationTest {

    private static final String NEURO = "neurology";

    private final EmrAuthWorld w = new EmrAuthWorld();
    private final Doctor doctor = w.newDoctor("D-1");
    private final byte[] cardio = "cardiology EMR".getBytes(StandardCharsets.UTF_8);
    private final byte[] neuro = "neurology EMR".getBytes(StandardCharsets.UTF_8);

    EmrAuthWriteAuthorizationTest() throws ProtocolException {
        w.storeEmr("P-1", "D-0", cardio);
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    private AcceptedEmrVersion write(String idDE, byte[] content) throws ProtocolException {
        // a new submission is a new message: identical signed content in the same millisecond would be a replay
        w.clock.advanceMillis(1);
        return w.hpc.acceptEmrVersion(doctor.submitEmrVersion(EmrAuthWorld.HPC_ID, "P-1", idDE, content), EmrAuthWorld.PC_ID, w.consent());
    }

    @Test
    void aDoctorWithoutThePatientsConsentCannotWriteANewVersion() throws ProtocolException {
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> write(EmrAuthWorld.DEPT, "replaced".getBytes(StandardCharsets.UTF_8))));
        // Consent is scoped by department: cardiology does not open neurology.
        w.grant("P-1", "D-1", EmrAuthWorld.DEPT);
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> write(NEURO, neuro)));
        w.grant("P-1", "D-1", NEURO);
        assertArrayEquals(neuro, write(NEURO, neuro).content());
    }

    @Test
    void releaseHonoursTheDepartment() throws ProtocolException {
        w.grant("P-1", "D-1", NEURO);
        AcceptedEmrVersion v = write(NEURO, neuro);
        w.pc.applyIndexUpdate(v.indexUpdate(), w.consent());
        w.emrs.put(List.of("P-1", NEURO), neuro);
        // D-1 may read neurology, and gets neurology's record, never cardiology's.
        assertArrayEquals(neuro, search(NEURO));
        // Without consent for cardiology, the HPC releases nothing for it.
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> search(EmrAuthWorld.DEPT)));
        w.grant("P-1", "D-1", EmrAuthWorld.DEPT);
        assertArrayEquals(cardio, search(EmrAuthWorld.DEPT));
    }

    private byte[] search(String idDE) throws ProtocolException {
        w.clock.advanceMillis(1);
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", idDE);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        return search.readEmr(hpcSide.release(req, w.consent(), w.emrSource()).delivery());
    }

    @Test
    void onlyTheHoldingHpcMovesTheIndexAndOnlyForward() throws ProtocolException {
        HospitalPrivateCloud other = w.newHpc("HPC-2");
        long now = w.clock.millis();
        // HPC-2 (registered, signing correctly) cannot take over P-1's cardiology entry held by HPC-1.
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.pc.applyIndexUpdate(
                other.indexUpdate(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT, "D-0", now + 10), w.consent())));
        // HPC-1 moves it forward, never back.
        w.pc.applyIndexUpdate(w.hpc.indexUpdate(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT, "D-0", now + 10), w.consent());
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.pc.applyIndexUpdate(
                w.hpc.indexUpdate(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT, "D-0", now + 5), w.consent())));
        w.clock.advanceMillis(1); // the same version in a new update (the identical update again is a replay)
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.pc.applyIndexUpdate(
                w.hpc.indexUpdate(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT, "D-0", now + 10), w.consent())));
        // Nor does any HPC index a record for a doctor the patient never consented to.
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.pc.applyIndexUpdate(
                other.indexUpdate(EmrAuthWorld.PC_ID, "P-2", EmrAuthWorld.DEPT, "D-9", now + 10), w.consent())));
        assertEquals(EmrAuthWorld.HPC_ID, lookup());
    }

    private String lookup() throws ProtocolException {
        w.grant("P-1", "D-1", EmrAuthWorld.DEPT);
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        return w.pc.handleEmrSearch(search.request()).lookup().idHpc();
    }

    @Test
    void oldKeysWithTheReissuedCertificateCannotWriteAtTheHpc() throws ProtocolException {
        w.grant("P-1", "D-1", EmrAuthWorld.DEPT);
        // D-1's device is compromised; the authority revokes Cert_D and re-issues one (public) before D-1 re-registers.
        w.revoked.add(PkixCertificateVerifier.parse(doctor.certificate()));
        byte[] reissued = EmrAuthWorld.der(w.pki.issue("D-1"));
        long t = w.clock.millis();
        byte[] content = "forged".getBytes(StandardCharsets.UTF_8);
        LabelledEncoder signed = HospitalPrivateCloud.signedVersion("P-1", "D-1", EmrAuthWorld.DEPT, content, t, EmrAuthWorld.HPC_ID);
        byte[] sigV = Ecdsa.sign(doctor.keys().signing(), signed);
        SigningKey oldPartial = SigningKey.of(SecretScalar.of(w.curve, doctor.partialKey().secret().reveal()));
        byte[] sigVs = Ecdsa.signRaw(oldPartial, signed.toByteArray());
        byte[] inner = LabelledEncoder.of(HospitalPrivateCloud.C_V + "/plain").utf8("P-1").utf8("D-1").utf8(EmrAuthWorld.DEPT)
                .bytes(content).int64(t).bytes(reissued).bytes(sigVs).toByteArray();
        byte[] cV = Hpke.seal(w.entry(EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, EmrAuthWorld.HPC_ID).kemKey(), HospitalPrivateCloud.C_V, null,
                inner, Fixtures.seededRandom(91));
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> w.hpc.acceptEmrVersion(new EmrVersionSubmission(cV, sigV, t),
                EmrAuthWorld.PC_ID, w.consent())));
    }

    @Test
    void theSearchAnswerIsBoundToItsPatientAndRequest() throws ProtocolException {
        w.grant("P-2", "D-0", EmrAuthWorld.DEPT);
        HospitalPrivateCloud other = w.newHpc("HPC-2");
        w.pc.applyIndexUpdate(other.indexUpdate(EmrAuthWorld.PC_ID, "P-2", EmrAuthWorld.DEPT, "D-0", w.clock.millis()), w.consent());
        // Two searches of one doctor in one department: the answer for P-2 (at HPC-2) swapped into P-1's search.
        DoctorEmrSearch forP1 = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        DoctorEmrSearch forP2 = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-2", EmrAuthWorld.DEPT);
        EmrSearchResponse answerForP2 = w.pc.handleEmrSearch(forP2.request()).response();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> forP1.acceptSearchResponse(answerForP2)));
        // An intercepted answer to an earlier request for the same patient does not answer a later request.
        DoctorEmrSearch first = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        EmrSearchResponse answerToFirst = w.pc.handleEmrSearch(first.request()).response();
        w.clock.advanceMillis(5);
        DoctorEmrSearch second = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> second.acceptSearchResponse(answerToFirst)));
    }

    /**
     * Documented limit (docs/protocols/emr-auth.md): C_P1 is HPKE to the doctor's static KEM key
     * (ephemeral-static), so whoever later obtains that key opens every recorded C_P1 and reads
     * the patient's B_P. Rotating the KEM key bounds the exposure to the key's lifetime.
     */
    @Test
    void aLaterLeakOfTheDoctorsKemKeyExposesRecordedBiometricSecrets() throws ProtocolException {
        PatientDevice patient = w.newPatient("P-7");
        ConsultationRequest recorded = patient.startConsultation("D-1").request();
        byte[] plain = Hpke.open(doctor.keys().kem(), PatientConsultation.C_P1, null, recorded.cP1());
        LabelledDecoder d = LabelledDecoder.open(plain, PatientConsultation.C_P1 + "/plain");
        assertEquals("P-7", d.utf8());
        assertArrayEquals(("biometric-P-7").getBytes(StandardCharsets.UTF_8), d.bytes());
    }
}
