package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.testkit.BadPoints;
import org.medledger.protocol.testkit.Fixtures;

/** Every point field of EMR-AUTH refuses every bad encoding with {@link Reason#BAD_POINT}. */
class EmrAuthPointValidationTest {

    private final EmrAuthWorld w = new EmrAuthWorld();
    private final PatientDevice patient = w.newPatient("P-1");
    private final Doctor doctor = w.newDoctor("D-1");
    private final CurveProfile c = w.curve;
    private final byte[] good;
    private final byte[] noSig = new byte[64];

    EmrAuthPointValidationTest() throws ProtocolException {
        good = c.encodePoint(c.generator());
        w.storeEmr("P-1", "D-1", new byte[] {1});
    }

    private byte[] toDoctor(String label, byte[] plain) {
        return Hpke.seal(doctor.keys().kemPublic(), label, null, plain, Fixtures.seededRandom(5));
    }

    private byte[] toPatient(String label, byte[] plain) {
        return Hpke.seal(patient.keys().kemPublic(), label, null, plain, Fixtures.seededRandom(6));
    }

    private byte[] toHpc(String label, byte[] plain) {
        return Hpke.seal(w.hpc.keys().kemPublic(), label, null, plain, Fixtures.seededRandom(7));
    }

    private List<Map.Entry<String, Function<byte[], Executable>>> fields() throws ProtocolException {
        long t = w.clock.millis();
        List<Map.Entry<String, Function<byte[], Executable>>> f = new ArrayList<>();
        // C_P1: R_P1, R_P2
        f.add(Map.entry("C_P1.R_P1", bad -> () -> doctor.acceptConsultation(new ConsultationRequest(toDoctor(PatientConsultation.C_P1,
                LabelledEncoder.of(PatientConsultation.C_P1 + "/plain").utf8("P-1").bytes(new byte[] {1}).bytes(bad).bytes(good).int64(t).toByteArray()), noSig, t))));
        f.add(Map.entry("C_P1.R_P2", bad -> () -> doctor.acceptConsultation(new ConsultationRequest(toDoctor(PatientConsultation.C_P1,
                LabelledEncoder.of(PatientConsultation.C_P1 + "/plain").utf8("P-1").bytes(new byte[] {1}).bytes(good).bytes(bad).int64(t).toByteArray()), noSig, t))));
        // C_D1: R_D1, R_D2
        PatientConsultation pc1 = patient.startConsultation("D-1");
        f.add(Map.entry("C_D1.R_D1", bad -> () -> pc1.acceptResponse(new ConsultationResponse(toPatient(PatientConsultation.C_D1,
                LabelledEncoder.of(PatientConsultation.C_D1 + "/plain").utf8("D-1").bytes(doctor.certificate()).bytes(bad).bytes(good)
                        .bytes(new byte[32]).int64(t).toByteArray()), noSig, t), new byte[1])));
        f.add(Map.entry("C_D1.R_D2", bad -> () -> pc1.acceptResponse(new ConsultationResponse(toPatient(PatientConsultation.C_D1,
                LabelledEncoder.of(PatientConsultation.C_D1 + "/plain").utf8("D-1").bytes(doctor.certificate()).bytes(good).bytes(bad)
                        .bytes(new byte[32]).int64(t).toByteArray()), noSig, t), new byte[1])));
        // C_D3: R_D3, R_D1
        f.add(Map.entry("C_D3.R_D3", bad -> () -> w.hpc.acceptAccessRequest(new HospitalAccessRequest(toHpc(DoctorEmrSearch.C_D3,
                LabelledEncoder.of(DoctorEmrSearch.C_D3 + "/plain").bytes(doctor.certificate()).int64(t).utf8("D-1").bytes(bad).bytes(good)
                        .utf8("P-1").toByteArray()), noSig, t))));
        f.add(Map.entry("C_D3.R_D1", bad -> () -> w.hpc.acceptAccessRequest(new HospitalAccessRequest(toHpc(DoctorEmrSearch.C_D3,
                LabelledEncoder.of(DoctorEmrSearch.C_D3 + "/plain").bytes(doctor.certificate()).int64(t).utf8("D-1").bytes(good).bytes(bad)
                        .utf8("P-1").toByteArray()), noSig, t))));
        // C_HPC1: R_HPC2, R_HPC1 (needs a search at the right step)
        DoctorEmrSearch s1 = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        s1.acceptSearchResponse(w.pc.handleEmrSearch(s1.request()).response());
        f.add(Map.entry("C_HPC1.R_HPC2", bad -> () -> s1.acceptAccessResponse(new HospitalAccessResponse(toDoctor(DoctorEmrSearch.C_HPC1,
                LabelledEncoder.of(DoctorEmrSearch.C_HPC1 + "/plain").utf8(EmrAuthWorld.HPC_ID).bytes(new byte[32]).int64(t).bytes(bad)
                        .bytes(good).toByteArray()), noSig, t))));
        f.add(Map.entry("C_HPC1.R_HPC1", bad -> () -> s1.acceptAccessResponse(new HospitalAccessResponse(toDoctor(DoctorEmrSearch.C_HPC1,
                LabelledEncoder.of(DoctorEmrSearch.C_HPC1 + "/plain").utf8(EmrAuthWorld.HPC_ID).bytes(new byte[32]).int64(t).bytes(good)
                        .bytes(bad).toByteArray()), noSig, t))));
        // Registration R and the published PK
        f.add(Map.entry("RegistrationResponse.R", bad -> () -> RegistrationResponse.decode(c,
                LabelledEncoder.of(RegistrationResponse.LABEL).bytes(bad).bytes(c.encodeScalar(java.math.BigInteger.TEN)).toByteArray())));
        f.add(Map.entry("PK", bad -> () -> MasterPublicKey.decode(c, bad)));
        return f;
    }

    @TestFactory
    Stream<DynamicTest> everyPointFieldRejectsEveryBadEncoding() throws ProtocolException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Function<byte[], Executable>> field : fields()) {
            for (Map.Entry<String, byte[]> bad : BadPoints.forCurve(c).entrySet()) {
                tests.add(dynamicTest(field.getKey() + " rejects " + bad.getKey(), () -> {
                    ProtocolException e = assertThrows(ProtocolException.class, field.getValue().apply(bad.getValue()));
                    assertEquals(Reason.BAD_POINT, e.reason());
                }));
            }
        }
        return tests.stream();
    }
}
