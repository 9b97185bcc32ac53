package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.it.CloudChainServedIT.forgedAuthRequest;
import static org.medledger.it.CloudChainServedIT.treeSize;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.client.cloudchain.CloudChainAudit;
import org.medledger.client.cloudchain.CloudChainClient;

/**
 * The served CLOUD-CHAIN under bad input: every new endpoint refuses malformed encodings,
 * off-curve points, oversized bodies, unknown ids, wrong roles and other parties' identities
 * with a 4xx problem and a clear reason code, and the ledger, the cards and the stored EHRs
 * stay as they were.
 */
class CloudChainHardeningIT extends DeployedServer {

    static final CloudChainClient API = CloudChainParties.API;
    static final String PASSWORD = CloudChainServedIT.PASSWORD;

    /** One bad request and the refusal it must get. */
    record Bad(String name, String method, String path, String token, String body, int status, String code) {
    }

    static String message(byte[] m) {
        return Json.createObjectBuilder().add("message", Base64.getEncoder().encodeToString(m)).build().toString();
    }

    @Test
    void badInputOnEveryNewEndpointIsRefusedAndChangesNothing() throws Exception {
        CloudChainParties.Center mc1 = CloudChainParties.center();
        CloudChainParties.Center mc2 = CloudChainParties.center();
        CloudChainParties.Patient p = CloudChainParties.patient(PASSWORD);
        CloudChainParties.Patient other = CloudChainParties.patient(PASSWORD);
        p.card().contractWith(p.token(), mc1.pid(), CloudChainParties.pw(PASSWORD));
        String record = EmrAuthParties.fhirBundle(p.id(), "asthma");
        API.storeEhr(mc1.token(), mc1.pid(), p.hid(), record);
        // A patient half-way through registration (x_i issued, PK_i not yet recorded).
        String halfId = EmrAuthParties.unique("cc-half");
        KeycloakAdmin.createUser(halfId, "patient");
        KeycloakAdmin.setPassword(halfId, halfId + "-demo");
        String half = Tokens.forUser(halfId);
        byte[] halfHid = new byte[32];
        EmrAuthParties.RANDOM.nextBytes(halfHid);
        String halfHex = org.bouncycastle.util.encoders.Hex.toHexString(halfHid);
        API.registerPatient(half, halfHid).xI().destroy();

        String admin = Tokens.forUser("network-admin");
        String patient = p.token();
        String center1 = mc1.token();
        String center2 = mc2.token();
        String operator = Tokens.forUser("kgc-operator");
        Base64.Encoder b64 = Base64.getEncoder();
        byte[] offCurve = new byte[33];
        offCurve[0] = 0x02;
        java.util.Arrays.fill(offCurve, 1, 33, (byte) 0xff);
        String unknownPid = "ab".repeat(32);
        String unknownHid = "cd".repeat(32);
        String pc = "/cloud-chain/medical-centers/" + mc1.pid();
        String garbage = message("garbage".getBytes());
        String big = "{\"message\":\"" + "A".repeat(300 * 1024) + "\"}";
        String forged = message(forgedAuthRequest(mc1, p.hid()).encode());
        String stale = message(forgedAuthRequest(mc1, p.hid(), System.currentTimeMillis() - 10 * 60_000, null).encode());
        String offCurveShare = message(forgedAuthRequest(mc1, p.hid(), System.currentTimeMillis(), offCurve).encode());
        String noSession = message(new org.medledger.protocol.cloudchain.ContractUpload(new byte[32], new byte[64],
                System.currentTimeMillis()).encode());
        String notFhir = Json.createObjectBuilder().add("hid", p.hid()).add("record", "{\"resourceType\":\"Patient\",\"birthDate\":\"soon\"}")
                .build().toString();
        String store = Json.createObjectBuilder().add("hid", p.hid()).add("record", record).build().toString();
        String storeOther = Json.createObjectBuilder().add("hid", other.hid()).add("record", record).build().toString();

        List<Bad> table = List.of(
                new Bad("center: malformed JSON", "POST", "/cloud-chain/medical-centers", admin, "{", 400, "MALFORMED_JSON"),
                new Bad("center: unknown field", "POST", "/cloud-chain/medical-centers", admin, "{\"centerId\":\"c\",\"x\":1}", 400, "UNKNOWN_FIELD"),
                new Bad("center: bad id", "POST", "/cloud-chain/medical-centers", admin, "{\"centerId\":\"../etc\"}", 400, "INVALID_CENTER_ID"),
                new Bad("center: wrong role", "POST", "/cloud-chain/medical-centers", patient, "{\"centerId\":\"cc-x\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("center: kgc-operator", "POST", "/cloud-chain/medical-centers", operator, "{\"centerId\":\"cc-x\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("center: twice", "POST", "/cloud-chain/medical-centers", admin, "{\"centerId\":\"" + mc1.operator() + "\"}", 409,
                        "ALREADY_REGISTERED"),
                new Bad("Cert_j: bad pid", "GET", "/cloud-chain/medical-centers/XYZ", patient, null, 400, "INVALID_PID"),
                new Bad("Cert_j: unknown pid", "GET", "/cloud-chain/medical-centers/" + unknownPid, patient, null, 404, "UNKNOWN_MEDICAL_CENTER"),
                new Bad("Cert_j: wrong role", "GET", pc, operator, null, 403, "FORBIDDEN_ROLE"),
                new Bad("card: HID not hex", "POST", "/cloud-chain/patients", patient, "{\"hid\":\"zz\"}", 400, "INVALID_HID"),
                new Bad("card: HID a number", "POST", "/cloud-chain/patients", patient, "{\"hid\":7}", 400, "INVALID_FIELD"),
                new Bad("card: second card", "POST", "/cloud-chain/patients", patient, "{\"hid\":\"" + unknownHid + "\"}", 409,
                        "ALREADY_REGISTERED"),
                new Bad("card: wrong role", "POST", "/cloud-chain/patients", center1, "{\"hid\":\"" + unknownHid + "\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("card: oversized", "POST", "/cloud-chain/patients", patient, big, 413, "BODY_TOO_LARGE"),
                new Bad("card key: off-curve point", "POST", "/cloud-chain/patients/" + halfHex + "/key", half,
                        "{\"patientKey\":\"" + b64.encodeToString(offCurve) + "\"}", 400, "INVALID_KEY"),
                new Bad("card key: bad base64", "POST", "/cloud-chain/patients/" + halfHex + "/key", half, "{\"patientKey\":\"%%%\"}", 400,
                        "INVALID_BASE64"),
                new Bad("card key: another patient's card", "POST", "/cloud-chain/patients/" + halfHex + "/key", patient,
                        "{\"patientKey\":\"AA==\"}", 403, "NOT_OWN_IDENTITY"),
                new Bad("card key: unknown card", "POST", "/cloud-chain/patients/" + unknownHid + "/key", half, "{\"patientKey\":\"AA==\"}", 404,
                        "UNKNOWN_PATIENT"),
                new Bad("card key: twice", "POST", "/cloud-chain/patients/" + p.hid() + "/key", patient, "{\"patientKey\":\"AA==\"}", 409,
                        "ALREADY_REGISTERED"),
                new Bad("auth: garbage", "POST", pc + "/authentications", patient, garbage, 400, "MALFORMED_MESSAGE"),
                new Bad("auth: empty message", "POST", pc + "/authentications", patient, "{\"message\":\"\"}", 400, "MALFORMED_MESSAGE"),
                new Bad("auth: oversized", "POST", pc + "/authentications", patient, big, 413, "BODY_TOO_LARGE"),
                new Bad("auth: unknown center", "POST", "/cloud-chain/medical-centers/" + unknownPid + "/authentications", patient, forged, 404,
                        "UNKNOWN_MEDICAL_CENTER"),
                new Bad("auth: wrong x_i", "POST", pc + "/authentications", patient, forged, 403, "KEY_CONFIRMATION_FAILED"),
                new Bad("auth: stale T_1", "POST", pc + "/authentications", patient, stale, 400, "STALE_TIMESTAMP"),
                new Bad("auth: off-curve Q_i", "POST", pc + "/authentications", patient, offCurveShare, 400, "BAD_POINT"),
                new Bad("auth: wrong role", "POST", pc + "/authentications", center1, forged, 403, "FORBIDDEN_ROLE"),
                new Bad("contract: bad session id", "POST", pc + "/authentications/xyz/contract", patient, noSession, 400, "INVALID_SESSION_ID"),
                new Bad("contract: unknown session", "POST", pc + "/authentications/0123456789abcdef0123456789abcdef/contract", patient,
                        noSession, 404, "SESSION_UNKNOWN"),
                new Bad("contract: garbage", "POST", pc + "/authentications/0123456789abcdef0123456789abcdef/contract", patient, garbage, 400,
                        "MALFORMED_MESSAGE"),
                new Bad("contract: wrong role", "POST", pc + "/authentications/0123456789abcdef0123456789abcdef/contract", admin, noSession,
                        403, "FORBIDDEN_ROLE"),
                new Bad("store: not FHIR", "POST", pc + "/ehrs", center1, notFhir, 400, "INVALID_FHIR"),
                new Bad("store: bad HID", "POST", pc + "/ehrs", center1, "{\"hid\":\"x\",\"record\":\"{}\"}", 400, "INVALID_HID"),
                new Bad("store: missing record", "POST", pc + "/ehrs", center1, "{\"hid\":\"" + p.hid() + "\"}", 400, "MISSING_FIELD"),
                new Bad("store: another center's operator", "POST", pc + "/ehrs", center2, store, 403, "NOT_OWN_CENTER"),
                new Bad("store: no contract with the patient", "POST", pc + "/ehrs", center1, storeOther, 403, "NOT_AUTHORIZED"),
                new Bad("store: patient role", "POST", pc + "/ehrs", patient, store, 403, "FORBIDDEN_ROLE"),
                new Bad("store: oversized", "POST", pc + "/ehrs", center1, "{\"hid\":\"" + p.hid() + "\",\"record\":\"" + "A".repeat(600 * 1024)
                        + "\"}", 413, "BODY_TOO_LARGE"),
                new Bad("store: unknown center", "POST", "/cloud-chain/medical-centers/" + unknownPid + "/ehrs", center1, store, 404,
                        "UNKNOWN_MEDICAL_CENTER"),
                new Bad("request: no contract (MC2)", "POST", "/cloud-chain/medical-centers/" + mc2.pid() + "/ehr-requests", center2,
                        "{\"hid\":\"" + p.hid() + "\"}", 403, "NOT_AUTHORIZED"),
                new Bad("request: unknown patient", "POST", pc + "/ehr-requests", center1, "{\"hid\":\"" + unknownHid + "\"}", 403,
                        "NOT_AUTHORIZED"),
                new Bad("request: another center's operator", "POST", pc + "/ehr-requests", center2, "{\"hid\":\"" + p.hid() + "\"}", 403,
                        "NOT_OWN_CENTER"),
                new Bad("request: bad HID", "POST", pc + "/ehr-requests", center1, "{\"hid\":\"" + p.hid().toUpperCase() + "\"}", 400,
                        "INVALID_HID"),
                new Bad("request: patient role", "POST", pc + "/ehr-requests", patient, "{\"hid\":\"" + p.hid() + "\"}", 403, "FORBIDDEN_ROLE"),
                new Bad("ledger: another patient's card", "GET", "/cloud-chain/patients/" + other.hid() + "/ledger", patient, null, 403,
                        "NOT_OWN_IDENTITY"),
                new Bad("ledger: unknown card", "GET", "/cloud-chain/patients/" + unknownHid + "/ledger", patient, null, 404, "UNKNOWN_PATIENT"),
                new Bad("ledger: negative size", "GET", "/cloud-chain/patients/" + p.hid() + "/ledger?since=-1", patient, null, 400,
                        "INVALID_TREE_SIZE"),
                new Bad("ledger: center role", "GET", "/cloud-chain/patients/" + p.hid() + "/ledger", center1, null, 403, "FORBIDDEN_ROLE"));

        long before = treeSize();
        JsonObject ledgerBefore = API.ledger(patient, p.hid(), 0);
        List<String> failures = new ArrayList<>();
        for (Bad b : table) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(ItConfig.api() + b.path())).header("Authorization", "Bearer " + b.token());
            if (b.method().equals("GET")) {
                rb.GET();
            } else {
                rb.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b.body()));
            }
            HttpResponse<String> r = Http.send(rb);
            String code;
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
        // Nothing changed: no ledger entry, the card's entries as before, no second card, the stored EHR unchanged.
        assertEquals(before, treeSize());
        assertEquals(ledgerBefore.getJsonArray("entries"), API.ledger(patient, p.hid(), 0).getJsonArray("entries"));
        assertEquals(List.of("patient"), CloudChainAudit.verify(API.ledger(other.token(), other.hid(), 0), other.hid(), null, 0, null)
                .entries().stream().map(CloudChainAudit.Entry::function).toList());
        assertEquals(record, API.requestEhr(center1, mc1.pid(), p.hid()).record());
    }

