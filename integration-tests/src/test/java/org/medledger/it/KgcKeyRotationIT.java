package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * Rotation of the KGC master key pair (issue 15) on a server of the test's own ({@link SecondServer}),
 * so the shared test server keeps its key: a kgc-operator rotates; the rotation is a ledger entry;
 * new registrations are issued under the new key id, the one made before stays listed under its key
 * id and verifies against the older {@code PK}, which the public-key endpoint keeps serving; after a
 * restart (the node verifies its whole chain, the rotation included, on open) the new key is still
 * current and the next rotation continues the chain. Only a kgc-operator rotates.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KgcKeyRotationIT {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final SecureRandom RANDOM = new SecureRandom();

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void keycloak() {
        KeycloakServer.ensureStarted();
    }

    private static HttpResponse<String> post(SecondServer server, String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.api() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b);
    }

    private static HttpResponse<String> get(SecondServer server, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.api() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return server.send(b);
    }

    private static MasterPublicKey pk(JsonObject o) throws ProtocolException {
        return MasterPublicKey.decode(CURVE, Base64.getDecoder().decode(o.getString("publicKey")));
    }

    /** A registered patient: its id, device secret and KGC answer. */
    record Patient(String id, byte[] bP, JsonObject issued) {
        RegistrationResponse response() throws ProtocolException {
            return RegistrationResponse.fromFields(CURVE, Base64.getDecoder().decode(issued.getString("rP1")),
                    Base64.getDecoder().decode(issued.getString("sP")));
        }

        /** eq. 4 on the device, against {@code pk}. */
        void verifyUnder(MasterPublicKey pk) throws ProtocolException {
            new PatientDevice(Environment.of(CURVE, Clock.systemUTC(), RANDOM), pk, id, SecretBytes.copyOf(bP))
                    .acceptRegistration(response());
        }
    }

    private static Patient register(SecondServer server, String token, String id) {
        byte[] bP = KgcRegistrationIT.biometric();
        HttpResponse<String> r = post(server, "/kgc/registrations/patients", token, KgcRegistrationIT.body(id, bP));
        assertEquals(201, r.statusCode(), r.body());
        return new Patient(id, bP, Http.json(r));
    }

    @Test
    void anOperatorRotatesTheMasterKeyAndOlderRegistrationsStayVerifiable() throws Exception {
        try (SecondServer server = SecondServer.prepare("servers-kgc-rotation")) {
            server.start();
            String op = Tokens.forUser("kgc-operator");
            JsonObject before = Http.json(get(server, "/kgc/public-key", null));
            String keyA = before.getString("keyId");
            MasterPublicKey pkA = pk(before);
            assertEquals(1, before.getJsonArray("keys").size());
            assertEquals("current", before.getJsonArray("keys").getJsonObject(0).getString("state"));

            Patient first = register(server, op, "p-rot-1");
            assertEquals(keyA, first.issued().getString("kgcKeyId"));

            // only a kgc-operator rotates
            assertEquals(401, post(server, "/kgc/keys/master/rotation", null, "").statusCode());
            HttpResponse<String> refused = post(server, "/kgc/keys/master/rotation", Tokens.forUser("patient"), "");
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals(keyA, Http.json(get(server, "/kgc/public-key", null)).getString("keyId"), "a refused rotation changes nothing");

            long sizeBefore = treeSize(server);
            HttpResponse<String> rotated = post(server, "/kgc/keys/master/rotation", op, "");
            assertEquals(201, rotated.statusCode(), rotated.body());
            JsonObject rot = Http.json(rotated);
            String keyB = rot.getString("keyId");
            assertEquals(keyA, rot.getString("previousKeyId"));
            assertNotEquals(keyA, keyB);
            assertEquals(2, rot.getInt("generation"));
            long logIndex = rot.getJsonNumber("logIndex").longValue();
            assertTrue(logIndex >= sizeBefore && treeSize(server) > logIndex, "the rotation is a ledger entry");

            JsonObject after = Http.json(get(server, "/kgc/public-key", null));
            assertEquals(keyB, after.getString("keyId"), "the new key id is current");
            MasterPublicKey pkB = pk(after);
            JsonArray keys = after.getJsonArray("keys");
            assertEquals(2, keys.size());
            assertEquals(keyA, keys.getJsonObject(0).getString("keyId"));
            assertEquals("verification only", keys.getJsonObject(0).getString("state"));
            assertEquals(pkA, pk(keys.getJsonObject(0)), "the older PK stays published");
            assertEquals(keyB, keys.getJsonObject(1).getString("keyId"));
            assertEquals("current", keys.getJsonObject(1).getString("state"));
            assertEquals(keyB, Http.json(get(server, "/emr-auth/trust", op)).getString("kgcKeyId"),
                    "the public cloud's trust material names the current key id");

            // new registrations are issued under the new key; the older one stays listed under its key id
            Patient second = register(server, op, "p-rot-2");
            assertEquals(keyB, second.issued().getString("kgcKeyId"));
            assertDoesNotThrow(() -> second.verifyUnder(pkB));
            assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> second.verifyUnder(pkA)).reason());
            String auditor = Tokens.forUser("auditor");
            assertEquals(keyA, Http.json(get(server, "/kgc/registrations/patients/p-rot-1", auditor)).getString("kgcKeyId"));
            assertEquals(keyB, Http.json(get(server, "/kgc/registrations/patients/p-rot-2", auditor)).getString("kgcKeyId"));
            assertDoesNotThrow(() -> first.verifyUnder(pkA), "a partial key issued before the rotation verifies under its key id");
            assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class, () -> first.verifyUnder(pkB)).reason());

            // a restart: the node verifies its chain (the rotation entry included) on open; the new key stays current
            server.kill9();
            server.start();
            JsonObject restarted = Http.json(get(server, "/kgc/public-key", null));
            assertEquals(keyB, restarted.getString("keyId"));
            assertEquals(2, restarted.getJsonArray("keys").size());
            String op2 = Tokens.forUser("kgc-operator");
            JsonObject next = Http.json(post(server, "/kgc/keys/master/rotation", op2, ""));
            assertEquals(keyB, next.getString("previousKeyId"), "the next rotation continues the chain");
            assertEquals(3, next.getInt("generation"));
            assertEquals(next.getString("keyId"), register(server, op2, "p-rot-3").issued().getString("kgcKeyId"));
        }
    }

    /** The ledger's size (0 while it is empty: the tree head is a 404 EMPTY_LEDGER then). */
    private static long treeSize(SecondServer server) {
        HttpResponse<String> r = get(server, "/ledger/tree-head", null);
        if (r.statusCode() == 404 && r.body().contains("EMPTY_LEDGER")) {
            return 0;
        }
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getJsonNumber("treeSize").longValue();
    }
}
