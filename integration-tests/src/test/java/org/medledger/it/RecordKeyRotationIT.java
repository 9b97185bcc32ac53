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

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RecordKeyRotationIT {

    static final EmrAuthClient API = EmrAuthParties.API;
    static final String BEFORE = "cardiology";
    static final String AFTER = "nephrology";

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void servers() throws Exception {
        KeycloakServer.ensureStarted();
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
}