    @Test
    void anAccessWhoseLedgerAppendFailsReleasesNothing() throws Exception {
        CloudChainParties.Center mc1 = CloudChainParties.center();
        CloudChainParties.Center mc2 = CloudChainParties.center();
        CloudChainParties.Patient p = CloudChainParties.patient(PASSWORD);
        p.card().contractWith(p.token(), mc1.pid(), CloudChainParties.pw(PASSWORD));
        p.card().contractWith(p.token(), mc2.pid(), CloudChainParties.pw(PASSWORD));
        String record = EmrAuthParties.fhirBundle(p.id(), "epilepsy");
        API.storeEhr(mc1.token(), mc1.pid(), p.hid(), record);
        String center2 = mc2.token();
        assertEquals(record, API.requestEhr(center2, mc2.pid(), p.hid()).record());
        // The network administrator removes MC2 from the ledger's members: its access logs are refused from now on.
        HttpResponse<String> revoked = Http.postJson("/cloud-chain/medical-centers/" + mc2.pid() + "/revocation",
                Tokens.forUser("network-admin"), "");
        assertEquals(200, revoked.statusCode(), revoked.body());
        KgcRegistrationIT.assertProblem(Http.postJson("/cloud-chain/medical-centers/" + mc2.pid() + "/revocation", p.token(), ""),
                403, "FORBIDDEN_ROLE");
        long before = treeSize();
        JsonObject entriesBefore = API.ledger(p.token(), p.hid(), 0);
        HttpResponse<String> r = Http.postJson("/cloud-chain/medical-centers/" + mc2.pid() + "/ehr-requests", center2,
                "{\"hid\":\"" + p.hid() + "\"}");
        KgcRegistrationIT.assertProblem(r, 503, "ACCESS_NOT_RECORDED");
        assertTrue(!r.body().contains("epilepsy") && !r.body().contains("resourceType"), "nothing of the record in a refusal: " + r.body());
        assertEquals(before, treeSize(), "nothing was appended");
        assertEquals(entriesBefore.getJsonArray("entries"), API.ledger(p.token(), p.hid(), 0).getJsonArray("entries"));
        // MC1 still reads, and its access is logged.
        CloudChainClient.Retrieved got = API.requestEhr(mc1.token(), mc1.pid(), p.hid());
        assertEquals(record, got.record());
        assertEquals(before, got.ledgerLogIndex());
    }

