package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.AccessAudit;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.Patient;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.ReceivedRecord;
import org.medledger.protocol.interhospital.ReleaseAuthorization;
import org.medledger.protocol.interhospital.TreatmentConsent;

/**
 * INTER-HOSPITAL served end to end on the real EAR with real Keycloak tokens, hospitals A and B
 * as two hospitals served by this server (B reaches A over HTTP at A's peer endpoints): the
 * patient registers through the blockchain center, is treated at A (record sealed at rest at A,
 * {@code mrins}/{@code ptins} on the ledger), then visits B with a release authorization; B's
 * doctor fetches the record from A, A writes exactly one access entry; attacks on the
 * authorization and bad input are refused with a 4xx and change nothing on the ledger.
 */
class InterHospitalServedIT extends DeployedServer {

    static final InterHospitalClient IH = new InterHospitalClient(Http.client(), URI.create(ItConfig.api()),
            EmrAuthParties.CURVE);
    static final byte[] SYMPTOMS = "fever, productive cough for 5 days".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    record Pat(String id, String token, Patient device, Signer ledgerKey) {
    }

    static Pat patient() throws Exception {
        String id = EmrAuthParties.unique("ih-patient");
        KeycloakAdmin.createUser(id, "patient");
        KeycloakAdmin.setPassword(id, id + "-demo");
        String token = Tokens.forUser(id);
        PartyKeys keys = PartyKeys.generate(EmrAuthParties.CURVE, EmrAuthParties.RANDOM);
        Signer ledger = P256SignatureScheme.generate(EmrAuthParties.RANDOM);
        var grant = IH.registerPatient(token, id, keys.signingPublic().encoded(), keys.kemPublic().encoded(), ledger.publicKey());
        TrustContext trust = new TrustContext(KgcRegistrationIT.publicKey(), EmrAuthParties.API.trust(token).certifierKey(),
                IH.directory(token), EmrAuthParties.deviceVerifier());
        Patient device = new Patient(EmrAuthParties.env(), trust, keys, id, IH.ledgerChecks(token));
        // S_PAT·P == R_PAT + H1(ID_PAT, R_PAT)·PK and the entry certifies our own keys (seed 002, eq. 5)
        device.acceptRegistration(grant);
        return new Pat(id, token, device, ledger);
    }

