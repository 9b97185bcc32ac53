package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.PatientDevice;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * {@code POST /api/kgc/registrations/patients} on the real EAR with real Keycloak tokens:
 * authentication, roles, strict input, and a result the device verifies (seed 000, eq. 4).
 */
class KgcRegistrationIT extends DeployedServer {

    static final String PATH = "/kgc/registrations/patients";
    static final CurveProfile CURVE = CurveProfile.p256();

    private static final SecureRandom RANDOM = new SecureRandom();

    static byte[] biometric() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    static String body(String patientId, byte[] bP) {
        return Json.createObjectBuilder().add("patientId", patientId)
                .add("biometricSecret", Base64.getEncoder().encodeToString(bP)).build().toString();
    }

    static String freshId() {
        return "p-" + UUID.randomUUID();
    }

    static void assertProblem(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        JsonObject p = Http.json(r);
        assertEquals(code, p.getString("code"));
        assertEquals(status, p.getInt("status"));
        assertFalse(r.body().contains("Exception"), "no stack traces or exception names: " + r.body());
    }

    static MasterPublicKey publicKey() throws ProtocolException {
        return publicKey(ItConfig.api());
    }

    /** The KGC master public key of the server at {@code api}. */
    static MasterPublicKey publicKey(String api) throws ProtocolException {
        HttpResponse<String> r = Http.send(java.net.http.HttpRequest.newBuilder(URI.create(api + "/kgc/public-key")).GET());
        assertEquals(200, r.statusCode());
        return MasterPublicKey.decode(CURVE, Base64.getDecoder().decode(Http.json(r).getString("publicKey")));
    }

