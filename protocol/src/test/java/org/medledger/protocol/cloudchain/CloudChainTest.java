package org.medledger.protocol.cloudchain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.testkit.BadPoints;
import org.medledger.protocol.testkit.Fixtures;

class CloudChainTest {

    private final CloudChainWorld w = new CloudChainWorld();
    private final Patient patient = w.newPatient("alice");
    private final Smartcard card = w.register(patient, "correct horse");

    CloudChainTest() throws ProtocolException {
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    private PatientAuthentication start() throws ProtocolException {
        return patient.authenticate(card, CloudChainWorld.pw("correct horse"), w.mc.pid());
    }

    @Test
    void honestRunAgreesOnSkAndStoresAndReturnsTheEhr() throws ProtocolException {
        PatientAuthentication p = start();
        MedicalCenterSession m = w.mc.acceptAuthentication(AuthRequest.decode(w.curve, p.request().encode()));
        p.acceptResponse(AuthResponse.decode(w.curve, m.response().encode()));
        assertEquals(p.sessionKey(), m.sessionKey());
        PatientCenterContract sc = m.acceptContractUpload(ContractUpload.decode(w.curve, p.contractUpload().encode()));
        assertArrayEquals(p.hid(), sc.hidI());
        assertEquals(w.mc.pid(), sc.pidJ());
        w.contracts.add(Hex.toHexString(sc.hidI()) + "|" + sc.pidJ());

        byte[] ri = "HbA1c 6.1%".getBytes(StandardCharsets.UTF_8);
        Ehr stored = w.cs.acceptUpload(EhrUpload.decode(w.curve, w.mc.storeEhr(m.hid(), ri).encode()));
        assertArrayEquals(ri, stored.ri());
        EhrQuery q = w.mc.requestEhr(m.hid());
        Ehr back = q.readResponse(EhrResponse.decode(w.curve, w.cs.handleRequest(EhrRequest.decode(w.curve, q.request().encode())).encode()));
        assertEquals(stored, back);

        LogTransaction tx = w.mc.logTransaction(m.hid(), w.clock.millis());
        LogTransaction.decode(w.curve, tx.encode()).verify(w.mc.keys().signingPublic());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> new LogTransaction(tx.hidI(), tx.pidJ(), tx.tAccess() + 1, tx.sigJ())
                .verify(w.mc.keys().signingPublic())));
        // the malleated twin of Sig_j is refused; the transaction's identity is its signed fields
        LogTransaction twin = LogTransaction.decode(w.curve, org.medledger.protocol.testkit.Twins.malleate(w.curve, tx.encode(), tx.sigJ()));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> twin.verify(w.mc.keys().signingPublic())));
    }

    @Test
    void medicalCenterSessionSurvivesSealedExport() throws ProtocolException {
        org.medledger.protocol.common.SessionSealer sealer = new org.medledger.protocol.common.SessionSealer(
                SecretBytes.copyOf(new byte[32]), w.clock, Fixtures.seededRandom(91), Duration.ofMinutes(5),
                new org.medledger.protocol.common.InMemoryReplayGuard(w.clock));
        PatientAuthentication p = start();
        MedicalCenterSession m = w.mc.acceptAuthentication(p.request());
        byte[] sealed = m.export(sealer, "s");
        p.acceptResponse(m.response());
        MedicalCenterSession resumed = w.mc.resumeSession(sealer, "s", sealed);
        assertEquals(p.sessionKey(), resumed.sessionKey());
        assertArrayEquals(p.hid(), resumed.acceptContractUpload(p.contractUpload()).hidI());
        // resumed once: the same sealed state cannot make a second contract
        assertEquals(Reason.REPLAY, reason(() -> w.mc.resumeSession(sealer, "s", sealed)));
    }

    @Test
    void wrongPasswordIsCountedAndTheCardLocks() throws ProtocolException {
        assertEquals(Reason.WRONG_PASSWORD, reason(() -> patient.authenticate(card, CloudChainWorld.pw("wrong"), w.mc.pid())));
        assertEquals(1, card.failedAttempts());
        start(); // success resets the counter
        assertEquals(0, card.failedAttempts());
        assertEquals(Reason.WRONG_PASSWORD, reason(() -> patient.authenticate(card, CloudChainWorld.pw("w1"), w.mc.pid())));
        assertEquals(Reason.WRONG_PASSWORD, reason(() -> patient.authenticate(card, CloudChainWorld.pw("w2"), w.mc.pid())));
        assertEquals(Reason.CARD_LOCKED, reason(() -> patient.authenticate(card, CloudChainWorld.pw("w3"), w.mc.pid())));
        assertTrue(card.isLocked());
        assertEquals(Reason.CARD_LOCKED, reason(this::start));
    }

    @Test
    void wrongIdentityWithTheRightPasswordFails() {
        Patient mallory = new Patient(w.env(), w.trust, "mallory");
        assertEquals(Reason.WRONG_PASSWORD, reason(() -> mallory.authenticate(card, CloudChainWorld.pw("correct horse"), w.mc.pid())));
    }

    @Test
    void lockSurvivesExportAndRestore() throws ProtocolException {
        for (int i = 0; i < 2; i++) {
            assertThrows(ProtocolException.class, () -> patient.authenticate(card, CloudChainWorld.pw("x"), w.mc.pid()));
        }
        Smartcard restored = Smartcard.restore(card.export());
        assertEquals(2, restored.failedAttempts());
        assertEquals(Reason.CARD_LOCKED, reason(() -> patient.authenticate(restored, CloudChainWorld.pw("x"), w.mc.pid())));
        assertFalse(card.toString().contains(Hex.toHexString(card.export()).substring(0, 16)));
    }

    @Test
    void cardValuesAreConsistent() throws ProtocolException {
        CardSecrets s = card.unlock("alice", CloudChainWorld.pw("correct horse"));
        // HID_i = h(a_i‖ID_i) and V_i = h(x_i) as issued by the NA
        assertArrayEquals(Smartcard.hid(s.aI.reveal(), "alice"), s.hidI);
        assertArrayEquals(w.verifiers.get(0).vI(), NetworkAdministrator.verifierOf(s.xI.reveal()));
        assertArrayEquals(w.verifiers.get(0).hidI(), s.hidI);
    }

    /** Erratum 5: leaking x_i after a session does not reveal that session's SK_ij. */
    @Test
    void leakingXiAfterTheSessionDoesNotRevealSk() throws ProtocolException {
        PatientAuthentication p = start();
        MedicalCenterSession m = w.mc.acceptAuthentication(p.request());
        AuthResponse resp = m.response();
        p.acceptResponse(resp);
        SecretBytes sk = p.sessionKey();
        // Later the card and password leak, and even the MC's KEM key: the attacker learns x_i, HID_i, Q_i.
        CardSecrets leaked = card.unlock("alice", CloudChainWorld.pw("correct horse"));
        byte[] bJ = CloudChainHashes.xor(resp.eI(), leaked.xI.reveal());
        ECPoint qJ = w.curve.decodePoint(resp.qJ());
        byte[] plain = Hpke.open(w.mc.keys().kem(), PatientAuthentication.M_1, null, p.request().m1());
        org.medledger.protocol.common.LabelledDecoder d = org.medledger.protocol.common.LabelledDecoder.open(plain, PatientAuthentication.M_1 + "/plain");
        d.bytes();
        d.bytes();
        d.int64();
        ECPoint qI = d.point(w.curve);
        // The paper's key h(HID_i‖PID_j‖x_i‖b_j) is fully computable from this leak ...
        SecretBytes paperKey = org.medledger.protocol.common.Kdf.deriveKey(LabelledEncoder.of(PatientAuthentication.SK)
                .bytes(leaked.hidI).utf8(w.mc.pid()).secret(leaked.xI).bytes(bJ));
        // ... but ours needs Z = q_i·Q_j = e_j·Q_i; every value the attacker can form misses it.
        List<SecretBytes> attempts = new ArrayList<>();
        attempts.add(paperKey);
        for (ECPoint guess : new ECPoint[] {qI, qJ, qI.add(qJ).normalize(), w.curve.generator()}) {
            SecretBytes z = SecretBytes.copyOf(w.curve.xCoordinate(guess));
            attempts.add(PatientAuthentication.sessionKey(leaked.hidI, w.mc.pid(), leaked.xI, bJ, z, w.curve, qI, qJ));
        }
        for (SecretBytes a : attempts) {
            assertNotEquals(sk, a);
        }
        // The ephemeral secret is gone from the patient's session.
        assertThrows(IllegalStateException.class, () -> p.acceptResponse(resp));
    }

    @Test
    void replayedAuthRequestIsRejected() throws ProtocolException {
        PatientAuthentication p = start();
        w.mc.acceptAuthentication(p.request());
        assertEquals(Reason.REPLAY, reason(() -> w.mc.acceptAuthentication(p.request())));
    }

    @Test
    void staleAndFutureAuthRequestsAreRejected() throws ProtocolException {
        PatientAuthentication p = start();
        w.clock.advanceMillis(31_000);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> w.mc.acceptAuthentication(p.request())));
        w.clock.advanceMillis(-62_000);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> w.mc.acceptAuthentication(p.request())));
    }

    @Test
    void replayedAuthResponseIsRejected() throws ProtocolException {
        PatientAuthentication p = start();
        AuthResponse r = w.mc.acceptAuthentication(p.request()).response();
        p.acceptResponse(r);
        PatientAuthentication p2 = start();
        // Bound to the first run's Q_i: fails the check before reaching the cache.
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> p2.acceptResponse(r)));
    }

    @Test
    void tamperedMapAndCiphertextAreRejected() throws ProtocolException {
        AuthRequest r = start().request();
        byte[] ap = r.mAp();
        ap[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> w.mc.acceptAuthentication(new AuthRequest(r.m1(), ap, r.t1()))));
        byte[] m1 = r.m1();
        m1[m1.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.mc.acceptAuthentication(new AuthRequest(m1, r.mAp(), r.t1()))));
    }

    @Test
    void tamperedResponseIsRejected() throws ProtocolException {
        PatientAuthentication p = start();
        AuthResponse r = w.mc.acceptAuthentication(p.request()).response();
        byte[] e = r.eI();
        e[4] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> p.acceptResponse(new AuthResponse(e, r.mAmc(), r.t2(), r.qJ()))));
        byte[] mac = r.mAmc();
        mac[4] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> p.acceptResponse(new AuthResponse(r.eI(), mac, r.t2(), r.qJ()))));
        assertEquals(Reason.MALFORMED_MESSAGE, reason(() -> p.acceptResponse(new AuthResponse(new byte[31], r.mAmc(), r.t2(), r.qJ()))));
    }

    @Test
    void mitmSubstitutingEitherEphemeralShareIsDetected() throws ProtocolException {
        PatientAuthentication p = start();
        AuthResponse r = w.mc.acceptAuthentication(p.request()).response();
        byte[] evilQ = w.curve.encodePoint(w.curve.multiplyGenerator(java.math.BigInteger.valueOf(99)));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> p.acceptResponse(new AuthResponse(r.eI(), r.mAmc(), r.t2(), evilQ))));
        // Towards the MC: M_1 re-encrypted with another Q_i fails M_ap (bound to Q_i).
        PatientAuthentication p2 = start();
        CardSecrets s = card.unlock("alice", CloudChainWorld.pw("correct horse"));
        byte[] plain = LabelledEncoder.of(PatientAuthentication.M_1 + "/plain").secret(s.xI).bytes(s.hidI).int64(p2.request().t1())
                .bytes(evilQ).toByteArray();
        byte[] m1 = Hpke.seal(w.mc.keys().kemPublic(), PatientAuthentication.M_1, null, plain, Fixtures.seededRandom(8));
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> w.mc.acceptAuthentication(new AuthRequest(m1, p2.request().mAp(), p2.request().t1()))));
    }

    /** Erratum 4: knowing HID_i is not enough to pass as the patient. */
    @Test
    void impostorKnowingHidButNotXiIsRejected() throws ProtocolException {
        CardSecrets s = card.unlock("alice", CloudChainWorld.pw("correct horse"));
        SecretBytes fakeX = SecretBytes.copyOf(new byte[32]);
        long t = w.clock.millis();
        ECPoint q = w.curve.multiplyGenerator(java.math.BigInteger.TEN);
        byte[] plain = LabelledEncoder.of(PatientAuthentication.M_1 + "/plain").secret(fakeX).bytes(s.hidI).int64(t).point(w.curve, q).toByteArray();
        byte[] m1 = Hpke.seal(w.mc.keys().kemPublic(), PatientAuthentication.M_1, null, plain, Fixtures.seededRandom(9));
        byte[] mAp = PatientAuthentication.mAp(fakeX, s.hidI, t, w.mc.pid(), w.curve, q);
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> w.mc.acceptAuthentication(new AuthRequest(m1, mAp, t))));
    }

    @Test
    void unregisteredPatientIsRejected() throws ProtocolException {
        Patient bob = w.newPatient("bob");
        Patient.Registration reg = bob.beginRegistration();
        PatientRegistrationResult res = w.na.registerPatient(reg.enrolment());
        Smartcard bobCard = reg.complete(res.issuance(), CloudChainWorld.pw("pw"), CloudChainWorld.TEST_ITERATIONS, 3);
        // The NA never provisioned bob's verifier to MC-1.
        PatientAuthentication p = bob.authenticate(bobCard, CloudChainWorld.pw("pw"), w.mc.pid());
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> w.mc.acceptAuthentication(p.request())));
    }

    @Test
    void aVerifierFromTheSourceAdmitsOnlyThePatientItBelongsTo() throws ProtocolException {
        Patient bob = w.newPatient("bob");
        Patient.Registration reg = bob.beginRegistration();
        PatientRegistrationResult res = w.na.registerPatient(reg.enrolment());
        Smartcard bobCard = reg.complete(res.issuance(), CloudChainWorld.pw("pw"), CloudChainWorld.TEST_ITERATIONS, 3);
        // The server's source knows bob's verifier (as the NA's table does); MC-1 was never handed it.
        w.mc.useVerifierSource(h -> java.util.Arrays.equals(h, res.verifier().hidI()) ? Optional.of(res.verifier().vI()) : Optional.empty());
        PatientAuthentication p = bob.authenticate(bobCard, CloudChainWorld.pw("pw"), w.mc.pid());
        assertEquals(org.bouncycastle.util.encoders.Hex.toHexString(res.verifier().hidI()),
                org.bouncycastle.util.encoders.Hex.toHexString(w.mc.acceptAuthentication(p.request()).hid()));
        // A source answering another patient's verifier for bob's HID_i does not let bob in.
        Patient carol = w.newPatient("carol");
        Patient.Registration rc = carol.beginRegistration();
        PatientRegistrationResult resC = w.na.registerPatient(rc.enrolment());
        w.mc.useVerifierSource(h -> Optional.of(resC.verifier().vI()));
        PatientAuthentication again = bob.authenticate(bobCard, CloudChainWorld.pw("pw"), w.mc.pid());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> w.mc.acceptAuthentication(again.request())));
    }

    @Test
    void medicalCenterCertifiedByAnotherAuthorityIsRejected() throws ProtocolException {
        KeyCertifier rogue = new KeyCertifier(SigningKey.generate(w.curve, Fixtures.seededRandom(60)), w.clock, Duration.ofDays(1));
        PartyKeys k = PartyKeys.generate(w.curve, Fixtures.seededRandom(61));
        w.directory.put(rogue.certify(CloudChainRoles.SCHEME, CloudChainRoles.MEDICAL_CENTER, "fake-mc", k.signingPublic(), k.kemPublic(), Optional.empty()));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> patient.authenticate(card, CloudChainWorld.pw("correct horse"), "fake-mc")));
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> patient.authenticate(card, CloudChainWorld.pw("correct horse"), "nobody")));
    }

    @Test
    void medicalCenterImpersonatorWithoutItsKemKeyCannotAnswer() throws ProtocolException {
        // Another MC (legitimately certified) receives alice's M_1 meant for MC-1: it cannot decrypt.
        MedicalCenter other = w.newMedicalCenter("MC-2");
        PatientAuthentication p = start();
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> other.acceptAuthentication(p.request())));
    }

    @Test
    void tamperedContractUploadIsRejected() throws ProtocolException {
        PatientAuthentication p = start();
        MedicalCenterSession m = w.mc.acceptAuthentication(p.request());
        p.acceptResponse(m.response());
        ContractUpload u = p.contractUpload();
        byte[] sc = u.mSc();
        sc[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> m.acceptContractUpload(new ContractUpload(sc, u.mInf(), u.t3()))));
        byte[] inf = u.mInf();
        inf[inf.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> m.acceptContractUpload(new ContractUpload(u.mSc(), inf, u.t3()))));
    }

    @Test
    void cloudServerRefusesWithoutContractAndDropsTamperedAnswers() throws ProtocolException {
        byte[] hid = new byte[32];
        hid[0] = 7;
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {1, 2}))));
        w.contracts.add(Hex.toHexString(hid) + "|" + w.mc.pid());
        w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {1, 2}));
        w.contracts.clear();
        EhrQuery q = w.mc.requestEhr(hid);
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> w.cs.handleRequest(q.request())));
        w.contracts.add(Hex.toHexString(hid) + "|" + w.mc.pid());
        EhrQuery q2 = w.mc.requestEhr(hid);
        EhrResponse resp = w.cs.handleRequest(q2.request());
        byte[] ce = resp.mCe();
        ce[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> q2.readResponse(new EhrResponse(resp.mE(), ce, resp.tE()))));
        assertEquals(Reason.REPLAY, reason(() -> w.cs.handleRequest(q2.request())));
    }

    @Test
    void cloudServerImpersonatorWithoutKmsCannotAnswer() throws ProtocolException {
        byte[] hid = new byte[32];
        w.contracts.add(Hex.toHexString(hid) + "|" + w.mc.pid());
        w.cs.acceptUpload(w.mc.storeEhr(hid, new byte[] {3}));
        EhrQuery q = w.mc.requestEhr(hid);
        EhrResponse real = w.cs.handleRequest(q.request());
        // A rogue server with another key re-encrypts a forged record.
        Ehr forged = new Ehr(hid, w.mc.pid(), new byte[] {66}, real.tE());
        SecretBytes rogueKey = SecretBytes.copyOf(new byte[32]);
        byte[] mE = org.medledger.protocol.common.Aead.seal(rogueKey, new org.medledger.protocol.common.AssociatedData(MedicalCenter.M_E,
                MedicalCenter.CS_ID, w.mc.pid(), real.tE()), forged.encode(), Fixtures.seededRandom(12));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> q.readResponse(new EhrResponse(mE, real.mCe(), real.tE()))));
        // and a CS that does not hold the MC's KMS_j cannot read its requests
        CloudServer rogue = new CloudServer(w.env(), w.trust, pid -> Optional.of(rogueKey), new EhrRepository() {
            @Override
            public void store(Ehr ehr) {
            }

            @Override
            public Optional<Ehr> latest(byte[] hidI) {
                return Optional.empty();
            }
        }, (h, p) -> true, tx -> { });
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> rogue.handleRequest(w.mc.requestEhr(hid).request())));
    }

    @Test
    void tamperedOrReplayedEhrUploadIsRejected() throws ProtocolException {
        w.contract(new byte[32], w.mc);
        EhrUpload u = w.mc.storeEhr(new byte[32], new byte[] {5});
        byte[] cu = u.mCu();
        cu[1] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, reason(() -> w.cs.acceptUpload(new EhrUpload(u.pidJ(), u.mUp(), cu, u.tUp()))));
        byte[] up = u.mUp();
        up[20] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.cs.acceptUpload(new EhrUpload(u.pidJ(), up, u.mCu(), u.tUp()))));
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> w.cs.acceptUpload(new EhrUpload("nobody".getBytes(StandardCharsets.UTF_8), u.mUp(), u.mCu(), u.tUp()))));
        w.cs.acceptUpload(u);
        assertEquals(Reason.REPLAY, reason(() -> w.cs.acceptUpload(u)));
    }

    @TestFactory
    Stream<DynamicTest> ephemeralSharesRejectEveryBadPoint() throws ProtocolException {
        List<DynamicTest> tests = new ArrayList<>();
        CardSecrets s = card.unlock("alice", CloudChainWorld.pw("correct horse"));
        for (Map.Entry<String, byte[]> bad : BadPoints.forCurve(w.curve).entrySet()) {
            tests.add(dynamicTest("Q_j rejects " + bad.getKey(), () -> {
                PatientAuthentication p = start();
                AuthResponse r = w.mc.acceptAuthentication(p.request()).response();
                assertEquals(Reason.BAD_POINT, reason(() -> p.acceptResponse(new AuthResponse(r.eI(), r.mAmc(), r.t2(),
                        bad.getValue().length == 0 ? new byte[] {0} : bad.getValue()))));
            }));
            tests.add(dynamicTest("Q_i rejects " + bad.getKey(), () -> {
                long t = w.clock.millis();
                byte[] plain = LabelledEncoder.of(PatientAuthentication.M_1 + "/plain").secret(s.xI).bytes(s.hidI).int64(t)
                        .bytes(bad.getValue()).toByteArray();
                byte[] m1 = Hpke.seal(w.mc.keys().kemPublic(), PatientAuthentication.M_1, null, plain, Fixtures.seededRandom(10));
                assertEquals(Reason.BAD_POINT, reason(() -> w.mc.acceptAuthentication(new AuthRequest(m1, new byte[CheckValues.LENGTH], t))));
            }));
        }
        return tests.stream();
    }
}