    static void consentToTreatment(Pat p, String hospitalId) throws Exception {
        EmrAuthParties.API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), hospitalId,
                TreatmentConsent.SCOPE, Instant.now().plus(Duration.ofDays(30)).toEpochMilli()));
    }

    /** Steps 1–4 of a visit on the device and the server; returns the visit and its session id. */
    static String[] visit(Pat p, String hospitalId, PatientVisit[] out, Optional<ReleaseAuthorization> auth) throws Exception {
        PatientVisit v = p.device().visit(hospitalId);
        InterHospitalClient.OpenedVisit opened = IH.openVisit(p.token(), hospitalId, v.hello());
        IH.confirmVisit(p.token(), hospitalId, opened.sessionId(), v.acceptChallenge(opened.challenge(), SYMPTOMS, auth));
        out[0] = v;
        return new String[] {opened.sessionId()};
    }

    static long treeSize() {
        HttpResponse<String> r = Http.get("/ledger/tree-head", null);
        assertEquals(200, r.statusCode());
        return Http.json(r).getJsonNumber("treeSize").longValue();
    }

    static List<AccessAudit.Access> accesses(Pat p) throws Exception {
        return AccessAudit.verify(EmrAuthParties.API.accesses(p.token(), 0), p.id(), null, 0, null).accesses();
    }

    @Test
    void treatmentAtATransferToBAndTheAttacksOnIt() throws Exception {
        String admin = Tokens.forUser("hospital-admin");
        String a = EmrAuthParties.unique("ih-hpa");
        String b = EmrAuthParties.unique("ih-hpb");
        String c = EmrAuthParties.unique("ih-hpc");
        for (String h : List.of(a, b, c)) {
            IH.registerHospital(admin, h);
        }
        ApiProblem twice = assertThrows(ApiProblem.class, () -> IH.registerHospital(admin, a));
        assertEquals("ALREADY_REGISTERED", twice.code());
        Pat p = patient();
        EmrAuthParties.Medic doctor = EmrAuthParties.doctor();
        String d = doctor.token();

        // Initial treatment at A: without the patient's treatment consent no record is issued.
        PatientVisit[] v = new PatientVisit[1];
        String sa = visit(p, a, v, Optional.empty())[0];
        assertTrue(IH.openVisits(d, a).stream().anyMatch(o -> o.getString("sessionId").equals(sa)));
        String dx = EmrAuthParties.unique("DX");
        byte[] fhir = EmrAuthParties.fhirBundle(p.id(), "Community-acquired pneumonia").getBytes(StandardCharsets.UTF_8);
        ApiProblem noConsent = assertThrows(ApiProblem.class, () -> IH.issueRecord(d, a, sa, dx, fhir));
        assertEquals("NO_TREATMENT_CONSENT", noConsent.code());
        consentToTreatment(p, a);
        ApiProblem notYet = assertThrows(ApiProblem.class, () -> IH.delivery(p.token(), a, sa));
        assertEquals("RECORD_NOT_READY", notYet.code());
        IH.issueRecord(d, a, sa, dx, fhir);
        ReceivedRecord atPatient = v[0].acceptRecord(IH.delivery(p.token(), a, sa));
        assertArrayEquals(fhir, atPatient.emr());
        assertEquals(a, p.device().medicalIndex().get(0).hospitalId());
        ApiProblem again = assertThrows(ApiProblem.class, () -> IH.issueRecord(d, a, sa, EmrAuthParties.unique("DX"), fhir));
        assertEquals("ALREADY_DIAGNOSED", again.code());
        assertEquals(List.of(), accesses(p));

        // Referral to B: the patient signs the release authorization on the device; B's doctor fetches from A.
        consentToTreatment(p, b);
        ReleaseAuthorization auth = p.device().authorize(b, a, List.of(dx), Duration.ofHours(1));
        PatientVisit[] vb = new PatientVisit[1];
        String sb = visit(p, b, vb, Optional.of(auth))[0];
        List<InterHospitalClient.FetchedRecord> got = IH.fetchReferred(d, b, sb);
        assertEquals(1, got.size());
        assertEquals(a, got.get(0).holderId());
        assertArrayEquals(fhir, got.get(0).fhirJson());
        // The transfer is logged once: one access entry, A released to B, verified with its proof on the device.
        List<AccessAudit.Access> logged = accesses(p);
        assertEquals(1, logged.size());
        assertEquals(a, logged.get(0).holderId());
        assertEquals(b, logged.get(0).accessorId());
        assertEquals("released", logged.get(0).outcome());

        // Replayed authorization: A releases once per authorization; nothing more on the ledger.
        long size = treeSize();
        ApiProblem replay = assertThrows(ApiProblem.class, () -> IH.fetchReferred(d, b, sb));
        assertEquals(409, replay.status());
        assertEquals("REPLAY", replay.code());
        assertEquals(size, treeSize());

        // B's own diagnosis back to the patient (seed 002, eq. 70–73).
        byte[] fhirB = EmrAuthParties.fhirBundle(p.id(), "Pneumonia resolved").getBytes(StandardCharsets.UTF_8);
        IH.issueRecord(d, b, sb, EmrAuthParties.unique("DX"), fhirB);
        assertArrayEquals(fhirB, vb[0].acceptRecord(IH.delivery(p.token(), b, sb)).emr());
        assertEquals(2, p.device().medicalIndex().size());

        // Attacks on the authorization: each one a 4xx, nothing on the ledger, no record released.
        Pat mallory = patient();
        consentToTreatment(mallory, b);
        size = treeSize();
        // tampered (extended expiry under the patient's signature): A refuses BAD_SIGNATURE
        ReleaseAuthorization genuine = p.device().authorize(b, a, List.of(dx), Duration.ofHours(1));
        assertReferralRefused(p, b, d, new ReleaseAuthorization(p.id(), b, a, List.of(dx), genuine.expiresAt() + 60_000,
                genuine.signature()), 403, "BAD_SIGNATURE");
        // forged: another registered patient's signature on this patient's authorization
        ReleaseAuthorization malloryAuth = mallory.device().authorize(b, a, List.of(dx), Duration.ofHours(1));
        ApiProblem forged = assertThrows(ApiProblem.class, () -> visit(mallory, b, new PatientVisit[1], Optional.of(
                new ReleaseAuthorization(p.id(), b, a, List.of(dx), malloryAuth.expiresAt(), malloryAuth.signature()))));
        assertEquals(403, forged.status());
        assertEquals("NOT_AUTHORIZED", forged.code());
        // ...and under its own name Mallory gets nothing: the record is not hers at A
        assertReferralRefused(mallory, b, d, malloryAuth, 403, "NOT_AUTHORIZED");
        // wrong hospital: an authorization for C presented at B is refused at the visit
        ApiProblem wrongRecipient = assertThrows(ApiProblem.class, () -> visit(p, b, new PatientVisit[1],
                Optional.of(p.device().authorize(c, a, List.of(dx), Duration.ofHours(1)))));
        assertEquals("NOT_AUTHORIZED", wrongRecipient.code());
        // wrong holder: C does not hold the record
        assertReferralRefused(p, b, d, p.device().authorize(b, c, List.of(dx), Duration.ofHours(1)), 403, "NOT_AUTHORIZED");
        // unknown record at A
        assertReferralRefused(p, b, d, p.device().authorize(b, a, List.of("DX-unknown"), Duration.ofHours(1)), 403, "NOT_AUTHORIZED");
        // expired
        ReleaseAuthorization shortLived = p.device().authorize(b, a, List.of(dx), Duration.ofMillis(1));
        Thread.sleep(5);
        assertReferralRefused(p, b, d, shortLived, 403, "NOT_AUTHORIZED");
        assertEquals(size, treeSize(), "no refused transfer wrote to the ledger");
        assertEquals(1, accesses(p).size());

        // A second referral to B, which already holds the record: under a fresh authorization B fetches
        // A's copy again and keeps it (one row, replaced); A writes one more access entry.
        ReleaseAuthorization second = p.device().authorize(b, a, List.of(dx), Duration.ofHours(1));
        String sb2 = visit(p, b, new PatientVisit[1], Optional.of(second))[0];
        List<InterHospitalClient.FetchedRecord> again2 = IH.fetchReferred(d, b, sb2);
        assertEquals(1, again2.size());
        assertArrayEquals(fhir, again2.get(0).fhirJson());
        List<AccessAudit.Access> twice2 = accesses(p);
        assertEquals(2, twice2.size());
        assertTrue(twice2.stream().allMatch(x -> x.holderId().equals(a) && x.accessorId().equals(b)));

        // Two more referrals fetched at the same moment: both succeed (B keeps one copy), two more entries at A.
        String[] sessions = {visit(p, b, new PatientVisit[1], Optional.of(p.device().authorize(b, a, List.of(dx), Duration.ofHours(1))))[0],
                visit(p, b, new PatientVisit[1], Optional.of(p.device().authorize(b, a, List.of(dx), Duration.ofHours(1))))[0]};
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<List<InterHospitalClient.FetchedRecord>>> both = pool.invokeAll(List.of(
                    () -> { start.await(); return IH.fetchReferred(d, b, sessions[0]); },
                    () -> { start.await(); return IH.fetchReferred(d, b, sessions[1]); }));
            for (java.util.concurrent.Future<List<InterHospitalClient.FetchedRecord>> f : both) {
                assertArrayEquals(fhir, f.get().get(0).fhirJson());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, accesses(p).size());
    }

    static void assertReferralRefused(Pat p, String b, String doctorToken, ReleaseAuthorization auth, int status, String code)
            throws Exception {
        String sid = visit(p, b, new PatientVisit[1], Optional.of(auth))[0];
        ApiProblem refused = assertThrows(ApiProblem.class, () -> IH.fetchReferred(doctorToken, b, sid));
        assertEquals(status, refused.status(), refused.getMessage());
        assertEquals(code, refused.code(), refused.getMessage());
    }

    record Bad(String name, String method, String path, String tokenOf, String body, int status, String code) {
    }

    @Test
    void badInputIsRefusedWithA4xxAndChangesNothing() throws Exception {
        String admin = Tokens.forUser("hospital-admin");
        String a = EmrAuthParties.unique("ih-hpa");
        IH.registerHospital(admin, a);
        Pat p = patient();
        String other = EmrAuthParties.unique("ih-nobody");
        String sid = "0123456789abcdef0123456789abcdef";
        long size = treeSize();
        String visits = "/inter-hospital/hospitals/" + a + "/visits";
        List<Bad> table = List.of(
                new Bad("no token", "POST", visits, null, "{\"message\":\"AAAA\"}", 401, null),
                new Bad("malformed JSON", "POST", visits, "patient", "{\"message\":", 400, "MALFORMED_JSON"),
                new Bad("unknown field", "POST", visits, "patient", "{\"message\":\"AAAA\",\"x\":1}", 400, "UNKNOWN_FIELD"),
                new Bad("missing field", "POST", visits, "patient", "{}", 400, "MISSING_FIELD"),
                new Bad("not base64", "POST", visits, "patient", "{\"message\":\"***\"}", 400, "INVALID_BASE64"),
                new Bad("garbage hello", "POST", visits, "patient", "{\"message\":\"AAAAAAAA\"}", 400, null),
                new Bad("unknown hospital", "POST", "/inter-hospital/hospitals/no-such-hospital/visits", "patient",
                        "{\"message\":\"AAAAAAAA\"}", 400, null),
                new Bad("bad hospital id", "POST", "/inter-hospital/hospitals/a%20b/visits", "patient", "{\"message\":\"AAAA\"}",
                        400, "INVALID_PARTY_ID"),
                new Bad("patient registers someone else", "POST", "/inter-hospital/patients/" + other + "/registration", "patient",
                        "{\"signingKey\":\"AAAA\",\"kemKey\":\"AAAA\",\"ledgerKey\":\"AAAA\"}", 403, "NOT_OWN_IDENTITY"),
                new Bad("keys that are not points", "POST", "/inter-hospital/patients/" + p.id() + "/registration", "patient",
                        "{\"signingKey\":\"AAAA\",\"kemKey\":\"AAAA\",\"ledgerKey\":\"AAAA\"}", 400, "INVALID_KEY"),
                new Bad("patient acts as a doctor", "POST", visits + "/" + sid + "/records", "patient",
                        "{\"diagnosisId\":\"DX-1\",\"record\":\"e30=\"}", 403, null),
                new Bad("unknown visit delivery", "GET", visits + "/" + sid + "/delivery", "patient", null, 404, "VISIT_UNKNOWN"),
                new Bad("bad session id", "GET", visits + "/not-hex/delivery", "patient", null, 400, "INVALID_SESSION_ID"),
                new Bad("unknown confirmation session", "POST", visits + "/" + sid + "/confirmation", "patient",
                        "{\"message\":\"AAAAAAAA\"}", 400, null),
                new Bad("hospital admin opens a visit", "POST", visits, "admin", "{\"message\":\"AAAA\"}", 403, null),
                new Bad("peer: garbage hello", "POST", "/inter-hospital/peer/hospitals/" + a + "/transfers", null,
                        "{\"message\":\"AAAAAAAA\"}", 400, null),
                new Bad("peer: unknown session", "POST", "/inter-hospital/peer/hospitals/" + a + "/transfers/" + sid + "/release",
                        null, "{\"message\":\"AAAAAAAA\"}", 400, null),
                new Bad("peer: unknown holder", "POST", "/inter-hospital/peer/hospitals/no-such-hospital/transfers", null,
                        "{\"message\":\"AAAAAAAA\"}", 400, null),
                new Bad("peer: malformed JSON", "POST", "/inter-hospital/peer/hospitals/" + a + "/transfers", null, "[", 400,
                        "MALFORMED_JSON"));
        for (Bad t : table) {
            String token = t.tokenOf() == null ? null : t.tokenOf().equals("admin") ? admin : p.token();
            HttpResponse<String> r = t.method().equals("GET") ? Http.get(t.path(), token) : Http.postJson(t.path(), token, t.body());
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, t.name() + ": " + r.statusCode() + " " + r.body());
            if (t.status() != 400 || t.code() != null) {
                assertEquals(t.status(), r.statusCode(), t.name() + ": " + r.body());
            }
            if (t.code() != null) {
                assertEquals(t.code(), Http.json(r).getString("code"), t.name());
            }
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), t.name());
            assertTrue(!r.body().contains("Exception") && !r.body().contains("\tat "), t.name() + ": no stack trace");
        }
        assertEquals(size, treeSize(), "bad input wrote nothing to the ledger");
    }
}
