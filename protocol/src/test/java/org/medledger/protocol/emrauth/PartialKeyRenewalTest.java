package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.testkit.Fixtures;

/** The renewal proof: only the holder of the partial key issued under a key id signs it; every field is bound. */
class PartialKeyRenewalTest {

    private final Environment env = Fixtures.env(21, Fixtures.clockAt(Fixtures.NOW));
    private final CurveProfile curve = env.curve();
    private final MasterSecret old = MasterSecret.generate(curve, Fixtures.seededRandom(22));
    private final MasterSecret current = MasterSecret.generate(curve, Fixtures.seededRandom(23));
    private final byte[] certD = "doctor-cert-der".getBytes(StandardCharsets.UTF_8);
    private final PublicCloud pcOld = new PublicCloud(env, old, (cert, id) -> { });
    private final Instant now = Fixtures.NOW;

    private static SecretBytes bP() {
        return SecretBytes.copyOf(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    }

    private static void refused(Reason reason, Executable call) {
        assertEquals(reason, assertThrows(ProtocolException.class, call).reason());
    }

    @Test
    void aPatientProvesItsPartialKeyUnderTheKeyIdItWasIssuedUnder() throws ProtocolException {
        RegistrationResponse issued = pcOld.registerPatient(new PatientRegistration("P-1", bP()));
        MasterPublicKey pk = old.publicKey();
        byte[] proof = PartialKeyRenewal.sign(EmrAuthRenewal.PATIENT, issued.s(), "P-1", "k-old", issued.r(), now);
        VerificationKey key = EmrAuthRenewal.patientKey(pk, "P-1", bP(), issued.r());
        ContentId id = PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-old", issued.r(), now, proof, now);
        // the replay identity is the signed content: the same for a second signature over the same fields
        byte[] again = PartialKeyRenewal.sign(EmrAuthRenewal.PATIENT, issued.s(), "P-1", "k-old", issued.r(), now);
        assertArrayEquals(id.digest(), PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-old", issued.r(), now,
                again, now).digest());

        // every field is bound, and the key is the implicit key under the generation it was issued under
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-2", "k-old", issued.r(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.DOCTOR, key, "P-1", "k-old", issued.r(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-new", issued.r(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-old", issued.r(),
                now.plusSeconds(1), proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, EmrAuthRenewal.patientKey(current.publicKey(), "P-1", bP(),
                issued.r()), "P-1", "k-old", issued.r(), now, proof, now));
        SecretBytes wrongBiometric = SecretBytes.copyOf(new byte[16]);
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, EmrAuthRenewal.patientKey(pk, "P-1", wrongBiometric,
                issued.r()), "P-1", "k-old", issued.r(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-old", issued.r(), now,
                new byte[proof.length], now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-old", issued.r(), now,
                null, now));
        // a proof outside the clock window is stale
        refused(Reason.STALE_TIMESTAMP, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, key, "P-1", "k-old", issued.r(), now,
                proof, now.plus(PartialKeyRenewal.MAX_SKEW).plus(Duration.ofSeconds(1))));
    }

    @Test
    void anotherPartyKeyDoesNotProveThePatients() throws ProtocolException {
        RegistrationResponse patient = pcOld.registerPatient(new PatientRegistration("P-1", bP()));
        RegistrationResponse other = pcOld.registerPatient(new PatientRegistration("P-2", bP()));
        byte[] forged = PartialKeyRenewal.sign(EmrAuthRenewal.PATIENT, other.s(), "P-1", "k-old", patient.r(), now);
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.PATIENT, EmrAuthRenewal.patientKey(old.publicKey(), "P-1", bP(),
                patient.r()), "P-1", "k-old", patient.r(), now, forged, now));
    }

    @Test
    void aDoctorProvesItsPartialKeyBoundToItsCertificate() throws ProtocolException {
        RegistrationResponse issued = pcOld.registerDoctor(new DoctorRegistration("D-1", certD));
        byte[] proof = PartialKeyRenewal.sign(EmrAuthRenewal.DOCTOR, issued.s(), "D-1", "k-old", issued.r(), now);
        assertDoesNotThrow(() -> PartialKeyRenewal.verify(EmrAuthRenewal.DOCTOR, EmrAuthRenewal.doctorKey(old.publicKey(), "D-1", certD, issued.r()), "D-1", "k-old", issued.r(), now, proof, now));
        byte[] otherCert = "another-cert".getBytes(StandardCharsets.UTF_8);
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.DOCTOR, EmrAuthRenewal.doctorKey(old.publicKey(), "D-1", otherCert,
                issued.r()), "D-1", "k-old", issued.r(), now, proof, now));
    }

    @Test
    void aHospitalCloudProvesItsPartialKeyUnderTheGenerationItWasIssuedUnder() throws ProtocolException {
        RegistrationResponse issued = pcOld.registerHospitalCloud(new HospitalCloudRegistration("HPC-1"));
        byte[] proof = PartialKeyRenewal.sign(EmrAuthRenewal.HOSPITAL_CLOUD, issued.s(), "HPC-1", "k-old", issued.r(), now);
        assertDoesNotThrow(() -> PartialKeyRenewal.verify(EmrAuthRenewal.HOSPITAL_CLOUD, EmrAuthRenewal.hospitalCloudKey(old.publicKey(), "HPC-1", issued.r()), "HPC-1", "k-old", issued.r(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.HOSPITAL_CLOUD, EmrAuthRenewal.hospitalCloudKey(current.publicKey(), "HPC-1",
                issued.r()), "HPC-1", "k-old", issued.r(), now, proof, now));
        refused(Reason.BAD_SIGNATURE, () -> PartialKeyRenewal.verify(EmrAuthRenewal.HOSPITAL_CLOUD, EmrAuthRenewal.hospitalCloudKey(old.publicKey(), "HPC-2",
                issued.r()), "HPC-2", "k-old", issued.r(), now, proof, now));
    }
}
