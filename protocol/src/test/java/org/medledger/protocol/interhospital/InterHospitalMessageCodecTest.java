package org.medledger.protocol.interhospital;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.testkit.CodecChecks;
import org.medledger.protocol.testkit.CodecChecks.Case;

/** Every INTER-HOSPITAL message, authorization and contract payload decodes strictly. */
class InterHospitalMessageCodecTest {

    @TestFactory
    Stream<DynamicTest> everyMessageDecoderIsStrict() throws ProtocolException {
        InterHospitalWorld w = new InterHospitalWorld();
        Patient pat = w.newPatient("PAT-1");
        Hospital hpa = w.newHospital("HPA");
        Hospital hpb = w.newHospital("HPB");
        TreatmentConsent consent = pat.consentToTreatment("HPA", Duration.ofDays(1));
        w.ledger.apply(consent);
        PatientVisit v = pat.visit("HPA");
        HospitalSession s = hpa.accept(v.hello());
        HandshakeConfirm cf = v.acceptChallenge(s.challenge(), "x".getBytes(StandardCharsets.UTF_8), Optional.empty());
        s.acceptVisit(cf);
        RecordIssue issue = s.issueRecord("DX-1", new byte[] {1});
        issue.contractCalls().forEach(w.ledger::apply);
        w.hospitalRecords.put("HPA|PAT-1|DX-1", new byte[] {1});
        ReleaseAuthorization auth = pat.authorize("HPB", "HPA", List.of("DX-1"), Duration.ofHours(1));
        HospitalLink link = hpb.connect("HPA");
        HospitalSession atA = hpa.accept(link.hello());
        RecordRelease rel = atA.acceptTransferRequest(link.requestRecords(atA.challenge(), auth), w.source("HPA"));

        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("HandshakeHello", new Case(v.hello().encode(), b -> HandshakeHello.decode(w.curve, b)));
        cases.put("HandshakeChallenge", new Case(s.challenge().encode(), b -> HandshakeChallenge.decode(w.curve, b)));
        cases.put("HandshakeConfirm", new Case(cf.encode(), b -> HandshakeConfirm.decode(w.curve, b)));
        cases.put("RecordDelivery", new Case(issue.delivery().encode(), b -> RecordDelivery.decode(w.curve, b)));
        cases.put("RecordTransfer", new Case(rel.transfer().encode(), b -> RecordTransfer.decode(w.curve, b)));
        cases.put("ReleaseAuthorization", new Case(auth.encode(), b -> ReleaseAuthorization.decode(w.curve, b)));
        cases.put("ptins", new Case(issue.ptins().encode(), PatientInsert::decode));
        cases.put("mrins", new Case(issue.mrins().encode(), MedicalRecordInsert::decode));
        cases.put("hains", new Case(new HospitalInsert("HPA", "d").encode(), HospitalInsert::decode));
        cases.put("consent", new Case(consent.encode(), TreatmentConsent::decode));
        cases.put("mrxfer", new Case(rel.log().encode(), RecordTransferLog::decode));
        cases.put("ptchk", new Case(new PatientCheck("PAT-1").encode(), PatientCheck::decode));
        cases.put("hachk", new Case(new HospitalCheck("HPA").encode(), HospitalCheck::decode));
        cases.put("mrchk", new Case(new MedicalRecordCheck("DX-1", "HPA", "PAT-1").encode(), MedicalRecordCheck::decode));
        return CodecChecks.strictness(cases).stream();
    }
}