    /** A patient whose card is driven with the protocol classes directly, so that its messages can be captured. */
    record Raw(String id, String token, org.medledger.protocol.cloudchain.Patient patient,
               org.medledger.protocol.cloudchain.Smartcard card) {
        org.medledger.protocol.cloudchain.PatientAuthentication start(CloudChainParties.Center mc) throws Exception {
            return patient.authenticate(card, CloudChainParties.pw("pw"), mc.pid());
        }
    }

    static Raw raw() throws Exception {
        String id = EmrAuthParties.unique("cc-raw");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        String token = Tokens.forUser(id);
        org.medledger.protocol.common.TrustContext trust = new org.medledger.protocol.common.TrustContext(KgcRegistrationIT.publicKey(),
                EmrAuthParties.API.trust(token).certifierKey(), API.directory(token), (c, i) -> {
                    throw new org.medledger.protocol.common.ProtocolException(org.medledger.protocol.common.Reason.CERT_INVALID, "none");
                });
        org.medledger.protocol.cloudchain.Patient p = new org.medledger.protocol.cloudchain.Patient(EmrAuthParties.env(), trust, id);
        org.medledger.protocol.cloudchain.Patient.Registration reg = p.beginRegistration();
        org.medledger.protocol.cloudchain.Smartcard card = reg.complete(API.registerPatient(token, reg.enrolment().hidI()),
                CloudChainParties.pw("pw"), 1, 3);
        API.registerPatientKey(token, reg.enrolment().hidI(), reg.patientKey());
        return new Raw(id, token, p, card);
    }

