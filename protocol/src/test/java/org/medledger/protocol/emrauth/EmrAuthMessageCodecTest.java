package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** Every EMR-AUTH message round-trips and its decoder rejects trailing, missing and foreign bytes. */
class EmrAuthMessageCodecTest {

    interface Decoder {
        Object decode(CurveProfile c, byte[] b) throws ProtocolException;
    }

    @TestFactory
    Stream<DynamicTest> everyMessageDecoderIsStrict() throws ProtocolException {
        EmrAuthWorld w = new EmrAuthWorld();
        PatientDevice p = w.newPatient("P-1");
        Doctor d = w.newDoctor("D-1");
        w.storeEmr("P-1", "D-1", new byte[] {1});
        PatientConsultation pc = p.startConsultation("D-1");
        DoctorConsultation dc = d.acceptConsultation(pc.request());
        SignalDelivery sd = pc.acceptResponse(dc.response(), new byte[] {2});
        DoctorEmrSearch s = d.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        EmrSearchResponse sr = w.pc.handleEmrSearch(s.request()).response();
        HospitalAccessRequest har = s.acceptSearchResponse(sr);
        HospitalAccessSession hs = w.hpc.acceptAccessRequest(har);
        EmrRequest er = s.acceptAccessResponse(hs.response());
        EmrDelivery ed = hs.release(er, (a, b, c) -> true, w.emrSource()).delivery();

        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("ConsultationRequest", new Object[] {pc.request().encode(), (Decoder) ConsultationRequest::decode});
        cases.put("ConsultationResponse", new Object[] {dc.response().encode(), (Decoder) ConsultationResponse::decode});
        cases.put("SignalDelivery", new Object[] {sd.encode(), (Decoder) SignalDelivery::decode});
        cases.put("DiagnosisDelivery", new Object[] {dc.diagnose(new byte[] {3}).encode(), (Decoder) DiagnosisDelivery::decode});
        cases.put("EmrSearchRequest", new Object[] {s.request().encode(), (Decoder) EmrSearchRequest::decode});
        cases.put("EmrSearchResponse", new Object[] {sr.encode(), (Decoder) EmrSearchResponse::decode});
        cases.put("HospitalAccessRequest", new Object[] {har.encode(), (Decoder) HospitalAccessRequest::decode});
        cases.put("HospitalAccessResponse", new Object[] {hs.response().encode(), (Decoder) HospitalAccessResponse::decode});
        cases.put("EmrRequest", new Object[] {er.encode(), (Decoder) EmrRequest::decode});
        cases.put("EmrDelivery", new Object[] {ed.encode(), (Decoder) EmrDelivery::decode});
        cases.put("IndexUpdate", new Object[] {w.hpc.indexUpdate(EmrAuthWorld.PC_ID, "P-1", "x", "D-1", 1).encode(), (Decoder) IndexUpdate::decode});
        cases.put("EmrVersionSubmission", new Object[] {d.submitEmrVersion(EmrAuthWorld.HPC_ID, "P-1", "x", new byte[] {4}).encode(),
                (Decoder) EmrVersionSubmission::decode});
        cases.put("RegistrationResponse", new Object[] {w.pc.registerPatient(p.registrationRequest()).encode(),
                (Decoder) RegistrationResponse::decode});
        cases.put("PatientRegistration", new Object[] {p.registrationRequest().encode(), (Decoder) (c, b) -> PatientRegistration.decode(b)});
        cases.put("DoctorRegistration", new Object[] {d.registrationRequest().encode(), (Decoder) (c, b) -> DoctorRegistration.decode(b)});
        cases.put("HospitalCloudRegistration", new Object[] {w.hpc.registrationRequest().encode(),
                (Decoder) (c, b) -> HospitalCloudRegistration.decode(b)});

        CurveProfile c = w.curve;
        List<DynamicTest> tests = new ArrayList<>();
        List<byte[]> all = new ArrayList<>();
        cases.values().forEach(v -> all.add((byte[]) v[0]));
        for (Map.Entry<String, Object[]> e : cases.entrySet()) {
            byte[] enc = (byte[]) e.getValue()[0];
            Decoder dec = (Decoder) e.getValue()[1];
            tests.add(dynamicTest(e.getKey() + " round-trips", () -> {
                Object back = dec.decode(c, enc);
                assertArrayEquals(enc, (byte[]) back.getClass().getMethod("encode").invoke(back));
            }));
            tests.add(dynamicTest(e.getKey() + " rejects trailing bytes", () ->
                    assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class,
                            () -> dec.decode(c, Arrays.copyOf(enc, enc.length + 1))).reason())));
            tests.add(dynamicTest(e.getKey() + " rejects a missing last field", () ->
                    assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class,
                            () -> dec.decode(c, Arrays.copyOf(enc, enc.length - 9))).reason())));
            tests.add(dynamicTest(e.getKey() + " rejects other messages", () -> {
                for (byte[] other : all) {
                    if (other != enc) {
                        ProtocolException ex = assertThrows(ProtocolException.class, () -> dec.decode(c, other));
                        assertEquals(Reason.MALFORMED_MESSAGE, ex.reason());
                    }
                }
            }));
        }
        return tests.stream();
    }
}
