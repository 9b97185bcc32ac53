package org.medledger.protocol.cloudchain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.testkit.CodecChecks;
import org.medledger.protocol.testkit.CodecChecks.Case;

/** Every CLOUD-CHAIN message and ledger payload decodes strictly. */
class CloudChainMessageCodecTest {

    @TestFactory
    Stream<DynamicTest> everyMessageDecoderIsStrict() throws ProtocolException {
        CloudChainWorld w = new CloudChainWorld();
        Patient patient = w.newPatient("alice");
        Smartcard card = w.register(patient, "pw");
        PatientAuthentication p = patient.authenticate(card, CloudChainWorld.pw("pw"), w.mc.pid());
        MedicalCenterSession m = w.mc.acceptAuthentication(p.request());
        p.acceptResponse(m.response());
        ContractUpload cu = p.contractUpload();
        PatientCenterContract sc = m.acceptContractUpload(cu);
        w.contracts.add(Hex.toHexString(sc.hidI()) + "|" + sc.pidJ());
        EhrUpload up = w.mc.storeEhr(m.hid(), new byte[] {1});
        Ehr ehr = w.cs.acceptUpload(up);
        EhrQuery q = w.mc.requestEhr(m.hid());
        EhrResponse resp = w.cs.handleRequest(q.request());

        Map<String, Case> cases = new LinkedHashMap<>();
        cases.put("AuthRequest", new Case(p.request().encode(), b -> AuthRequest.decode(w.curve, b)));
        cases.put("AuthResponse", new Case(m.response().encode(), b -> AuthResponse.decode(w.curve, b)));
        cases.put("ContractUpload", new Case(cu.encode(), b -> ContractUpload.decode(w.curve, b)));
        cases.put("EhrUpload", new Case(up.encode(), b -> EhrUpload.decode(w.curve, b)));
        cases.put("EhrRequest", new Case(q.request().encode(), b -> EhrRequest.decode(w.curve, b)));
        cases.put("EhrResponse", new Case(resp.encode(), b -> EhrResponse.decode(w.curve, b)));
        cases.put("Ehr", new Case(ehr.encode(), Ehr::decode));
        cases.put("LogTransaction", new Case(w.mc.logTransaction(m.hid(), 1L).encode(), b -> LogTransaction.decode(w.curve, b)));
        cases.put("PatientEnrolment", new Case(patient.beginRegistration().enrolment().encode(), PatientEnrolment::decode));
        cases.put("Smartcard", new Case(card.export(), Smartcard::restore));
        return CodecChecks.strictness(cases).stream();
    }
}
