package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;

/**
 * Rotation of a hospital private cloud's record-wrapping key (issue 15) on the running server:
 * records stored before the rotation stay readable, records stored after it are wrapped under the
 * new key id, a batched re-wrap moves the old ones over, the old key is retired only once nothing
 * is wrapped under it, and every record still reads through the full EMR-AUTH search afterwards.
 * Refusals: another role cannot rotate, a key still in use or unknown cannot be retired, a bad
 * batch size is a 400 — none of them changes the keys.
 */
class RecordKeyRotationIT extends DeployedServer {

    static final EmrAuthClient API = EmrAuthParties.API;
    static final String BEFORE = "cardiology";
    static final String AFTER = "nephrology";

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    static byte[] read(EmrAuthParties.Medic d, String token, String patient, String dept) throws Exception {
        DoctorEmrSearch s = d.device().startEmrSearch("pc", patient, dept);
        HospitalAccessRequest access = s.acceptSearchResponse(API.search(token, s.request()));
        EmrAuthClient.OpenedAccess opened = API.openAccess(token, s.hospitalId(), access);
        EmrRequest req = s.acceptAccessResponse(opened.response());
        return s.readEmr(API.release(token, s.hospitalId(), opened.sessionId(), req).delivery());
    }

    static String path(String hpc) {
        return "/custody/hospitals/" + hpc + "/record-keys";
    }

    static JsonArray keys(String hpc, String token) {
        HttpResponse<String> r = Http.get(path(hpc), token);
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getJsonArray("keys");
    }

    static JsonObject key(JsonArray keys, String keyId) {
        return keys.stream().map(v -> v.asJsonObject()).filter(k -> k.getString("keyId").equals(keyId)).findFirst().orElseThrow();
    }

