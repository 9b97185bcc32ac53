package org.medledger.ledger.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.AbeChainContract;
import org.medledger.ledger.contract.seeds.CloudChainContract;
import org.medledger.ledger.contract.seeds.ConsentContract;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.contract.seeds.InterHospitalContract;
import org.medledger.ledger.contract.seeds.MemberContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;
import org.medledger.ledger.verify.ChainSource;

class SeedContractsTest {
    private final Fixture fx = new Fixture();
    private InMemoryLedgerStore store;
    private Ledger ledger;

    @BeforeEach
    void open() {
        store = new InMemoryLedgerStore();
        ledger = fx.open(store);
    }

    @AfterEach
    void verifiesAndCloses() {
        ledger.close();
        // Whatever a test did, the chain it left behind replays.
        assertTrue(fx.verifier().verify(ChainSource.of(store)).ok());
    }

    private void refused(LedgerReason reason, Transaction tx) {
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.submitAndWait(tx));
        assertEquals(reason, e.reason(), e::getMessage);
    }

    private void queryRefused(LedgerReason reason, String contract, String fn, Arguments args) {
        LedgerException e = assertThrows(LedgerException.class, () -> ledger.query(contract, fn, args));
        assertEquals(reason, e.reason(), e::getMessage);
    }

    private static Arguments.Builder args() {
        return Arguments.builder();
    }

    private Transaction kgc(String contract, String fn, Arguments a) {
        return fx.endorse(fx.tx(Fixture.KGC, contract, fn, a), Fixture.KGC);
    }

    @Nested
    class Members {
        @Test
        void registeredMemberCanSubmit() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            assertDoesNotThrow(() -> ledger.submitAndWait(fx.tx("pat-1", GroupAggContract.NAME, "upload", args().put("kind", "PHR")
                    .put("recordId", "r1").put("receiver", "g").put("recordTime", 1).put("brief", "b").put("sensitive", "s")
                    .put("groupId", "g").build())));
        }

        @Test
        void unregisteredSubmitterIsRefused() {
            refused(LedgerReason.UNKNOWN_MEMBER, fx.tx("stranger", ConsentContract.NAME, "grant", args().put("patientId", "stranger")
                    .put("granteeId", "x").put("scope", "s").put("expiry", 1).build()));
        }

        @Test
        void registrationWithoutKgcEndorsementIsRefused() {
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx(Fixture.KGC, MemberContract.NAME, "register",
                    args().put("certificate", fx.certificate("pat-1", Role.PATIENT).encode()).build()));
        }

        @Test
        void certificateNotSignedByTheKgcIsRefused() {
            MemberCertificate forged = MemberCertificate.issue(P256SignatureScheme.fromSeed(Fixture.bytes("not the kgc")), "pat-9", Role.PATIENT,
                    fx.key("pat-9").publicKey(), Fixture.NOW - 1, Fixture.NOW + Fixture.YEAR);
            refused(LedgerReason.BAD_SIGNATURE, kgc(MemberContract.NAME, "register", args().put("certificate", forged.encode()).build()));
        }

        @Test
        void duplicateRegistrationIsRefused() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            refused(LedgerReason.ALREADY_EXISTS, fx.registration("pat-1", Role.PATIENT));
        }

        @Test
        void revokedMemberCanNoLongerSubmit() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "doc-1", Role.DOCTOR);
            ledger.submitAndWait(kgc(MemberContract.NAME, "revoke", args().put("memberId", "pat-1").build()));
            refused(LedgerReason.MEMBER_NOT_ACTIVE, fx.tx("pat-1", ConsentContract.NAME, "grant", args().put("patientId", "pat-1")
                    .put("granteeId", "doc-1").put("scope", "s").put("expiry", 1).build()));
        }

        private Transaction grantBy(String patient, org.medledger.ledger.crypto.Signer key, long nonce) {
            return new TxBody(patient, ConsentContract.NAME, "grant", args().put("patientId", patient).put("granteeId", "doc-1")
                    .put("scope", "s").put("expiry", 1).build(), Fixture.NOW, nonce).sign(key);
        }

        private Transaction reregistration(String memberId, Role role, org.medledger.ledger.crypto.Signer key) {
            MemberCertificate cert = MemberCertificate.issue(fx.kgcKey, memberId, role, key.publicKey(),
                    Fixture.NOW - Fixture.YEAR, Fixture.NOW + Fixture.YEAR);
            return kgc(MemberContract.NAME, "reregister", args().put("certificate", cert.encode()).build());
        }

        @Test
        void aRevokedMemberRegistersAgainUnderANewKeyAndOnlyThatKeySubmits() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "doc-1", Role.DOCTOR);
            ledger.submitAndWait(kgc(MemberContract.NAME, "revoke", args().put("memberId", "pat-1").build()));
            org.medledger.ledger.crypto.Signer fresh = P256SignatureScheme.fromSeed(Fixture.bytes("pat-1 new key"));
            ledger.submitAndWait(reregistration("pat-1", Role.PATIENT, fresh));
            assertDoesNotThrow(() -> ledger.submitAndWait(grantBy("pat-1", fresh, 7)));
            refused(LedgerReason.BAD_SIGNATURE, grantBy("pat-1", fx.key("pat-1"), 8));
            // a later revocation revokes the new key
            ledger.submitAndWait(kgc(MemberContract.NAME, "revoke", args().put("memberId", "pat-1").build()));
            refused(LedgerReason.MEMBER_NOT_ACTIVE, grantBy("pat-1", fresh, 9));
        }

        @Test
        void onlyARevokedMemberRegistersAgainAndOnlyUnderANewKeyInItsOwnRole() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            org.medledger.ledger.crypto.Signer fresh = P256SignatureScheme.fromSeed(Fixture.bytes("pat-1 new key"));
            refused(LedgerReason.NOT_AUTHORIZED, reregistration("pat-1", Role.PATIENT, fresh));
            refused(LedgerReason.NOT_FOUND, reregistration("pat-2", Role.PATIENT, fresh));
            ledger.submitAndWait(kgc(MemberContract.NAME, "revoke", args().put("memberId", "pat-1").build()));
            refused(LedgerReason.NOT_AUTHORIZED, reregistration("pat-1", Role.PATIENT, fx.key("pat-1")));
            refused(LedgerReason.NOT_AUTHORIZED, reregistration("pat-1", Role.DOCTOR, fresh));
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx(Fixture.KGC, MemberContract.NAME, "reregister",
                    args().put("certificate", MemberCertificate.issue(fx.kgcKey, "pat-1", Role.PATIENT, fresh.publicKey(),
                            Fixture.NOW - 1, Fixture.NOW + Fixture.YEAR).encode()).build()));
            refused(LedgerReason.ALREADY_EXISTS, kgc(MemberContract.NAME, "revoke", args().put("memberId", "pat-1").build()));
        }

        @Test
        void forgedSubmitterSignatureIsRefused() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "doc-1", Role.DOCTOR);
            TxBody body = new TxBody("pat-1", ConsentContract.NAME, "grant", args().put("patientId", "pat-1").put("granteeId", "doc-1")
                    .put("scope", "s").put("expiry", 1).build(), Fixture.NOW, 42);
            refused(LedgerReason.BAD_SIGNATURE, body.sign(fx.key("doc-1")));
        }

        @Test
        void replayedTransactionAndStaleTimestampAreRefused() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "doc-1", Role.DOCTOR);
            // A grant may be repeated by the contract, so only the transaction id stops its replay.
            Transaction t = fx.tx("pat-1", ConsentContract.NAME, "grant", args().put("patientId", "pat-1")
                    .put("granteeId", "doc-1").put("scope", "s").put("expiry", 1).build());
            ledger.submitAndWait(t);
            refused(LedgerReason.DUPLICATE_TRANSACTION, t);
            Transaction old = new TxBody(Fixture.KGC, MemberContract.NAME, "register",
                    args().put("certificate", fx.certificate("pat-2", Role.PATIENT).encode()).build(), Fixture.NOW - 3_600_000, 7)
                    .sign(fx.kgcKey).endorse(Fixture.KGC, fx.kgcKey);
            refused(LedgerReason.STALE_TIMESTAMP, old);
        }

        @Test
        void unknownContractOrFunctionIsRefused() {
            refused(LedgerReason.UNKNOWN_CONTRACT, fx.tx(Fixture.KGC, "mining", "mine", Arguments.NONE));
            refused(LedgerReason.UNKNOWN_CONTRACT, fx.tx(Fixture.KGC, MemberContract.NAME, "delete", Arguments.NONE));
        }
    }

    /** Seed 002. */
    @Nested
    class InterHospital {
        @BeforeEach
        void members() {
            fx.register(ledger, "hosp-a", Role.HOSPITAL);
            fx.register(ledger, "hosp-b", Role.HOSPITAL);
            fx.register(ledger, "pat-1", Role.PATIENT);
        }

        private void registerAll() {
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "hains", args().put("hospitalId", "hosp-a").put("detail", "A").build()));
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "hbins", args().put("hospitalId", "hosp-b").put("detail", "B").build()));
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "ptins", args().put("patientId", "pat-1").put("detail", "P").build()));
            treatmentConsent("hosp-a");
            treatmentConsent("hosp-b");
        }

        private void treatmentConsent(String hospital) {
            ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "grant", args().put("patientId", "pat-1").put("granteeId", hospital)
                    .put("scope", InterHospitalContract.TREATMENT_SCOPE).put("expiry", Fixture.NOW + Fixture.YEAR).build()));
        }

        private Arguments mrchk(String dx, String hospital, String patient) {
            return args().put("diagnosisId", dx).put("hospitalId", hospital).put("patientId", patient).build();
        }

        private Transaction mrxfer(String from, String to, java.util.List<String> records, byte authorization) {
            byte[] digest = new byte[32];
            digest[0] = authorization;
            return fx.endorse(fx.tx(from, InterHospitalContract.NAME, "mrxfer", args().put("fromHospital", from).put("toHospital", to)
                    .put("patientId", "pat-1").put("diagnosisIds", InterHospitalContract.recordList(records))
                    .put("authorizationDigest", Bytes.of(digest)).put("transferredAt", Fixture.NOW).build()), from);
        }

        private Transaction mrins(String dx, String hospital) {
            return fx.endorse(fx.tx(hospital, InterHospitalContract.NAME, "mrins", args().put("diagnosisId", dx).put("patientId", "pat-1")
                    .put("hospitalId", hospital).put("detail", "flu").build()), hospital);
        }

        @Test
        void registrationRecordAndMappingHappyPathWithChecks() {
            registerAll();
            ledger.submitAndWait(mrins("dx-1", "hosp-a"));
            ledger.submitAndWait(fx.endorse(fx.tx("hosp-a", InterHospitalContract.NAME, "ptins", args().put("patientId", "pat-1")
                    .put("detail", "map").put("recordId", "dx-1").put("hospitalId", "hosp-a").build()), "hosp-a"));
            assertDoesNotThrow(() -> ledger.query(InterHospitalContract.NAME, "ptchk", args().put("patientId", "pat-1").build()));
            assertDoesNotThrow(() -> ledger.query(InterHospitalContract.NAME, "hachk", args().put("hospitalId", "hosp-a").build()));
            assertDoesNotThrow(() -> ledger.query(InterHospitalContract.NAME, "hbchk", args().put("hospitalId", "hosp-b").build()));
            assertDoesNotThrow(() -> ledger.query(InterHospitalContract.NAME, "mrchk", mrchk("dx-1", "hosp-a", "pat-1")));
            // A check may also be recorded on the ledger as a transaction.
            assertDoesNotThrow(() -> ledger.submitAndWait(fx.tx("hosp-b", InterHospitalContract.NAME, "mrchk", mrchk("dx-1", "hosp-a", "pat-1"))));
        }

        @Test
        void hospitalInsertWithoutKgcEndorsementIsRefused() {
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx(Fixture.KGC, InterHospitalContract.NAME, "hains",
                    args().put("hospitalId", "hosp-a").put("detail", "A").build()));
        }

        @Test
        void recordNotEndorsedByTheHoldingHospitalIsRefused() {
            registerAll();
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx("hosp-a", InterHospitalContract.NAME, "mrins", args().put("diagnosisId", "dx-1")
                    .put("patientId", "pat-1").put("hospitalId", "hosp-a").put("detail", "flu").build()));
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.endorse(fx.tx("hosp-a", InterHospitalContract.NAME, "mrins", args()
                    .put("diagnosisId", "dx-1").put("patientId", "pat-1").put("hospitalId", "hosp-a").put("detail", "flu").build()), "hosp-b"));
        }

        @Test
        void duplicateInsertsAreRefused() {
            registerAll();
            refused(LedgerReason.ALREADY_EXISTS, kgc(InterHospitalContract.NAME, "ptins", args().put("patientId", "pat-1").put("detail", "again").build()));
            refused(LedgerReason.ALREADY_EXISTS, kgc(InterHospitalContract.NAME, "hains", args().put("hospitalId", "hosp-b").put("detail", "again").build()));
            ledger.submitAndWait(mrins("dx-1", "hosp-a"));
            refused(LedgerReason.ALREADY_EXISTS, mrins("dx-1", "hosp-b"));
        }

        @Test
        void checksOfMissingIdsAreRefused() {
            queryRefused(LedgerReason.NOT_FOUND, InterHospitalContract.NAME, "ptchk", args().put("patientId", "nobody").build());
            queryRefused(LedgerReason.NOT_FOUND, InterHospitalContract.NAME, "hachk", args().put("hospitalId", "nowhere").build());
            queryRefused(LedgerReason.NOT_FOUND, InterHospitalContract.NAME, "mrchk", mrchk("dx-0", "hosp-a", "pat-1"));
            refused(LedgerReason.NOT_FOUND, fx.tx("hosp-a", InterHospitalContract.NAME, "mrchk", mrchk("dx-0", "hosp-a", "pat-1")));
        }

        @Test
        void mrchkHoldsOnlyForTheRecordItsHolderAndItsPatient() {
            registerAll();
            fx.register(ledger, "pat-2", Role.PATIENT);
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "ptins", args().put("patientId", "pat-2").put("detail", "P2").build()));
            ledger.submitAndWait(mrins("dx-1", "hosp-a"));
            queryRefused(LedgerReason.NOT_AUTHORIZED, InterHospitalContract.NAME, "mrchk", mrchk("dx-1", "hosp-b", "pat-1"));
            queryRefused(LedgerReason.NOT_AUTHORIZED, InterHospitalContract.NAME, "mrchk", mrchk("dx-1", "hosp-a", "pat-2"));
        }

        @Test
        void recordIsAttachedOnlyToAPatientWhoConsentedToTheHospital() {
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "hains", args().put("hospitalId", "hosp-a").put("detail", "A").build()));
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "ptins", args().put("patientId", "pat-1").put("detail", "P").build()));
            refused(LedgerReason.NOT_AUTHORIZED, mrins("dx-1", "hosp-a"));
            // Consent for another scope is not a treatment relation.
            ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "grant", args().put("patientId", "pat-1").put("granteeId", "hosp-a")
                    .put("scope", "cardiology").put("expiry", Fixture.NOW + Fixture.YEAR).build()));
            refused(LedgerReason.NOT_AUTHORIZED, mrins("dx-1", "hosp-a"));
            treatmentConsent("hosp-a");
            ledger.submitAndWait(mrins("dx-1", "hosp-a"));
            ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "revoke", args().put("patientId", "pat-1").put("granteeId", "hosp-a")
                    .put("scope", InterHospitalContract.TREATMENT_SCOPE).build()));
            refused(LedgerReason.NOT_AUTHORIZED, mrins("dx-2", "hosp-a"));
        }

        @Test
        void transferIsLoggedOnceFromTheHolderOfThePatientsRecords() {
            registerAll();
            ledger.submitAndWait(mrins("dx-1", "hosp-a"));
            ledger.submitAndWait(mrins("dx-2", "hosp-b"));
            ledger.submitAndWait(mrxfer("hosp-a", "hosp-b", java.util.List.of("dx-1"), (byte) 1));
            // The same patient authorization cannot release twice.
            refused(LedgerReason.ALREADY_EXISTS, mrxfer("hosp-a", "hosp-b", java.util.List.of("dx-1"), (byte) 1));
            // Only records the source holds for this patient; only the source endorses; never to itself.
            refused(LedgerReason.NOT_AUTHORIZED, mrxfer("hosp-a", "hosp-b", java.util.List.of("dx-1", "dx-2"), (byte) 2));
            refused(LedgerReason.NOT_AUTHORIZED, mrxfer("hosp-a", "hosp-a", java.util.List.of("dx-1"), (byte) 3));
            refused(LedgerReason.MALFORMED, mrxfer("hosp-a", "hosp-b", java.util.List.of("dx-1", "dx-1"), (byte) 4));
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.endorse(fx.tx("hosp-b", InterHospitalContract.NAME, "mrxfer", args()
                    .put("fromHospital", "hosp-a").put("toHospital", "hosp-b").put("patientId", "pat-1")
                    .put("diagnosisIds", InterHospitalContract.recordList(java.util.List.of("dx-1")))
                    .put("authorizationDigest", Bytes.of(new byte[32])).put("transferredAt", Fixture.NOW).build()), "hosp-b"));
        }

        @Test
        void recordForAnUnregisteredPatientIsRefused() {
            ledger.submitAndWait(kgc(InterHospitalContract.NAME, "hains", args().put("hospitalId", "hosp-a").put("detail", "A").build()));
            refused(LedgerReason.NOT_FOUND, mrins("dx-1", "hosp-a"));
        }
    }

    /** Seed 001. */
    @Nested
    class CloudChain {
        @BeforeEach
        void members() {
            fx.register(ledger, "mc-1", Role.MEDICAL_CENTER);
            fx.register(ledger, "mc-2", Role.MEDICAL_CENTER);
        }

        private static final String HID_1 = "11".repeat(32);
        private static final String HID_UNKNOWN = "22".repeat(32);
        private final Signer patientKey = P256SignatureScheme.fromSeed(Fixture.bytes("card of hid-1"));

        private Transaction patient(String hid) {
            return kgc(CloudChainContract.NAME, "patient", args().put("hid", hid).put("patientKey", Bytes.of(patientKey.publicKey())).build());
        }

        private Transaction sc(String hid, String pid, Bytes cert) {
            return sc(hid, pid, cert, Bytes.of(patientKey.sign(CloudChainContract.scStatement(hid, pid))));
        }

        private Transaction sc(String hid, String pid, Bytes cert, Bytes patientSig) {
            return fx.endorse(fx.tx(pid, CloudChainContract.NAME, "sc", args().put("hid", hid).put("pid", pid).put("certJ", cert)
                    .put("patientSig", patientSig).build()), Fixture.KGC);
        }

        private Transaction access(String hid, String pid) {
            return access(hid, pid, Fixture.NOW);
        }

        private Transaction access(String hid, String pid, long tAccess) {
            return access(pid, hid, pid, tAccess, sigJ(pid, hid, pid, tAccess));
        }

        private Transaction access(String submitter, String hid, String pid, long tAccess, Bytes sigJ) {
            return fx.tx(submitter, CloudChainContract.NAME, "access-log", args().put("hid", hid).put("pid", pid).put("tAccess", tAccess)
                    .put("sigJ", sigJ).build());
        }

        /** Sig_j: the protocol's LogTransaction statement signed with the MC's member key. */
        private Bytes sigJ(String signer, String hid, String pid, long tAccess) {
            return Bytes.of(fx.key(signer).sign(org.medledger.protocol.cloudchain.LogTransaction.signedStatement(
                    org.bouncycastle.util.encoders.Hex.decode(hid), pid, tAccess)));
        }

        @Test
        void scThenAccessLogHappyPath() {
            ledger.submitAndWait(patient(HID_1));
            ledger.submitAndWait(sc(HID_1, "mc-1", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()));
            ledger.submitAndWait(access(HID_1, "mc-1"));
            assertDoesNotThrow(() -> ledger.query(CloudChainContract.NAME, "scchk", args().put("hid", HID_1).put("pid", "mc-1").build()));
        }

        @Test
        void scWithAnotherCertificateOrForAnotherCenterIsRefused() {
            ledger.submitAndWait(patient(HID_1));
            refused(LedgerReason.NOT_AUTHORIZED, sc(HID_1, "mc-1", fx.certificate("mc-2", Role.MEDICAL_CENTER).encode()));
            refused(LedgerReason.NOT_AUTHORIZED, fx.endorse(fx.tx("mc-2", CloudChainContract.NAME, "sc", args().put("hid", HID_1)
                    .put("pid", "mc-1").put("certJ", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()).build()), Fixture.KGC));
            refused(LedgerReason.MISSING_ENDORSEMENT, fx.tx("mc-1", CloudChainContract.NAME, "sc", args().put("hid", HID_1)
                    .put("pid", "mc-1").put("certJ", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()).build()));
        }

        @Test
        void scNeedsThePatientsOwnSignatureNotOnlyTheAdministratorsEndorsement() {
            ledger.submitAndWait(patient(HID_1));
            Bytes cert = fx.certificate("mc-1", Role.MEDICAL_CENTER).encode();
            refused(LedgerReason.BAD_SIGNATURE, sc(HID_1, "mc-1", cert, Bytes.of(new byte[64])));
            // A signature the patient gave to another center does not create this relation.
            refused(LedgerReason.BAD_SIGNATURE, sc(HID_1, "mc-1", cert, Bytes.of(patientKey.sign(CloudChainContract.scStatement(HID_1, "mc-2")))));
            refused(LedgerReason.BAD_SIGNATURE, sc(HID_1, "mc-1", cert, Bytes.of(fx.key("mc-1").sign(CloudChainContract.scStatement(HID_1, "mc-1")))));
            ledger.submitAndWait(sc(HID_1, "mc-1", cert));
        }

        @Test
        void everyAccessIsKeptWithItsSignature() {
            ledger.submitAndWait(patient(HID_1));
            ledger.submitAndWait(sc(HID_1, "mc-1", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()));
            ledger.submitAndWait(access(HID_1, "mc-1", Fixture.NOW - 5));
            ledger.submitAndWait(access(HID_1, "mc-1", Fixture.NOW));
            assertEquals("2", ledger.state("cc-access-count", StateKey.compose(HID_1, "mc-1")).orElseThrow().value().utf8());
            Arguments first = Arguments.decode(ledger.state("cc-access", StateKey.compose(HID_1, "mc-1", "0")).orElseThrow().value().toArray());
            assertEquals(Fixture.NOW - 5, first.number("tAccess"));
            assertEquals(sigJ("mc-1", HID_1, "mc-1", Fixture.NOW - 5), first.bytes("sigJ"));
        }

        @Test
        void theCloudServerCommitsOnlyAnAccessLogTheCenterSigned() {
            fx.register(ledger, "cs-1", Role.CLOUD);
            fx.register(ledger, "pat-9", Role.PATIENT);
            ledger.submitAndWait(patient(HID_1));
            ledger.submitAndWait(sc(HID_1, "mc-1", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()));
            // Sig_j by another key, or for another time, is refused; so is a log the submitting center did not sign.
            refused(LedgerReason.BAD_SIGNATURE, access("cs-1", HID_1, "mc-1", Fixture.NOW, sigJ("mc-2", HID_1, "mc-1", Fixture.NOW)));
            refused(LedgerReason.BAD_SIGNATURE, access("cs-1", HID_1, "mc-1", Fixture.NOW, sigJ("mc-1", HID_1, "mc-1", Fixture.NOW - 1)));
            refused(LedgerReason.BAD_SIGNATURE, access("mc-1", HID_1, "mc-1", Fixture.NOW, sigJ("cs-1", HID_1, "mc-1", Fixture.NOW)));
            // Only the center itself or a cloud server submits it.
            refused(LedgerReason.WRONG_ROLE, access("pat-9", HID_1, "mc-1", Fixture.NOW, sigJ("mc-1", HID_1, "mc-1", Fixture.NOW)));
            refused(LedgerReason.NOT_AUTHORIZED, access("mc-2", HID_1, "mc-1", Fixture.NOW, sigJ("mc-1", HID_1, "mc-1", Fixture.NOW)));
            ledger.submitAndWait(access("cs-1", HID_1, "mc-1", Fixture.NOW, sigJ("mc-1", HID_1, "mc-1", Fixture.NOW)));
            assertEquals("1", ledger.state("cc-access-count", StateKey.compose(HID_1, "mc-1")).orElseThrow().value().utf8());
        }

        @Test
        void aRevokedCenterGetsNoAccessLoggedEvenThroughTheCloudServer() {
            fx.register(ledger, "cs-1", Role.CLOUD);
            ledger.submitAndWait(patient(HID_1));
            ledger.submitAndWait(sc(HID_1, "mc-1", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()));
            ledger.submitAndWait(access("cs-1", HID_1, "mc-1", Fixture.NOW - 1, sigJ("mc-1", HID_1, "mc-1", Fixture.NOW - 1)));
            ledger.submitAndWait(kgc(org.medledger.ledger.contract.seeds.MemberContract.NAME, "revoke", args().put("memberId", "mc-1").build()));
            refused(LedgerReason.NOT_AUTHORIZED, access("cs-1", HID_1, "mc-1", Fixture.NOW, sigJ("mc-1", HID_1, "mc-1", Fixture.NOW)));
            assertEquals("1", ledger.state("cc-access-count", StateKey.compose(HID_1, "mc-1")).orElseThrow().value().utf8());
        }

        @Test
        void accessWithoutScAndDuplicatesAreRefused() {
            ledger.submitAndWait(patient(HID_1));
            refused(LedgerReason.NOT_AUTHORIZED, access(HID_1, "mc-1"));
            refused(LedgerReason.ALREADY_EXISTS, patient(HID_1));
            refused(LedgerReason.NOT_FOUND, sc(HID_UNKNOWN, "mc-1", fx.certificate("mc-1", Role.MEDICAL_CENTER).encode()));
            queryRefused(LedgerReason.NOT_FOUND, CloudChainContract.NAME, "scchk", args().put("hid", HID_1).put("pid", "mc-2").build());
        }
    }

    /** Seed 003. */
    @Nested
    class AbeChain {
        @BeforeEach
        void members() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "hosp-a", Role.HOSPITAL);
            fx.register(ledger, "hosp-b", Role.HOSPITAL);
        }

        private Transaction letter() {
            return fx.tx("pat-1", AbeChainContract.NAME, "authorization-letter", args().put("letterId", "L1").put("patientId", "pat-1")
                    .put("policy", "insurer AND claims").put("descriptor", "blood test 2026").build());
        }

        private Transaction descriptor(String policy, String endorser) {
            return fx.endorse(fx.tx("hosp-a", AbeChainContract.NAME, "record-descriptor", args().put("descriptorId", "D1").put("letterId", "L1")
                    .put("hospitalId", "hosp-a").put("policy", policy).put("ciphertextHash", Bytes.of(new byte[32]))
                    .put("description", "blood test").build()), endorser);
        }

        private Transaction address(String endorser) {
            return fx.endorse(fx.tx("hosp-a", AbeChainContract.NAME, "cloud-address", args().put("descriptorId", "D1")
                    .put("address", "medcloud://a/D1").build()), endorser);
        }

        @Test
        void letterDescriptorAddressHappyPath() {
            ledger.submitAndWait(letter());
            ledger.submitAndWait(descriptor("insurer AND claims", "hosp-a"));
            ledger.submitAndWait(address("hosp-a"));
            assertDoesNotThrow(() -> ledger.query(AbeChainContract.NAME, "descriptor-check", args().put("descriptorId", "D1").build()));
            assertEquals("medcloud://a/D1", ledger.state("abe-address", "D1").orElseThrow().value().utf8());
        }

        @Test
        void refusals() {
            refused(LedgerReason.NOT_FOUND, descriptor("insurer AND claims", "hosp-a"));
            refused(LedgerReason.WRONG_ROLE, fx.tx("hosp-a", AbeChainContract.NAME, "authorization-letter", args().put("letterId", "L1")
                    .put("patientId", "pat-1").put("policy", "p").put("descriptor", "d").build()));
            ledger.submitAndWait(letter());
            refused(LedgerReason.ALREADY_EXISTS, fx.tx("pat-1", AbeChainContract.NAME, "authorization-letter", args().put("letterId", "L1")
                    .put("patientId", "pat-1").put("policy", "x").put("descriptor", "y").build()));
            refused(LedgerReason.NOT_AUTHORIZED, descriptor("anyone", "hosp-a"));
            refused(LedgerReason.MISSING_ENDORSEMENT, descriptor("insurer AND claims", "hosp-b"));
            ledger.submitAndWait(descriptor("insurer AND claims", "hosp-a"));
            refused(LedgerReason.MISSING_ENDORSEMENT, address("hosp-b"));
            queryRefused(LedgerReason.NOT_FOUND, AbeChainContract.NAME, "descriptor-check", args().put("descriptorId", "D2").build());
        }
    }

    /** Seed 004. */
    @Nested
    class GroupAgg {
        @BeforeEach
        void members() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "doc-1", Role.DOCTOR);
            fx.register(ledger, "hc-1", Role.HOSPITAL);
        }

        private Transaction upload(String who, String kind, String id) {
            return fx.tx(who, GroupAggContract.NAME, "upload", args().put("kind", kind).put("recordId", id).put("receiver", "G-1")
                    .put("recordTime", Fixture.NOW).put("brief", "brief").put("sensitive", Bytes.of(new byte[] {9})).put("groupId", "G-1").build());
        }

        @Test
        void ehrEmrPhrAphrUploadsAndGroupIndex() {
            ledger.submitAndWait(upload("hc-1", "EHR", "ehr-1"));
            ledger.submitAndWait(upload("doc-1", "EMR", "emr-1"));
            ledger.submitAndWait(upload("pat-1", "PHR", "phr-1"));
            ledger.submitAndWait(upload("pat-1", "APHR", "aphr-1"));
            assertEquals("aphr-1", ledger.state("ga-group-latest", StateKey.compose("G-1", "APHR")).orElseThrow().value().utf8());
            assertEquals("2", ledger.state("ga-group-count", "G-1").orElseThrow().value().utf8());
            assertDoesNotThrow(() -> ledger.query(GroupAggContract.NAME, "group-latest", args().put("groupId", "G-1").put("kind", "PHR").build()));
        }

        @Test
        void wrongProducerDuplicateAndMissingGroupAreRefused() {
            refused(LedgerReason.WRONG_ROLE, upload("pat-1", "EMR", "emr-x"));
            refused(LedgerReason.WRONG_ROLE, upload("doc-1", "EHR", "ehr-x"));
            refused(LedgerReason.MALFORMED, upload("pat-1", "XYZ", "x"));
            ledger.submitAndWait(upload("doc-1", "EMR", "emr-1"));
            refused(LedgerReason.ALREADY_EXISTS, upload("doc-1", "EMR", "emr-1"));
            queryRefused(LedgerReason.NOT_FOUND, GroupAggContract.NAME, "group-latest", args().put("groupId", "G-2").put("kind", "PHR").build());
        }

        @Test
        void onlyTheGroupsMembersWriteItsIndex() {
            fx.register(ledger, "pat-2", Role.PATIENT);
            ledger.submitAndWait(upload("pat-1", "PHR", "phr-1"));
            refused(LedgerReason.NOT_AUTHORIZED, upload("pat-2", "APHR", "aphr-forged"));
            refused(LedgerReason.NOT_AUTHORIZED, fx.tx("pat-2", GroupAggContract.NAME, "group-join", args().put("groupId", "G-1").put("memberId", "pat-2").build()));
            ledger.submitAndWait(fx.tx("pat-1", GroupAggContract.NAME, "group-join", args().put("groupId", "G-1").put("memberId", "pat-2").build()));
            ledger.submitAndWait(upload("pat-2", "PHR", "phr-2"));
            ledger.submitAndWait(fx.tx("pat-2", GroupAggContract.NAME, "group-leave", args().put("groupId", "G-1").put("memberId", "pat-2").build()));
            refused(LedgerReason.NOT_AUTHORIZED, upload("pat-2", "PHR", "phr-3"));
            refused(LedgerReason.NOT_AUTHORIZED, fx.tx("pat-2", GroupAggContract.NAME, "group-leave", args().put("groupId", "G-1").put("memberId", "pat-1").build()));
            assertEquals("phr-2", ledger.state("ga-group-latest", StateKey.compose("G-1", "PHR")).orElseThrow().value().utf8());
        }

        @Test
        void difficultyTargetIsMetWhenConfigured() {
            ledger.close();
            InMemoryLedgerStore s = new InMemoryLedgerStore();
            store = s;
            ledger = Ledger.open(s, fx.config().withDifficulty(8));
            fx.register(ledger, "pat-1", Role.PATIENT);
            var r = ledger.submitAndWait(upload("pat-1", "PHR", "phr-1"));
            assertTrue(r.block().hash().leadingZeroBits() >= 8);
            assertEquals(8, r.block().difficultyBits());
        }
    }

    @Nested
    class Consent {
        @BeforeEach
        void members() {
            fx.register(ledger, "pat-1", Role.PATIENT);
            fx.register(ledger, "doc-1", Role.DOCTOR);
        }

        private Arguments grant(String grantee) {
            return args().put("patientId", "pat-1").put("granteeId", grantee).put("scope", "cardiology").put("expiry", Fixture.NOW + 1000).build();
        }

        private Arguments check(long at) {
            return args().put("patientId", "pat-1").put("granteeId", "doc-1").put("scope", "cardiology").put("at", at).build();
        }

        @Test
        void grantCheckRevoke() {
            ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "grant", grant("doc-1")));
            assertDoesNotThrow(() -> ledger.query(ConsentContract.NAME, "check", check(Fixture.NOW)));
            queryRefused(LedgerReason.NOT_AUTHORIZED, ConsentContract.NAME, "check", check(Fixture.NOW + 2000));
            ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "revoke", args().put("patientId", "pat-1").put("granteeId", "doc-1")
                    .put("scope", "cardiology").build()));
            queryRefused(LedgerReason.NOT_AUTHORIZED, ConsentContract.NAME, "check", check(Fixture.NOW));
        }

        @Test
        void onlyThePatientGrantsAndOnlyToMembers() {
            refused(LedgerReason.WRONG_ROLE, fx.tx("doc-1", ConsentContract.NAME, "grant", grant("doc-1")));
            refused(LedgerReason.NOT_FOUND, fx.tx("pat-1", ConsentContract.NAME, "grant", grant("doc-unknown")));
            refused(LedgerReason.NOT_FOUND, fx.tx("pat-1", ConsentContract.NAME, "revoke", args().put("patientId", "pat-1")
                    .put("granteeId", "doc-1").put("scope", "cardiology").build()));
            queryRefused(LedgerReason.NOT_AUTHORIZED, ConsentContract.NAME, "check", check(Fixture.NOW));
        }

        @Test
        void idsContainingTheSeparatorDoNotShareAConsent() {
            // With keys joined by '/', (pat-1, doc-1, "x/cardiology") and (pat-1, "doc-1/x", cardiology) were one key.
            fx.register(ledger, "doc-1/x", Role.DOCTOR);
            ledger.submitAndWait(fx.tx("pat-1", ConsentContract.NAME, "grant", args().put("patientId", "pat-1").put("granteeId", "doc-1")
                    .put("scope", "x/cardiology").put("expiry", Fixture.NOW + 1000).build()));
            queryRefused(LedgerReason.NOT_AUTHORIZED, ConsentContract.NAME, "check", args().put("patientId", "pat-1").put("granteeId", "doc-1/x")
                    .put("scope", "cardiology").put("at", Fixture.NOW).build());
        }
    }
}