    @Test
    void capturedMessagesAndAnotherPatientsCardAreRefused() throws Exception {
        CloudChainParties.Center mc = CloudChainParties.center();
        Raw alice = raw();
        Raw bob = raw();
        long before = treeSize();
        // Bob's account presenting Alice's card (a valid request): the card is not the caller's.
        var stolen = alice.start(mc);
        HttpResponse<String> notOwn = Http.postJson("/cloud-chain/medical-centers/" + mc.pid() + "/authentications", bob.token(),
                message(stolen.request().encode()));
        KgcRegistrationIT.assertProblem(notOwn, 403, "NOT_OWN_IDENTITY");
        // Alice's own run; then the captured request and the captured contract upload are replayed.
        var run = alice.start(mc);
        CloudChainClient.Authenticated a = API.authenticate(alice.token(), mc.pid(), run.request());
        KgcRegistrationIT.assertProblem(Http.postJson("/cloud-chain/medical-centers/" + mc.pid() + "/authentications", alice.token(),
                message(run.request().encode())), 409, "REPLAY");
        run.acceptResponse(a.response());
        org.medledger.protocol.cloudchain.ContractUpload upload = run.contractUpload();
        String contractPath = "/cloud-chain/medical-centers/" + mc.pid() + "/authentications/" + a.sessionId() + "/contract";
        // Bob cannot use Alice's session.
        KgcRegistrationIT.assertProblem(Http.postJson(contractPath, bob.token(), message(upload.encode())), 404, "SESSION_UNKNOWN");
        HttpResponse<String> ok = Http.postJson(contractPath, alice.token(), message(upload.encode()));
        assertEquals(201, ok.statusCode(), ok.body());
        KgcRegistrationIT.assertProblem(Http.postJson(contractPath, alice.token(), message(upload.encode())), 404, "SESSION_UNKNOWN");
        // A tampered upload in a fresh session: M_sc does not verify and no contract is created.
        var again = alice.start(mc);
        CloudChainClient.Authenticated a2 = API.authenticate(alice.token(), mc.pid(), again.request());
        again.acceptResponse(a2.response());
        org.medledger.protocol.cloudchain.ContractUpload good = again.contractUpload();
        byte[] mSc = good.mSc();
        mSc[0] ^= 1;
        HttpResponse<String> tampered = Http.postJson("/cloud-chain/medical-centers/" + mc.pid() + "/authentications/" + a2.sessionId()
                + "/contract", alice.token(), message(new org.medledger.protocol.cloudchain.ContractUpload(mSc, good.mInf(), good.t3()).encode()));
        KgcRegistrationIT.assertProblem(tampered, 403, "KEY_CONFIRMATION_FAILED");
        assertEquals(before + 1, treeSize(), "only Alice's one contract was appended");
    }

    @Test
    void theEndpointsAreInTheOpenApiDocument() {
        HttpResponse<String> o = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.server()
                + "/openapi?format=JSON")).GET());
        assertEquals(200, o.statusCode(), o.body());
        JsonObject paths = Http.json(o).getJsonObject("paths");
        for (String path : List.of("/cloud-chain/medical-centers", "/cloud-chain/medical-centers/{pid}", "/cloud-chain/patients",
                "/cloud-chain/patients/{hid}/key", "/cloud-chain/medical-centers/{pid}/authentications",
                "/cloud-chain/medical-centers/{pid}/authentications/{sessionId}/contract", "/cloud-chain/medical-centers/{pid}/ehrs",
                "/cloud-chain/medical-centers/{pid}/ehr-requests", "/cloud-chain/patients/{hid}/ledger",
                "/cloud-chain/medical-centers/{pid}/revocation")) {
            assertTrue(paths.keySet().stream().anyMatch(k -> k.endsWith(path)), "OpenAPI describes " + path + ": " + paths.keySet());
        }
    }
}