    @Test
    void recordsStayReadableThroughRotationRewrapAndRetirement() throws Exception {
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        String hpc = EmrAuthParties.hospital();
        String dToken = d.token();
        String admin = Tokens.forUser("hospital-admin");
        long until = Instant.now().plus(Duration.ofDays(1)).toEpochMilli();
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d.id(), BEFORE, until));
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d.id(), AFTER, until));

        byte[] first = EmrAuthParties.fhirBundle(p.id(), "stored before the rotation").getBytes(StandardCharsets.UTF_8);
        API.storeVersion(dToken, hpc, d.device().submitEmrVersion(hpc, p.id(), BEFORE, first));
        JsonArray initial = keys(hpc, admin);
        assertEquals(1, initial.size());
        assertEquals("current", key(initial, "w0").getString("state"));
        assertEquals(1, key(initial, "w0").getInt("records"));

        // refusals that change nothing
        KgcRegistrationIT.assertProblem(Http.postJson(path(hpc) + "/rotation", dToken, ""), 403, "FORBIDDEN_ROLE");
        KgcRegistrationIT.assertProblem(Http.postJson(path(hpc) + "/w9/retirement", admin, ""), 404, "WRAP_KEY_UNKNOWN");
        KgcRegistrationIT.assertProblem(Http.postJson("/custody/hospitals/no-such-hpc/record-keys/rotation", admin, ""), 404,
                "UNKNOWN_HOSPITAL");
        assertEquals(1, keys(hpc, admin).size());

        long sizeBefore = Http.json(Http.get("/ledger/tree-head", null)).getJsonNumber("treeSize").longValue();
        HttpResponse<String> rotated = Http.postJson(path(hpc) + "/rotation", admin, "");
        assertEquals(201, rotated.statusCode(), rotated.body());
        JsonObject rot = Http.json(rotated);
        assertEquals("w0", rot.getString("previousKeyId"));
        assertEquals("w1", rot.getString("keyId"));
        assertEquals(1, rot.getInt("toRewrap"));
        assertTrue(rot.getJsonNumber("logIndex").longValue() >= sizeBefore, "the rotation is a ledger entry");

        // no downtime: the record under the old key reads; a new one is wrapped under the new key
        assertArrayEquals(first, read(d, dToken, p.id(), BEFORE));
        byte[] second = EmrAuthParties.fhirBundle(p.id(), "stored after the rotation").getBytes(StandardCharsets.UTF_8);
        API.storeVersion(dToken, hpc, d.device().submitEmrVersion(hpc, p.id(), AFTER, second));
        JsonArray rotatedKeys = keys(hpc, admin);
        assertEquals("previous", key(rotatedKeys, "w0").getString("state"));
        assertEquals(1, key(rotatedKeys, "w0").getInt("records"));
        assertEquals("current", key(rotatedKeys, "w1").getString("state"));
        assertEquals(1, key(rotatedKeys, "w1").getInt("records"));

        // the old key is not retired while a record is wrapped under it
        KgcRegistrationIT.assertProblem(Http.postJson(path(hpc) + "/w0/retirement", admin, ""), 409, "WRAP_KEY_IN_USE");
        KgcRegistrationIT.assertProblem(Http.postJson(path(hpc) + "/w1/retirement", admin, ""), 409, "WRAP_KEY_NOT_PREVIOUS");
        KgcRegistrationIT.assertProblem(Http.postJson(path(hpc) + "/rewrap?batch=0", admin, ""), 400, "INVALID_BATCH");

        HttpResponse<String> rewrap = Http.postJson(path(hpc) + "/rewrap?batch=10", admin, "");
        assertEquals(200, rewrap.statusCode(), rewrap.body());
        assertEquals(1, Http.json(rewrap).getInt("rewrapped"));
        assertEquals(0, Http.json(rewrap).getInt("remaining"));
        assertEquals(0, Http.json(Http.postJson(path(hpc) + "/rewrap?batch=10", admin, "")).getInt("rewrapped"), "nothing left");

        HttpResponse<String> retired = Http.postJson(path(hpc) + "/w0/retirement", admin, "");
        assertEquals(204, retired.statusCode(), retired.body());
        JsonArray after = keys(hpc, admin);
        assertEquals("retired", key(after, "w0").getString("state"));
        assertEquals(2, key(after, "w1").getInt("records"));

        // every record still reads, now under the new key only
        assertArrayEquals(first, read(d, dToken, p.id(), BEFORE));
        assertArrayEquals(second, read(d, dToken, p.id(), AFTER));
        // an auditor may look, not act
        assertEquals(2, keys(hpc, Tokens.forUser("auditor")).size());
        KgcRegistrationIT.assertProblem(Http.postJson(path(hpc) + "/rewrap", Tokens.forUser("auditor"), ""), 403, "FORBIDDEN_ROLE");
    }

    static long rewrap(String hospital, String token, int batch, long expectRewrapped) {
        HttpResponse<String> r = Http.postJson(path(hospital) + "/rewrap?batch=" + batch, token, "");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(expectRewrapped, Http.json(r).getInt("rewrapped"), r.body());
        return Http.json(r).getJsonNumber("remaining").longValue();
    }

    /**
     * One hospital's records of EMR-AUTH (its private cloud), CLOUD-CHAIN (the EHRs its medical
     * center stored at the cloud server) and ABE-CHAIN (its records in the medical cloud) under one rotation: one ledger entry, both re-wrapped,
     * both readable before, during (one re-wrapped, one not) and after the re-wrap and after the
     * old key is retired. An administrator of another hospital can neither rotate, re-wrap,
     * retire nor list this hospital's keys, and nothing changes.
     */
    @Test
    void oneRotationCoversEverySchemeandBindsTheAdmin() throws Exception {
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        String hospital = EmrAuthParties.hospital();
        String dToken = d.token();
        String admin = Tokens.forUser("hospital-admin");
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d.id(), BEFORE,
                Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        byte[] emr = EmrAuthParties.fhirBundle(p.id(), "EMR-AUTH record").getBytes(StandardCharsets.UTF_8);
        API.storeVersion(dToken, hospital, d.device().submitEmrVersion(hospital, p.id(), BEFORE, emr));

        // the hospital's CLOUD-CHAIN medical center (same id) stores an EHR at the cloud server
        KeycloakAdmin.createUser(hospital, "medical-center");
        KeycloakAdmin.setPassword(hospital, hospital + "-demo");
        CloudChainParties.Center mc = new CloudChainParties.Center(hospital,
                CloudChainParties.API.registerCenter(Tokens.forUser("network-admin"), hospital));
        CloudChainParties.Patient cp = CloudChainParties.patient("card password 1");
        cp.card().contractWith(cp.token(), mc.pid(), CloudChainParties.pw("card password 1"));
        String ehr = EmrAuthParties.fhirBundle(cp.id(), "CLOUD-CHAIN EHR");
        CloudChainParties.API.storeEhr(mc.token(), mc.pid(), cp.hid(), ehr);
        assertEquals(ehr, CloudChainParties.API.requestEhr(mc.token(), mc.pid(), cp.hid()).record());

        // the hospital seals an ABE-CHAIN record for the medical cloud under a patient's letter
        var pp = AbeChainParties.pp();
        AbeChainParties.AbePatient ap = AbeChainParties.patient(pp);
        AbeChainParties.Consumer claims = AbeChainParties.consumer(pp, "insurer", "abe-claims");
        var letter = ap.authorize(EmrAuthParties.unique("claim"), hospital, "insurer AND claims");
        AbeChainParties.API.submitLetter(ap.token(), letter.toBytes(), ap.transaction(letter));
        byte[] claim = AbeChainParties.claimRecord(ap.id());
        String descriptor = AbeChainParties.API.storeRecord(admin, hospital, letter.id(), claim).descriptorId();
        assertArrayEquals(claim, abe(claims, descriptor, pp));
        assertEquals(3, key(keys(hospital, admin), "w0").getInt("records"), "one record of each scheme under w0");

        // an administrator of another hospital is refused everything, and nothing changes
        String other = EmrAuthParties.unique("other-admin");
        KeycloakAdmin.createUser(other, "hospital-admin");
        KeycloakAdmin.setPassword(other, other + "-demo");
        String otherToken = Tokens.forUser(other);
        KgcRegistrationIT.assertProblem(Http.postJson(path(hospital) + "/rotation", otherToken, ""), 403, "NOT_HOSPITAL_ADMIN");
        KgcRegistrationIT.assertProblem(Http.postJson(path(hospital) + "/rewrap?batch=10", otherToken, ""), 403, "NOT_HOSPITAL_ADMIN");
        KgcRegistrationIT.assertProblem(Http.postJson(path(hospital) + "/w0/retirement", otherToken, ""), 403, "NOT_HOSPITAL_ADMIN");
        KgcRegistrationIT.assertProblem(Http.get(path(hospital), otherToken), 403, "NOT_HOSPITAL_ADMIN");
        JsonArray untouched = keys(hospital, admin);
        assertEquals(1, untouched.size());
        assertEquals("current", key(untouched, "w0").getString("state"));

        long sizeBefore = Http.json(Http.get("/ledger/tree-head", null)).getJsonNumber("treeSize").longValue();
        HttpResponse<String> rotated = Http.postJson(path(hospital) + "/rotation", admin, "");
        assertEquals(201, rotated.statusCode(), rotated.body());
        assertEquals(3, Http.json(rotated).getInt("toRewrap"), "every scheme's records are to re-wrap");
        long sizeAfter = Http.json(Http.get("/ledger/tree-head", null)).getJsonNumber("treeSize").longValue();
        assertEquals(sizeBefore + 1, sizeAfter, "one rotation, one ledger entry");

        // during the re-wrap: one record moved to w1, the others still under w0; all read
        assertEquals(2, rewrap(hospital, admin, 1, 1));
        JsonArray during = keys(hospital, admin);
        assertEquals(2, key(during, "w0").getInt("records"));
        assertEquals(1, key(during, "w1").getInt("records"));
        assertArrayEquals(emr, read(d, dToken, p.id(), BEFORE));
        assertEquals(ehr, CloudChainParties.API.requestEhr(mc.token(), mc.pid(), cp.hid()).record());
        assertArrayEquals(claim, abe(claims, descriptor, pp));

        assertEquals(0, rewrap(hospital, admin, 10, 2));
        assertEquals(204, Http.postJson(path(hospital) + "/w0/retirement", admin, "").statusCode());
        assertEquals(3, key(keys(hospital, admin), "w1").getInt("records"));
        assertArrayEquals(emr, read(d, dToken, p.id(), BEFORE));
        assertEquals(ehr, CloudChainParties.API.requestEhr(mc.token(), mc.pid(), cp.hid()).record());
        assertArrayEquals(claim, abe(claims, descriptor, pp));
    }

    static byte[] abe(AbeChainParties.Consumer c, String descriptor, org.medledger.protocol.abe.PublicParameters pp) throws Exception {
        return org.medledger.client.abe.AbeChainClient.open(c.key(), pp, AbeChainParties.API.release(c.token(), descriptor, pp).record());
    }

    /** One INTER-HOSPITAL referral read of hospital {@code a}'s records {@code dxs} by hospital {@code b} (one authorization each). */
    static java.util.List<byte[]> referred(InterHospitalServedIT.Pat p, String a, String b, java.util.List<String> dxs, String doctorToken)
            throws Exception {
        var auth = p.device().authorize(b, a, dxs, Duration.ofHours(1));
        org.medledger.protocol.interhospital.PatientVisit[] v = new org.medledger.protocol.interhospital.PatientVisit[1];
        String sb = InterHospitalServedIT.visit(p, b, v, java.util.Optional.of(auth))[0];
        var got = InterHospitalServedIT.IH.fetchReferred(doctorToken, b, sb);
        assertEquals(dxs.size(), got.size());
        return got.stream().map(r -> r.fhirJson()).toList();
    }

    static byte[] diagnose(InterHospitalServedIT.Pat p, String a, String dx, String doctorToken, String note) throws Exception {
        org.medledger.protocol.interhospital.PatientVisit[] v = new org.medledger.protocol.interhospital.PatientVisit[1];
        String sa = InterHospitalServedIT.visit(p, a, v, java.util.Optional.empty())[0];
        byte[] fhir = EmrAuthParties.fhirBundle(p.id(), note).getBytes(StandardCharsets.UTF_8);
        InterHospitalServedIT.IH.issueRecord(doctorToken, a, sa, dx, fhir);
        return fhir;
    }

    /**
     * An INTER-HOSPITAL hospital's records through rotation, re-wrap and retirement: a record
     * stored before the rotation is read by a referral while still under w0, one is stored under
     * w1, and after the re-wrap and retirement of w0 both are read by a referral to a third hospital.
     */
    @Test
    void interHospitalRecordsThroughRotation() throws Exception {
        var ih = InterHospitalServedIT.IH;
        String admin = Tokens.forUser("hospital-admin");
        String a = EmrAuthParties.unique("rot-ih-a");
        String b = EmrAuthParties.unique("rot-ih-b");
        String c = EmrAuthParties.unique("rot-ih-c");
        for (String h : java.util.List.of(a, b, c)) {
            ih.registerHospital(admin, h);
        }
        InterHospitalServedIT.Pat p = InterHospitalServedIT.patient();
        String d = EmrAuthParties.doctor().token();
        InterHospitalServedIT.consentToTreatment(p, a);
        InterHospitalServedIT.consentToTreatment(p, b);
        InterHospitalServedIT.consentToTreatment(p, c);
        String dx1 = EmrAuthParties.unique("DX");
        byte[] first = diagnose(p, a, dx1, d, "INTER-HOSPITAL record before the rotation");
        assertEquals(1, key(keys(a, admin), "w0").getInt("records"));

        HttpResponse<String> rotated = Http.postJson(path(a) + "/rotation", admin, "");
        assertEquals(201, rotated.statusCode(), rotated.body());
        assertEquals(1, Http.json(rotated).getInt("toRewrap"));
        assertArrayEquals(first, referred(p, a, b, java.util.List.of(dx1), d).get(0), "readable under w0 before the re-wrap");
        String dx2 = EmrAuthParties.unique("DX");
        byte[] second = diagnose(p, a, dx2, d, "INTER-HOSPITAL record after the rotation");
        assertEquals(1, key(keys(a, admin), "w1").getInt("records"), "stored under the new key");

        assertEquals(0, rewrap(a, admin, 10, 1));
        assertEquals(204, Http.postJson(path(a) + "/w0/retirement", admin, "").statusCode());
        assertEquals(2, key(keys(a, admin), "w1").getInt("records"));
        java.util.List<byte[]> after = referred(p, a, c, java.util.List.of(dx1, dx2), d);
        assertTrue(after.stream().anyMatch(r -> java.util.Arrays.equals(r, first)), "the re-wrapped record reads under w1");
        assertTrue(after.stream().anyMatch(r -> java.util.Arrays.equals(r, second)), "the record stored under w1 reads");
    }
}
