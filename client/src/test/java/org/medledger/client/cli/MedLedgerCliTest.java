package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.PatientRegistration;
import org.medledger.protocol.emrauth.PublicCloud;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * The CLI against an in-process stand-in for Keycloak and the KGC that computes real
 * registrations with {@link PublicCloud}, and can be told to lie.
 */
class MedLedgerCliTest {

    enum Lie { NONE, TAMPERED_S, OTHER_PUBLIC_KEY, REFUSE }

    private final CurveProfile curve = CurveProfile.p256();
    private final SecureRandom random = new SecureRandom();
    private final MasterSecret master = MasterSecret.generate(curve, random);
    private final MasterSecret other = MasterSecret.generate(curve, random);
    private HttpServer server;
    private volatile Lie lie = Lie.NONE;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/medledger/protocol/openid-connect/token",
                ex -> reply(ex, 200, "{\"access_token\":\"t0ken\"}"));
        server.createContext("/api/kgc/public-key", ex -> reply(ex, 200, Json.createObjectBuilder()
                .add("curve", "P-256").add("publicKey", b64(master.publicKey().encoded())).add("keyId", "k1")
                .build().toString()));
        server.createContext("/api/kgc/registrations/patients", this::register);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void register(HttpExchange ex) throws IOException {
        if (lie == Lie.REFUSE) {
            reply(ex, 403, "{\"code\":\"FORBIDDEN_ROLE\",\"detail\":\"no\"}");
            return;
        }
        JsonObject req = Json.createReader(ex.getRequestBody()).readObject();
        MasterSecret signer = lie == Lie.OTHER_PUBLIC_KEY ? other : master;
        PublicCloud pc = new PublicCloud(Environment.of(curve, Clock.systemUTC(), random), signer, (c, i) -> { });
        RegistrationResponse r = pc.registerPatient(new PatientRegistration(req.getString("patientId"),
                SecretBytes.copyOf(Base64.getDecoder().decode(req.getString("biometricSecret")))));
        byte[] s = r.encodedS();
        if (lie == Lie.TAMPERED_S) {
            s[s.length - 1] ^= 1;
        }
        reply(ex, 201, Json.createObjectBuilder()
                .add("patientId", req.getString("patientId")).add("curve", "P-256")
                .add("rP1", b64(r.encodedR())).add("sP", b64(s))
                .add("kgcPublicKey", b64(signer.publicKey().encoded())).add("kgcKeyId", "k1")
                .add("registeredAt", "2026-01-01T00:00:00Z").build().toString());
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return new MedLedgerCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {
                "register-patient", "--user", "patient", "--keycloak", base, "--api", base + "/api",
                "--password-env", "PATH", "--device-secret", dir.resolve("p.bp").toString()});
    }

    @Test
    void honestRegistrationIsVerifiedOnTheDevice() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Registration verified"));
    }

    @Test
    void tamperedPartialKeyIsRejectedOnTheDevice() {
        lie = Lie.TAMPERED_S;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(3, run(new ByteArrayOutputStream(), err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("BAD_PARTIAL_KEY"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void registrationUnderAnotherKgcKeyIsRejected() {
        lie = Lie.OTHER_PUBLIC_KEY;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(3, run(new ByteArrayOutputStream(), err));
    }

    @Test
    void serverRefusalIsReportedWithItsCode() {
        lie = Lie.REFUSE;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(new ByteArrayOutputStream(), err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("FORBIDDEN_ROLE"));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(1, new MedLedgerCli(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())).run(new String[] {"register-patient", "--bogus", "x"}));
    }
}
