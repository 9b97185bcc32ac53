package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;

/**
 * The served EMR-AUTH under attack and failure: captured messages replayed (the replay guard is
 * in the database), an access whose ledger append fails releases nothing, and bad input on every
 * new endpoint is refused with a 4xx problem and changes nothing.
 */
class EmrAuthHardeningIT extends DeployedServer {

    static final String DEPT = "oncology";
    static final EmrAuthClient API = EmrAuthParties.API;

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    /** A patient with a stored record at a fresh hospital and consent for {@code reader}. */
    record Scene(EmrAuthParties.Patient p, EmrAuthParties.Medic writer, String hpc, byte[] record) {
    }

    static Scene scene(EmrAuthParties.Medic reader) throws Exception {
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        String hpc = EmrAuthParties.hospital();
        byte[] record = EmrAuthParties.fhirBundle(p.id(), "follow-up").getBytes(StandardCharsets.UTF_8);
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d.id(), DEPT,
                Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        API.storeVersion(d.token(), hpc, d.device().submitEmrVersion(hpc, p.id(), DEPT, record));
        if (reader != null) {
            API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), reader.id(),
                    DEPT, Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        }
        return new Scene(p, d, hpc, record);
    }

    static long treeSize() {
        HttpResponse<String> r = Http.get("/ledger/tree-head", null);
        return r.statusCode() == 200 ? Http.json(r).getJsonNumber("treeSize").longValue() : 0;
    }

    @Test
    void capturedMessagesAreRefusedByTheDatabaseReplayGuard() throws Exception {
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor();
        Scene s = scene(d2);
        String token = d2.token();
        DoctorEmrSearch search = d2.device().startEmrSearch("pc", s.p().id(), DEPT);
        EmrSearchRequest captured = search.request();
        HospitalAccessRequest access = search.acceptSearchResponse(API.search(token, captured));
        API.openAccess(token, s.hpc(), access);
        // Replayed captured messages: refused at the public cloud and at the hospital (rows in replay_record).
        ApiProblem atPc = assertThrows(ApiProblem.class, () -> API.search(token, captured));
        assertEquals(409, atPc.status());
        assertEquals("REPLAY", atPc.code());
        ApiProblem atHpc = assertThrows(ApiProblem.class, () -> API.openAccess(token, s.hpc(), access));
        assertEquals("REPLAY", atHpc.code());
    }

    @Test
    void aCapturedMessageIsConsumedEvenByARefusedRequestAndAReleaseIsServedOnce() throws Exception {
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor();
        EmrAuthParties.Medic other = EmrAuthParties.doctor();
        Scene s = scene(d2);
        String token = d2.token();
        DoctorEmrSearch search = d2.device().startEmrSearch("pc", s.p().id(), DEPT);
        EmrSearchRequest captured = search.request();
        // Sent first by another doctor: refused (it names d2), and its replay row stays all the same.
        ApiProblem stolen = assertThrows(ApiProblem.class, () -> API.search(other.token(), captured));
        assertEquals("NOT_OWN_IDENTITY", stolen.code());
        ApiProblem late = assertThrows(ApiProblem.class, () -> API.search(token, captured));
        assertEquals("REPLAY", late.code());
        // A fresh search releases the record once; the sealed session does not open a second time.
        DoctorEmrSearch first = d2.device().startEmrSearch("pc", s.p().id(), DEPT);
        HospitalAccessRequest stolen4 = first.acceptSearchResponse(API.search(token, first.request()));
        // Step 4's request sent first by another doctor: refused, and its replay row is committed all the same.
        ApiProblem stolenAccess = assertThrows(ApiProblem.class, () -> API.openAccess(other.token(), s.hpc(), stolen4));
        assertEquals("NOT_OWN_IDENTITY", stolenAccess.code());
        assertEquals("REPLAY", assertThrows(ApiProblem.class, () -> API.openAccess(token, s.hpc(), stolen4)).code());
        DoctorEmrSearch again = d2.device().startEmrSearch("pc", s.p().id(), DEPT);
        HospitalAccessRequest access = again.acceptSearchResponse(API.search(token, again.request()));
        EmrAuthClient.OpenedAccess opened = API.openAccess(token, s.hpc(), access);
        EmrRequest req = again.acceptAccessResponse(opened.response());
        assertArrayEquals(s.record(), again.readEmr(API.release(token, s.hpc(), opened.sessionId(), req).delivery()));
        long after = treeSize();
        ApiProblem twice = assertThrows(ApiProblem.class, () -> API.release(token, s.hpc(), opened.sessionId(), req));
        assertEquals("SESSION_UNKNOWN", twice.code());
        assertEquals(after, treeSize(), "a second release of the same session writes no access entry");
    }

    @Test
    void anAccessWhoseLedgerAppendFailsReleasesNothing() throws Exception {
        EmrAuthParties.Medic d2 = EmrAuthParties.doctor();
        Scene s = scene(d2);
        String token = d2.token();
        DoctorEmrSearch search = d2.device().startEmrSearch("pc", s.p().id(), DEPT);
        HospitalAccessRequest access = search.acceptSearchResponse(API.search(token, search.request()));
        EmrAuthClient.OpenedAccess opened = API.openAccess(token, s.hpc(), access);
        EmrRequest req = search.acceptAccessResponse(opened.response());
        // The consortium removes the hospital from the ledger's members: its access entries are now refused.
        HttpResponse<String> revoked = Http.postJson("/emr-auth/hospitals/" + s.hpc() + "/revocation",
                Tokens.forUser("kgc-operator"), "");
        assertEquals(200, revoked.statusCode(), revoked.body());
        long before = treeSize();

        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.api() + "/emr-auth/hospitals/" + s.hpc()
                        + "/access-sessions/" + opened.sessionId() + "/release"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.createObjectBuilder()
                        .add("message", Base64.getEncoder().encodeToString(req.encode())).build().toString())));
        KgcRegistrationIT.assertProblem(r, 503, "ACCESS_NOT_RECORDED");
        assertFalse(r.body().contains("message"), "no C_HPC2 in a refused release: " + r.body());
        assertEquals(before, treeSize(), "nothing was appended");
        AccessAudit.Verified audit = AccessAudit.verify(API.accesses(s.p().token(), 0), s.p().id(), null, 0, null);
        assertEquals(List.of(), audit.accesses(), "no access entry, and no release");
    }

    @Test
    void aSixtyFourKibFhirRecordFitsTheApisBodyLimit() throws Exception {
        // the benchmark's record: sealed for the hospital, base64 in its JSON envelope, under the one configured limit
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        String hpc = EmrAuthParties.hospital();
        byte[] record = EmrSearchLoadDriver.bundle(p.id(), 64 * 1024).getBytes(StandardCharsets.UTF_8);
        assertTrue(record.length >= 64 * 1024 - 512, "about 64 KiB: " + record.length);
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), d.id(), DEPT,
                Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
        JsonObject stored = API.storeVersion(d.token(), hpc, d.device().submitEmrVersion(hpc, p.id(), DEPT, record));
        assertEquals(p.id(), stored.getString("patientId"));
        assertTrue(ApiEdgesIT.configuredLimit() < 2L * record.length, "the limit is sized for the record, not far above it");
    }

    /** One bad request and the refusal it must get. */
    record Bad(String name, String method, String path, String token, String body, int status, String code) {
    }

    @Test
    void badInputOnEveryNewEndpointIsRefusedAndChangesNothing() throws Exception {
        EmrAuthParties.Medic d = EmrAuthParties.doctor();
        Scene s = scene(null);
        String doctor = d.token();
        String patient = s.p().token();
        String admin = Tokens.forUser("hospital-admin");
        String operator = Tokens.forUser("kgc-operator");
        String auditor = Tokens.forUser("auditor");
        Base64.Encoder b64 = Base64.getEncoder();
        String garbage = Json.createObjectBuilder().add("message", b64.encodeToString("garbage".getBytes())).build().toString();
        String validSearch = Json.createObjectBuilder().add("message", b64.encodeToString(
                d.device().startEmrSearch("pc", "nobody-" + EmrAuthParties.unique("x"), DEPT).request().encode())).build().toString();
        String strayRelease = Json.createObjectBuilder().add("message", b64.encodeToString(
                new EmrRequest(new byte[48], System.currentTimeMillis()).encode())).build().toString();
        byte[] offCurve = new byte[33];
        offCurve[0] = 0x02;
        java.util.Arrays.fill(offCurve, 1, 33, (byte) 0xff);
        String otherPatientsConsent = b64.encodeToString(ConsentTransactions.grant(P256SignatureScheme.generate(EmrAuthParties.RANDOM),
                "someone-else", d.id(), DEPT, System.currentTimeMillis() + 60_000));
        String writer = s.writer().token();
        String notFhir = Json.createObjectBuilder().add("message", b64.encodeToString(s.writer().device()
                .submitEmrVersion(s.hpc(), s.p().id(), DEPT, "{\"resourceType\":\"Patient\",\"birthDate\":\"soon\"}"
                        .getBytes(StandardCharsets.UTF_8)).encode())).build().toString();
        String big = "{\"message\":\"" + "A".repeat(300 * 1024) + "\"}";
        String self = s.p().id();
        String hpc = s.hpc();

        List<Bad> table = List.of(
                new Bad("hospital: malformed JSON", "POST", "/emr-auth/hospitals", admin, "{", 400, "MALFORMED_JSON"),
                new Bad("hospital: unknown field", "POST", "/emr-auth/hospitals", admin, "{\"hospitalId\":\"h\",\"x\":1}", 400, "UNKNOWN_FIELD"),
                new Bad("hospital: bad id", "POST", "/emr-auth/hospitals", admin, "{\"hospitalId\":\"../etc\"}", 400, "INVALID_HOSPITAL_ID"),
                new Bad("hospital: wrong role", "POST", "/emr-auth/hospitals", doctor, "{\"hospitalId\":\"h-x\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("hospital: twice", "POST", "/emr-auth/hospitals", admin, "{\"hospitalId\":\"" + hpc + "\"}", 409, "ALREADY_REGISTERED"),
                new Bad("hospital revocation: wrong role", "POST", "/emr-auth/hospitals/" + hpc + "/revocation", admin, "", 403, "FORBIDDEN_ROLE"),
                new Bad("hospital revocation: unknown", "POST", "/emr-auth/hospitals/nowhere-1/revocation", operator, "", 404, "UNKNOWN_HOSPITAL"),
                new Bad("directory: bad role", "GET", "/emr-auth/directory/janitor/x", patient, null, 400, "INVALID_ROLE"),
                new Bad("directory: unknown party", "GET", "/emr-auth/directory/patient/nobody-at-all", patient, null, 404, "UNKNOWN_PARTY"),
                new Bad("certify: another patient's id", "POST", "/emr-auth/directory/patient/someone-else", patient,
                        "{\"signingKey\":\"AA==\",\"kemKey\":\"AA==\",\"ledgerKey\":\"AA==\"}", 403, "NOT_OWN_IDENTITY"),
                new Bad("certify: off-curve point", "POST", "/emr-auth/directory/patient/" + self, patient,
                        "{\"signingKey\":\"" + b64.encodeToString(offCurve) + "\",\"kemKey\":\"" + b64.encodeToString(offCurve)
                                + "\",\"ledgerKey\":\"" + b64.encodeToString(offCurve) + "\"}", 400, "INVALID_KEY"),
                new Bad("certify: bad base64", "POST", "/emr-auth/directory/patient/" + self, patient,
                        "{\"signingKey\":\"%%%\",\"kemKey\":\"AA==\",\"ledgerKey\":\"AA==\"}", 400, "INVALID_BASE64"),
                new Bad("certify: auditor", "POST", "/emr-auth/directory/patient/" + self, auditor, "{}", 403, "FORBIDDEN_ROLE"),
                new Bad("search: garbage", "POST", "/emr-auth/searches", doctor, garbage, 400, "MALFORMED_MESSAGE"),
                new Bad("search: patient role", "POST", "/emr-auth/searches", patient, garbage, 403, "FORBIDDEN_ROLE"),
                new Bad("search: oversized", "POST", "/emr-auth/searches", doctor, big, 413, "BODY_TOO_LARGE"),
                new Bad("search: unknown patient", "POST", "/emr-auth/searches", doctor, validSearch, 404, "UNKNOWN_PARTY"),
                new Bad("access: garbage", "POST", "/emr-auth/hospitals/" + hpc + "/access-sessions", doctor, garbage, 400, "MALFORMED_MESSAGE"),
                new Bad("access: bad hospital id", "POST", "/emr-auth/hospitals/bad%20id/access-sessions", doctor, garbage, 400, "INVALID_PARTY_ID"),
                new Bad("release: bad session id", "POST", "/emr-auth/hospitals/" + hpc + "/access-sessions/xyz/release", doctor,
                        strayRelease, 400, "INVALID_SESSION_ID"),
                new Bad("release: unknown session", "POST", "/emr-auth/hospitals/" + hpc + "/access-sessions/"
                        + "0123456789abcdef0123456789abcdef/release", doctor, strayRelease, 404, "SESSION_UNKNOWN"),
                new Bad("release: patient role", "POST", "/emr-auth/hospitals/" + hpc + "/access-sessions/"
                        + "0123456789abcdef0123456789abcdef/release", patient, strayRelease, 403, "FORBIDDEN_ROLE"),
                new Bad("version: garbage", "POST", "/emr-auth/hospitals/" + hpc + "/emr-versions", doctor, garbage, 400, "MALFORMED_MESSAGE"),
                new Bad("version: not FHIR", "POST", "/emr-auth/hospitals/" + hpc + "/emr-versions", writer, notFhir, 400, "INVALID_FHIR"),
                new Bad("version: unknown hospital", "POST", "/emr-auth/hospitals/nowhere-2/emr-versions", writer, notFhir, 404, "UNKNOWN_HOSPITAL"),
                new Bad("version: no consent for this doctor", "POST", "/emr-auth/hospitals/" + hpc + "/emr-versions", doctor,
                        Json.createObjectBuilder().add("message", b64.encodeToString(d.device().submitEmrVersion(hpc, self, DEPT,
                                EmrAuthParties.fhirBundle(self, "x").getBytes(StandardCharsets.UTF_8)).encode())).build().toString(),
                        403, "NOT_AUTHORIZED"),
                new Bad("consent: garbage", "POST", "/consents", patient, "{\"transaction\":\"AAAA\"}", 400, "INVALID_TRANSACTION"),
                new Bad("consent: another patient's", "POST", "/consents", patient, "{\"transaction\":\"" + otherPatientsConsent + "\"}",
                        403, "NOT_OWN_IDENTITY"),
                new Bad("consent: doctor role", "POST", "/consents", doctor, "{\"transaction\":\"AAAA\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("audit: negative size", "GET", "/audit/accesses?since=-1", patient, null, 400, "INVALID_TREE_SIZE"),
                new Bad("audit: future size", "GET", "/audit/accesses?since=999999999", patient, null, 400, "INVALID_TREE_SIZE"),
                new Bad("audit: doctor role", "GET", "/audit/accesses", doctor, null, 403, "FORBIDDEN_ROLE"),
                new Bad("relay: bad recipient", "POST", "/relay/messages", patient,
                        "{\"recipientId\":\"a b\",\"kind\":\"x\",\"body\":\"AA==\"}", 400, "INVALID_RECIPIENT"),
                new Bad("relay: bad kind", "POST", "/relay/messages", patient,
                        "{\"recipientId\":\"" + d.id() + "\",\"kind\":\"NOT OK\",\"body\":\"AA==\"}", 400, "INVALID_KIND"),
                new Bad("relay: empty body", "POST", "/relay/messages", patient,
                        "{\"recipientId\":\"" + d.id() + "\",\"kind\":\"x\",\"body\":\"\"}", 400, "INVALID_MESSAGE"),
                new Bad("relay: wrong role", "POST", "/relay/messages", admin,
                        "{\"recipientId\":\"" + d.id() + "\",\"kind\":\"x\",\"body\":\"AA==\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("relay: nothing to take", "POST", "/relay/inbox/take", patient,
                        "{\"senderId\":\"" + d.id() + "\",\"kind\":\"x\"}", 404, "NO_MESSAGE"));

        long before = treeSize();
        List<String> failures = new ArrayList<>();
        for (Bad b : table) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(ItConfig.api() + b.path()))
                    .header("Authorization", "Bearer " + b.token());
            if (b.method().equals("GET")) {
                rb.GET();
            } else {
                rb.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b.body()));
            }
            HttpResponse<String> r = Http.send(rb);
            String code = "";
            try {
                code = Http.json(r).getString("code");
            } catch (RuntimeException e) {
                code = "<no problem body>";
            }
            boolean problemJson = r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
            if (r.statusCode() != b.status() || !b.code().equals(code) || !problemJson || r.body().contains("Exception")) {
                failures.add(b.name() + ": expected " + b.status() + " " + b.code() + ", got " + r.statusCode() + " " + r.body());
            }
        }
        assertEquals(List.of(), failures);
        // Nothing changed: no ledger entry, no directory entry, no record (the stored version is still the only one).
        assertEquals(before, treeSize());
        assertEquals(404, Http.get("/emr-auth/directory/hospital-private-cloud/h-x", patient).statusCode());
        assertEquals(List.of(), AccessAudit.verify(API.accesses(patient, 0), self, null, 0, null).accesses());
    }

    @Test
    void healthAndOpenApiAreServed() {
        HttpResponse<String> h = Http.get("/health", null);
        assertEquals(200, h.statusCode(), h.body());
        assertEquals("UP", Http.json(h).getString("status"));
        HttpResponse<String> o = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.server()
                + "/openapi?format=JSON")).GET());
        assertEquals(200, o.statusCode(), o.body());
        JsonObject paths = Http.json(o).getJsonObject("paths");
        for (String p : List.of("/emr-auth/searches", "/emr-auth/hospitals/{hospitalId}/access-sessions",
                "/emr-auth/hospitals/{hospitalId}/access-sessions/{sessionId}/release", "/emr-auth/hospitals/{hospitalId}/emr-versions",
                "/consents", "/audit/accesses", "/relay/messages", "/health")) {
            assertTrue(paths.keySet().stream().anyMatch(k -> k.endsWith(p)), "OpenAPI describes " + p + ": " + paths.keySet());
        }
    }
}