    @Test
    void noTokenIsUnauthorized() {
        HttpResponse<String> r = Http.postJson(PATH, null, body(freshId(), biometric()));
        assertEquals(401, r.statusCode());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void tamperedTokenIsUnauthorized() {
        String t = Tokens.forUser("kgc-operator");
        char last = t.charAt(t.length() - 2);
        String forged = t.substring(0, t.length() - 2) + (last == 'A' ? 'B' : 'A') + t.charAt(t.length() - 1);
        assertEquals(401, Http.postJson(PATH, forged, body(freshId(), biometric())).statusCode());
    }

    @Test
    void tokenForAnotherAudienceIsUnauthorized() {
        // Keycloak's built-in admin-cli client issues tokens whose audience is not medledger-api.
        String t = Tokens.forUser("kgc-operator", "admin-cli");
        assertEquals(401, Http.postJson(PATH, t, body(freshId(), biometric())).statusCode());
    }

    @Test
    void wrongRoleIsForbiddenWithProblem() {
        HttpResponse<String> r = Http.postJson(PATH, Tokens.forUser("insurer"), body(freshId(), biometric()));
        assertProblem(r, 403, "FORBIDDEN_ROLE");
    }

    @Test
    void patientCannotRegisterAnotherIdentity() {
        HttpResponse<String> r = Http.postJson(PATH, Tokens.forUser("patient"), body(freshId(), biometric()));
        assertProblem(r, 403, "NOT_OWN_IDENTITY");
    }

    @Test
    void operatorRegistrationIsCreatedAndVerifiesOnTheDevice() throws ProtocolException {
        String id = freshId();
        byte[] bP = biometric();
        HttpResponse<String> r = Http.postJson(PATH, Tokens.forUser("kgc-operator"), body(id, bP));
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Location").orElse("").endsWith(PATH + "/" + id));
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"));
        JsonObject o = Http.json(r);
        MasterPublicKey pk = publicKey();
        assertEquals(Base64.getEncoder().encodeToString(pk.encoded()), o.getString("kgcPublicKey"));

        Base64.Decoder b64 = Base64.getDecoder();
        RegistrationResponse response = RegistrationResponse.fromFields(CURVE, b64.decode(o.getString("rP1")),
                b64.decode(o.getString("sP")));
        PatientDevice device = new PatientDevice(Environment.of(CURVE, Clock.systemUTC(), RANDOM), pk, id,
                SecretBytes.copyOf(bP));
        assertDoesNotThrow(() -> device.acceptRegistration(response));

        // The same answer under another device secret fails eq. 4: the KGC really bound B_P.
        PatientDevice impostor = new PatientDevice(Environment.of(CURVE, Clock.systemUTC(), RANDOM), pk, id,
                SecretBytes.copyOf(biometric()));
        ProtocolException e = assertThrows(ProtocolException.class, () -> impostor.acceptRegistration(
                RegistrationResponse.fromFields(CURVE, b64.decode(o.getString("rP1")), b64.decode(o.getString("sP")))));
        assertEquals(Reason.BAD_PARTIAL_KEY, e.reason());

        // The stored record holds R_P1 and who registered, never S_P.
        HttpResponse<String> stored = Http.get(PATH + "/" + id, Tokens.forUser("auditor"));
        assertEquals(200, stored.statusCode(), stored.body());
        assertEquals(o.getString("rP1"), Http.json(stored).getString("rP1"));
        assertEquals("kgc-operator", Http.json(stored).getString("registeredBy"));
        assertFalse(stored.body().contains(o.getString("sP")));
    }

    @Test
    void patientRegistersItsOwnIdentity() {
        HttpResponse<String> r = Http.postJson(PATH, Tokens.forUser("patient"), body("patient", biometric()));
        // The test server starts from an empty database (prepare-server.sh, MEDLEDGER_FRESH_DATA).
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("patient", Http.json(r).getString("patientId"));
        HttpResponse<String> again = Http.postJson(PATH, Tokens.forUser("patient"), body("patient", biometric()));
        assertProblem(again, 409, "ALREADY_REGISTERED");
    }

    @Test
    void malformedJsonIsABadRequestAndChangesNothing() {
        String id = freshId();
        String op = Tokens.forUser("kgc-operator");
        assertProblem(Http.postJson(PATH, op, "{\"patientId\":\"" + id + "\","), 400, "MALFORMED_JSON");
        assertProblem(Http.postJson(PATH, op, body(id, biometric()) + " {}"), 400, "MALFORMED_JSON");
        assertProblem(Http.postJson(PATH, op, "[1,2]"), 400, "MALFORMED_JSON");
        assertProblem(Http.get(PATH + "/" + id, op), 404, "NOT_REGISTERED");
    }

    @Test
    void unknownAndMissingFieldsAreRejected() {
        String op = Tokens.forUser("kgc-operator");
        assertProblem(Http.postJson(PATH, op, "{\"patientId\":\"x1\",\"biometricSecret\":\"AAAA\",\"admin\":true}"),
                400, "UNKNOWN_FIELD");
        assertProblem(Http.postJson(PATH, op, "{\"patientId\":\"x1\"}"), 400, "MISSING_FIELD");
        assertProblem(Http.postJson(PATH, op, "{\"patientId\":7,\"biometricSecret\":\"AAAA\"}"), 400, "INVALID_FIELD");
    }

    @Test
    void invalidValuesAreRejectedAndChangeNothing() {
        String op = Tokens.forUser("kgc-operator");
        String id = freshId();
        assertProblem(Http.postJson(PATH, op, "{\"patientId\":\"" + id + "\",\"biometricSecret\":\"%%%\"}"),
                400, "INVALID_BASE64");
        assertProblem(Http.postJson(PATH, op, body(id, new byte[8])), 400, "INVALID_BIOMETRIC_SECRET");
        assertProblem(Http.postJson(PATH, op, body("bad id with spaces", biometric())), 400, "INVALID_PATIENT_ID");
        assertProblem(Http.get(PATH + "/" + id, op), 404, "NOT_REGISTERED");
    }

    @Test
    void wrongMediaTypeIsAProblem() {
        HttpResponse<String> r = Http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(ItConfig.api() + PATH))
                .header("Authorization", "Bearer " + Tokens.forUser("kgc-operator"))
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hello")));
        assertProblem(r, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void publicKeyIsPublicAndAValidPoint() {
        assertDoesNotThrow(() -> publicKey());
    }

    @Test
    void locationIsNotBuiltFromTheRequestsHostHeader() throws Exception {
        String body = body(freshId(), biometric());
        String token = Tokens.forUser("kgc-operator");
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) javax.net.ssl.SSLContext.getDefault().getSocketFactory()
                .createSocket("127.0.0.1", ItConfig.httpsPort())) {
            javax.net.ssl.SSLParameters tls = socket.getSSLParameters();
            tls.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(tls);
            socket.setSoTimeout(30_000);
            byte[] payload = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String head = "POST /api" + PATH + " HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().write(payload);
            String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 201"), response);
            String location = response.lines().filter(l -> l.regionMatches(true, 0, "Location:", 0, 9)).findFirst()
                    .orElseThrow();
            assertFalse(location.contains("attacker.example"), location);
            assertTrue(location.substring(9).trim().startsWith("/api" + PATH + "/"), location);
        }
    }

    @Test
    void errorBodiesNameNoInternalConfiguration() {
        // a refused request's problem text is for people: no property names, classes or exception text
        HttpResponse<String> r = Http.postJson(PATH, Tokens.forUser("kgc-operator"), "{\"patientId\":\"x\",");
        assertFalse(r.body().contains("medledger."), r.body());
        assertFalse(r.body().matches("(?s).*[a-z]+\\.[a-z]+\\.[A-Z][A-Za-z]+.*"), "a class name in " + r.body());
    }
}
