package org.medledger.protocol.cloudchain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.testkit.Fixtures;

/**
 * The receiver checks of CLOUD-CHAIN that other tests do not attack: stale and future
 * timestamps of every message, outer fields that differ from the authenticated inner ones,
 * replays.
 */
class CloudChainReceiverChecksTest {

    private static final long WINDOW = 30_000;

    private final CloudChainWorld w = new CloudChainWorld();
    private final Patient patient = w.newPatient("alice");
    private final Smartcard card = w.register(patient, "correct horse");
    private final byte[] hid = new byte[32];

    CloudChainReceiverChecksTest() throws ProtocolException {
        hid[0] = 9;
        w.contracts.add(Hex.toHexString(hid) + "|" + w.mc.pid());
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    private PatientAuthentication start() throws ProtocolException {
        return patient.authenticate(card, CloudChainWorld.pw("correct horse"), w.mc.pid());
    }

    private void staleAndFuture(org.junit.jupiter.api.function.Executable deliver) {
        w.clock.advanceMillis(WINDOW + 1);
        assertEquals(Reason.STALE_TIMESTAMP, reason(deliver));
        w.clock.advanceMillis(-2 * (WINDOW + 1));
        assertEquals(Reason.STALE_TIMESTAMP, reason(deliver));
        w.clock.advanceMillis(WINDOW + 1);
    }

    @Test
    void authenticationMessagesOutsideTheWindowOrShiftedAreRefused() throws ProtocolException {
        PatientAuthentication p = start();
        AuthRequest r = p.request();
        // T_1 outside differs from T_1 inside M_1 (M_ap binds the inner one)
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.mc.acceptAuthentication(new AuthRequest(r.m1(), r.mAp(), r.t1() + 1))));
        MedicalCenterSession m = w.mc.acceptAuthentication(r);
        AuthResponse resp = m.response();
        staleAndFuture(() -> p.acceptResponse(resp));
        // T_2 is under M_amc
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> p.acceptResponse(new AuthResponse(resp.eI(), resp.mAmc(), resp.t2() + 1, resp.qJ()))));
        p.acceptResponse(resp);
        ContractUpload u = p.contractUpload();
        staleAndFuture(() -> m.acceptContractUpload(u));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> m.acceptContractUpload(new ContractUpload(u.mSc(), u.mInf(), u.t3() + 1))));
        m.acceptContractUpload(u);
    }

    @Test
    void ehrUploadChecks() throws ProtocolException {
        EhrUpload u = w.mc.storeEhr(hid, new byte[] {5});
        staleAndFuture(() -> w.cs.acceptUpload(u));
        // the EHR inside carries another T_up than the one outside (and in the associated data)
        long t = u.tUp();
        Ehr inner = new Ehr(hid, w.mc.pid(), new byte[] {5}, t - 1);
        byte[] mUp = Aead.seal(w.mc.kms(), new AssociatedData(MedicalCenter.M_UP, w.mc.pid(), MedicalCenter.CS_ID, t), inner.encode(),
                Fixtures.seededRandom(3));
        byte[] mCu = MedicalCenter.mCu(w.mc.kms(), inner, w.mc.pid());
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.cs.acceptUpload(new EhrUpload(u.pidJ(), mUp, mCu, t))));
        w.cs.acceptUpload(u);
    }

    @Test
    void ehrRequestAndResponseChecks() throws ProtocolException {
        w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {6}));
        EhrQuery q = w.mc.requestEhr(hid);
        EhrRequest r = q.request();
        staleAndFuture(() -> w.cs.handleRequest(r));
        // M_req names another medical center inside than the PID_j outside
        long t = r.tReq();
        byte[] re = LabelledEncoder.of("CLOUD-CHAIN/5.5/RE").bytes(hid).bytes(new byte[16]).toByteArray();
        byte[] mReq = Aead.seal(w.mc.kms(), new AssociatedData(MedicalCenter.M_REQ, w.mc.pid(), MedicalCenter.CS_ID, t),
                LabelledEncoder.of(MedicalCenter.M_REQ + "/plain").bytes(re).utf8("MC-other")
                        .bytes(org.medledger.protocol.common.Ecdsa.sign(w.mc.keys().signing(), LogTransaction.signed(hid, w.mc.pid(), t)))
                        .toByteArray(), Fixtures.seededRandom(4));
        byte[] mCr = CheckValues.digest(LabelledEncoder.of(MedicalCenter.M_CR).bytes(re).utf8(w.mc.pid()));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> w.cs.handleRequest(new EhrRequest(r.pidJ(), mReq, mCr, t))));
        byte[] cr = r.mCr();
        cr[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> w.cs.handleRequest(new EhrRequest(r.pidJ(), r.mReq(), cr, t))));
        EhrResponse resp = w.cs.handleRequest(r);
        assertEquals(Reason.REPLAY, reason(() -> w.cs.handleRequest(r)));

        staleAndFuture(() -> q.readResponse(resp));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> q.readResponse(new EhrResponse(resp.mE(), resp.mCe(), resp.tE() + 1))));
        q.readResponse(resp);
        // the answer to one query is not accepted by another query of the same record
        EhrQuery q2 = w.mc.requestEhr(hid);
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> q2.readResponse(resp)));
    }
}
