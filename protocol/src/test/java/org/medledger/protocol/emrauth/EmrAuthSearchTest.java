package org.medledger.protocol.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.bouncycastle.util.Arrays;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

class EmrAuthSearchTest {

    private final EmrAuthWorld w = new EmrAuthWorld();
    private final PatientDevice patient = w.newPatient("P-1");
    private final Doctor doctor = w.newDoctor("D-1");
    private final byte[] emr = "EMR v1: allergy penicillin".getBytes(StandardCharsets.UTF_8);
    private final ConsentPolicy consentForD1 = (p, d, de) -> p.equals("P-1") && d.equals("D-1") && de.equals(EmrAuthWorld.DEPT);

    EmrAuthSearchTest() throws ProtocolException {
        w.storeEmr("P-1", "D-0", emr);
    }

    private static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    @Test
    void honestSearchAgreesOnSek2AndDeliversTheEmr() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        EmrSearchOutcome outcome = w.pc.handleEmrSearch(search.request());
        assertEquals(EmrAuthWorld.HPC_ID, outcome.lookup().idHpc());
        HospitalAccessRequest access = search.acceptSearchResponse(outcome.response());
        assertEquals(EmrAuthWorld.HPC_ID, search.hospitalId());
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        assertEquals(hpcSide.sessionKey(), search.sessionKey());
        EmrRelease release = hpcSide.release(req, consentForD1, w.emrSource());
        assertEquals(new EmrAccessRecord(EmrAuthWorld.HPC_ID, "P-1", "D-1", release.accessRecord().accessedAt()), release.accessRecord());
        assertArrayEquals(emr, search.readEmr(release.delivery()));
    }

    @Test
    void hospitalSessionSurvivesSealedExportBetweenRequests() throws ProtocolException {
        org.medledger.protocol.common.SessionSealer sealer = new org.medledger.protocol.common.SessionSealer(
                org.medledger.protocol.common.SecretBytes.copyOf(new byte[32]), w.clock,
                org.medledger.protocol.testkit.Fixtures.seededRandom(90), java.time.Duration.ofMinutes(5),
                new org.medledger.protocol.common.InMemoryReplayGuard(w.clock));
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response()));
        byte[] sealed = hpcSide.export(sealer, "sess-1");
        assertFalse(contains(sealed, hpcSide.sessionKey().reveal()));
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        HospitalAccessSession resumed = w.hpc.resumeAccessSession(sealer, "sess-1", sealed);
        assertEquals(hpcSide.sessionKey(), resumed.sessionKey());
        assertArrayEquals(emr, search.readEmr(resumed.release(req, consentForD1, w.emrSource()).delivery()));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> w.hpc.resumeAccessSession(sealer, "sess-2", sealed)));
        // resumed once: a second resume (a second release of the same access) is refused
        assertEquals(Reason.REPLAY, reason(() -> w.hpc.resumeAccessSession(sealer, "sess-1", sealed)));
    }

    @Test
    void hospitalRefusesReleaseWithoutConsent() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        assertEquals(Reason.NOT_AUTHORIZED, reason(() -> hpcSide.release(req, (p, d, de) -> false, w.emrSource())));
    }

    @Test
    void unknownIndexEntryIsReported() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-unknown", EmrAuthWorld.DEPT);
        assertEquals(Reason.UNKNOWN_PARTY, reason(() -> w.pc.handleEmrSearch(search.request())));
    }

    @Test
    void indexStoresNoIdentityInClear() {
        for (byte[] v : w.pcStore.rawIndexValues()) {
            assertFalse(contains(v, "P-1".getBytes(StandardCharsets.UTF_8)));
            assertFalse(contains(v, EmrAuthWorld.HPC_ID.getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(1, w.pcStore.indexSize());
    }

    @Test
    void replayedSearchRequestIsRejected() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        w.pc.handleEmrSearch(search.request());
        assertEquals(Reason.REPLAY, reason(() -> w.pc.handleEmrSearch(search.request())));
    }

    @Test
    void tamperedSearchSignatureIsRejected() throws ProtocolException {
        Doctor other = w.newDoctor("D-2");
        DoctorEmrSearch search = other.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        EmrSearchRequest r = search.request();
        byte[] sig = r.sigD2();
        sig[0] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> w.pc.handleEmrSearch(new EmrSearchRequest(r.cD2(), sig, r.tD2()))));
    }

    @Test
    void revokedDoctorIsStoppedAtThePublicCloudAndAtTheHospital() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        w.revoked.add(PkixCertificateVerifier.parse(doctor.certificate()));
        // Revoked between step 4 and step 6: the release is refused.
        assertEquals(Reason.CERT_REVOKED, reason(() -> hpcSide.release(req, consentForD1, w.emrSource())));
        DoctorEmrSearch again = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        assertEquals(Reason.CERT_REVOKED, reason(() -> w.pc.handleEmrSearch(again.request())));
    }

    @Test
    void oldKeysWithTheReissuedCertificateAreStoppedAtThePublicCloud() throws ProtocolException {
        // D-1's device (signing key, S_D) is compromised: the authority revokes Cert_D and issues a new one,
        // which is public. Before D-1 re-registers, the old keys present the new certificate to the PC.
        w.revoked.add(PkixCertificateVerifier.parse(doctor.certificate()));
        byte[] reissued = EmrAuthWorld.der(w.pki.issue("D-1"));
        long t = w.clock.millis();
        byte[] inner = org.medledger.protocol.common.LabelledEncoder.of(DoctorEmrSearch.C_D2 + "/plain").utf8("P-1").int64(t)
                .utf8("D-1").bytes(reissued).utf8(EmrAuthWorld.DEPT).toByteArray();
        byte[] cD2 = org.medledger.protocol.common.Hpke.seal(w.entry(EmrAuthRoles.PUBLIC_CLOUD, EmrAuthWorld.PC_ID).kemKey(),
                DoctorEmrSearch.C_D2, null, inner, org.medledger.protocol.testkit.Fixtures.seededRandom(71));
        byte[] sigD2 = org.medledger.protocol.common.Ecdsa.sign(doctor.keys().signing(), DoctorEmrSearch.signedD2(w.curve,
                doctor.partialKey().secret(), t, "P-1", EmrAuthWorld.DEPT, "D-1", EmrAuthWorld.PC_ID));
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reason(() -> w.pc.handleEmrSearch(new EmrSearchRequest(cD2, sigD2, t))));
    }

    @Test
    void tamperedHospitalResponseIsRejected() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalAccessResponse resp = w.hpc.acceptAccessRequest(access).response();
        byte[] sig = resp.sigHpc1();
        sig[7] ^= 1;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> search.acceptAccessResponse(new HospitalAccessResponse(resp.cHpc1(), sig, resp.tHpc1()))));
        byte[] c = resp.cHpc1();
        c[c.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> search.acceptAccessResponse(new HospitalAccessResponse(c, resp.sigHpc1(), resp.tHpc1()))));
    }

    @Test
    void replayedAccessRequestIsRejected() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        w.hpc.acceptAccessRequest(access);
        w.clock.advanceMillis(1_000);
        assertEquals(Reason.REPLAY, reason(() -> w.hpc.acceptAccessRequest(access)));
    }

    @Test
    void staleEmrRequestIsRejected() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalAccessSession hpcSide = w.hpc.acceptAccessRequest(access);
        EmrRequest req = search.acceptAccessResponse(hpcSide.response());
        w.clock.advanceMillis(31_000);
        assertEquals(Reason.STALE_TIMESTAMP, reason(() -> hpcSide.release(req, consentForD1, w.emrSource())));
    }

    @Test
    void hospitalImpersonatorWithoutShpcFailsKeyConfirmation() throws ProtocolException {
        // A second HPC registered under another id answers for HPC-1 with its own partial key and HPC-1's signing keys.
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(w.pc.handleEmrSearch(search.request()).response());
        HospitalPrivateCloud other = w.newHpc("HPC-2");
        HospitalPrivateCloud impostor = new HospitalPrivateCloud(w.env(), w.trust, w.hpc.keys(), EmrAuthWorld.HPC_ID);
        // The impostor can only present a partial key that was issued to HPC-2.
        java.lang.reflect.Field f = fieldOf("partialKey");
        setField(f, impostor, other.partialKey());
        HospitalAccessResponse resp = impostor.acceptAccessRequest(access).response();
        assertEquals(Reason.BAD_PARTIAL_KEY, reason(() -> search.acceptAccessResponse(resp)));
    }

    @Test
    void emrVersionFromTheDoctorIsStoredAndIndexed() throws ProtocolException {
        byte[] v2 = "EMR v2: diagnosis".getBytes(StandardCharsets.UTF_8);
        EmrVersionSubmission sub = doctor.submitEmrVersion(EmrAuthWorld.HPC_ID, "P-1", "neurology", v2);
        w.grant("P-1", "D-1", "neurology");
        AcceptedEmrVersion accepted = w.hpc.acceptEmrVersion(sub, EmrAuthWorld.PC_ID, w.consent());
        assertArrayEquals(v2, accepted.content());
        w.pc.applyIndexUpdate(accepted.indexUpdate(), w.consent());
        w.emrs.put(java.util.List.of("P-1", "neurology"), v2);
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", "neurology");
        assertEquals(EmrAuthWorld.HPC_ID, w.pc.handleEmrSearch(search.request()).lookup().idHpc());
        assertEquals(Reason.REPLAY, reason(() -> w.hpc.acceptEmrVersion(sub, EmrAuthWorld.PC_ID, w.consent())));
        assertEquals(Reason.REPLAY, reason(() -> w.pc.applyIndexUpdate(accepted.indexUpdate(), w.consent())));
    }

    @Test
    void publicCloudImpersonationIsRejected() throws ProtocolException {
        DoctorEmrSearch search = doctor.startEmrSearch(EmrAuthWorld.PC_ID, "P-1", EmrAuthWorld.DEPT);
        // A rogue server cannot open C_D2 (it is for the PC's KEM key) ...
        org.medledger.protocol.common.KemKeyPair rogueKem = org.medledger.protocol.common.KemKeyPair.generate(w.curve,
                org.medledger.protocol.testkit.Fixtures.seededRandom(70));
        assertEquals(Reason.DECRYPTION_FAILED, reason(() -> org.medledger.protocol.common.Hpke.open(rogueKem, DoctorEmrSearch.C_D2, null,
                search.request().cD2())));
        // ... and its own answer, pointing the doctor at a hospital of its choice, is not signed by the PC.
        long t = w.clock.millis();
        byte[] inner = org.medledger.protocol.common.LabelledEncoder.of(DoctorEmrSearch.C_C + "/plain").utf8("HPC-evil").utf8(EmrAuthWorld.DEPT)
                .int64(t).toByteArray();
        byte[] cC = org.medledger.protocol.common.Hpke.seal(doctor.keys().kemPublic(), DoctorEmrSearch.C_C, null, inner,
                org.medledger.protocol.testkit.Fixtures.seededRandom(71));
        org.medledger.protocol.common.SigningKey rogueSig = org.medledger.protocol.common.SigningKey.generate(w.curve,
                org.medledger.protocol.testkit.Fixtures.seededRandom(72));
        byte[] sig = org.medledger.protocol.common.Ecdsa.sign(rogueSig,
                DoctorEmrSearch.signedC(doctor.partialKey().secret(), EmrAuthWorld.DEPT, "HPC-evil", t, "D-1", "P-1", search.request().tD2()));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> search.acceptSearchResponse(new EmrSearchResponse(cC, sig, t))));
    }

    private static java.lang.reflect.Field fieldOf(String name) {
        try {
            java.lang.reflect.Field f = HospitalPrivateCloud.class.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setField(java.lang.reflect.Field f, Object target, Object value) {
        try {
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return Arrays.areEqual(hay, needle);
    }
}
