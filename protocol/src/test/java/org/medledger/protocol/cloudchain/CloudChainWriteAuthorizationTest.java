package org.medledger.protocol.cloudchain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.testkit.Fixtures;

/** CLOUD-CHAIN's writes and releases authorized: the patient–center contract, keyed M_CU, the access log first. */
class CloudChainWriteAuthorizationTest {

    private final CloudChainWorld w = new CloudChainWorld();
    private final byte[] hid = new byte[32];

    CloudChainWriteAuthorizationTest() throws ProtocolException {
        Arrays.fill(hid, (byte) 7);
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    @Test
    void theContractCarriesThePatientsOwnSignatureUnderTheRegisteredKey() throws ProtocolException {
        Patient patient = w.newPatient("alice");
        Patient.Registration reg = patient.beginRegistration();
        PatientRegistrationResult result = w.na.registerPatient(reg.enrolment());
        w.mc.addVerifier(result.verifier());
        Smartcard card = reg.complete(result.issuance(), CloudChainWorld.pw("pw"), CloudChainWorld.TEST_ITERATIONS, 3);
        PatientAuthentication p = patient.authenticate(card, CloudChainWorld.pw("pw"), w.mc.pid());
        MedicalCenterSession m = w.mc.acceptAuthentication(p.request());
        p.acceptResponse(m.response());
        PatientCenterContract sc = m.acceptContractUpload(p.contractUpload());
        // PK_i is the key the NA registers with HID_i on the ledger, where it checks Sig_i.
        assertArrayEquals(reg.patientKey(), sc.patientKey());
        PatientCenterContract.requirePatientSignature(w.curve, sc.hidI(), sc.pidJ(), sc.patientKey(), sc.patientSig());
        // A signature the patient gave for another center is not evidence for this one.
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> PatientCenterContract.requirePatientSignature(w.curve, sc.hidI(), "MC-2",
                sc.patientKey(), sc.patientSig())));
    }

    @Test
    void theCenterRefusesAContractUploadWhoseSignatureIsNotThePatients() throws ProtocolException {
        Patient patient = w.newPatient("bob");
        Smartcard card = w.register(patient, "pw");
        PatientAuthentication p = patient.authenticate(card, CloudChainWorld.pw("pw"), w.mc.pid());
        MedicalCenterSession m = w.mc.acceptAuthentication(p.request());
        p.acceptResponse(m.response());
        long t3 = w.clock.millis();
        SigningKey other = SigningKey.generate(w.curve, Fixtures.seededRandom(8));
        byte[] sig = Ecdsa.signRaw(SigningKey.generate(w.curve, Fixtures.seededRandom(9)), PatientCenterContract.patientStatement(p.hid(), w.mc.pid()));
        byte[] plain = LabelledEncoder.of(PatientAuthentication.M_INF + "/plain").bytes(p.hid()).utf8(w.mc.pid())
                .point(w.curve, other.verificationKey().point()).bytes(sig).toByteArray();
        byte[] mInf = Aead.seal(p.sessionKey(), new AssociatedData(PatientAuthentication.M_INF, org.bouncycastle.util.encoders.Hex.toHexString(p.hid()),
                w.mc.pid(), t3), plain, Fixtures.seededRandom(10));
        byte[] mSc = CheckValues.mac(p.sessionKey(), PatientAuthentication.mScInput(p.hid(), w.mc.pid(), t3));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> m.acceptContractUpload(new ContractUpload(mSc, mInf, t3))));
    }

    @Test
    void aCenterWithoutTheContractCannotStoreAnEhrForThePatient() throws ProtocolException {
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {1}))));
        // Another registered center with its own KMS key cannot write into MC-1's patient either.
        w.contract(hid, w.mc);
        MedicalCenter other = w.newMedicalCenter("MC-2");
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.cs.acceptUpload(other.storeEhr(hid, "forged".getBytes(StandardCharsets.UTF_8)))));
        w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {1}));
        assertArrayEquals(new byte[] {1}, w.ehrs.values().iterator().next().ri());
    }

    @Test
    void mCuDoesNotConfirmAGuessedRecordWithoutTheKey() {
        // The record is one of few values; T_up and PID_j travel in clear, HID_i is the patient's pseudonym.
        byte[] actual = "HIV test: positive".getBytes(StandardCharsets.UTF_8);
        EhrUpload u = w.mc.storeEhr(hid, actual);
        for (String guess : new String[] {"HIV test: negative", "HIV test: positive"}) {
            Ehr candidate = new Ehr(hid, w.mc.pid(), guess.getBytes(StandardCharsets.UTF_8), u.tUp());
            byte[] paper = CheckValues.digest(LabelledEncoder.of(MedicalCenter.M_CU).bytes(candidate.encode()).utf8(w.mc.pid()));
            assertFalse(Arrays.equals(paper, u.mCu()), "the unkeyed h(EHR_i‖PID_j) confirms the guess " + guess);
        }
        assertArrayEquals(MedicalCenter.mCu(w.kms.get(w.mc.pid()), new Ehr(hid, w.mc.pid(), actual, u.tUp()), w.mc.pid()), u.mCu());
    }

    @Test
    void nothingIsReleasedWithoutTheAccessLogOnTheLedgerAndEveryAccessIsLogged() throws ProtocolException {
        w.contract(hid, w.mc);
        w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {4}));
        w.ledgerDown = true;
        EhrQuery refused = w.mc.requestEhr(hid);
        assertEquals(Reason.INTERNAL, reason(() -> w.cs.handleRequest(refused.request())));
        assertTrue(w.accessLog.isEmpty());
        w.ledgerDown = false;
        for (int i = 0; i < 2; i++) {
            w.clock.advanceMillis(3);
            EhrQuery q = w.mc.requestEhr(hid);
            assertArrayEquals(new byte[] {4}, q.readResponse(w.cs.handleRequest(q.request())).ri());
            LogTransaction tx = w.accessLog.get(i);
            assertEquals(q.request().tReq(), tx.tAccess());
            assertArrayEquals(hid, tx.hidI());
            tx.verify(w.mc.keys().signingPublic());
        }
        assertEquals(2, w.accessLog.size());
    }

    @Test
    void anAccessLogNotSignedByTheCenterReleasesNothing() throws ProtocolException {
        w.contract(hid, w.mc);
        w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {5}));
        // Whoever holds KMS_j but not MC-1's signing key (e.g. the CS operator) cannot produce the log entry.
        long t = w.clock.millis();
        byte[] re = LabelledEncoder.of("CLOUD-CHAIN/5.5/RE").bytes(hid).bytes(new byte[16]).toByteArray();
        byte[] sig = Ecdsa.sign(SigningKey.generate(w.curve, Fixtures.seededRandom(5)), LogTransaction.signed(hid, w.mc.pid(), t));
        byte[] plain = LabelledEncoder.of(MedicalCenter.M_REQ + "/plain").bytes(re).utf8(w.mc.pid()).bytes(sig).toByteArray();
        byte[] mReq = Aead.seal(w.kms.get(w.mc.pid()), new AssociatedData(MedicalCenter.M_REQ, w.mc.pid(), MedicalCenter.CS_ID, t), plain,
                Fixtures.seededRandom(6));
        byte[] mCr = CheckValues.digest(LabelledEncoder.of(MedicalCenter.M_CR).bytes(re).utf8(w.mc.pid()));
        EhrRequest forged = new EhrRequest(w.mc.pid().getBytes(StandardCharsets.UTF_8), mReq, mCr, t);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.cs.handleRequest(forged)));
        assertTrue(w.accessLog.isEmpty());
    }
}
