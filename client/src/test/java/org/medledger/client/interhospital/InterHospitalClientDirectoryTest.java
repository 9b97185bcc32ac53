package org.medledger.client.interhospital;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.client.CachingDirectory;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyDirectory;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.InterHospitalRoles;
import org.medledger.protocol.interhospital.RegistrationGrant;
import org.medledger.protocol.interhospital.RegistrationRequest;

/**
 * The SDK's directory for a long-lived device, against a stub server: a 404 or a server error is
 * not kept, and a hospital's entry re-certified by a renewal reaches the same directory object.
 */
class InterHospitalClientDirectoryTest {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final SecureRandom RANDOM = new SecureRandom();
    static final String HOSPITAL = "/api/inter-hospital/directory/hospital/hpa";

    record Answer(int status, String body) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final KeyCertifier certifier = new KeyCertifier(SigningKey.generate(CURVE, RANDOM), Clock.systemUTC(), Duration.ofDays(1));
    private final BlockchainCenter center = new BlockchainCenter(Environment.of(CURVE, Clock.systemUTC(), RANDOM),
            MasterSecret.generate(CURVE, RANDOM), certifier);
    private final PartyKeys hospitalKeys = PartyKeys.generate(CURVE, RANDOM);
    private Instant now = Instant.now().plusSeconds(60);
    private final InstantSource clock = () -> now;
    private HttpServer server;
    private URI api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::answer);
        server.start();
        api = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        reads.incrementAndGet();
        Answer a = answers.getOrDefault(ex.getRequestURI().getPath(), new Answer(404, "{\"code\":\"NOT_REGISTERED\",\"detail\":\"no\"}"));
        byte[] b = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", a.status() == 200 ? "application/json" : "application/problem+json");
        ex.sendResponseHeaders(a.status(), b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private void serve(String path, DirectoryEntry e) {
        answers.put(path, new Answer(200, "{\"entry\":\"" + Base64.getEncoder().encodeToString(e.encode()) + "\"}"));
    }

    private void fail(String path, int status) {
        answers.put(path, new Answer(status, "{\"code\":\"HTTP_" + status + "\",\"detail\":\"down\"}"));
    }

    /** Hospital hpa registered (again, as a renewal does): a fresh {@code (R_H, S_H)}, its entry certified with the new {@code R_H}. */
    private RegistrationGrant registerHospital() {
        return center.register(new RegistrationRequest("hpa", InterHospitalRoles.HOSPITAL, "hospital hpa",
                hospitalKeys.signingPublic(), hospitalKeys.kemPublic())).grant();
    }

    private InterHospitalClient client() {
        return new InterHospitalClient(HttpClient.newHttpClient(), api, CURVE);
    }

    private static Optional<DirectoryEntry> hospital(PartyDirectory d) {
        return d.find(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, "hpa");
    }

    @Test
    void notRegisteredAndServerErrorsAreNotKept() {
        PartyDirectory directory = client().directory(() -> "t0ken", clock);
        assertEquals(Optional.empty(), hospital(directory), "404");
        fail(HOSPITAL, 503);
        assertEquals(Optional.empty(), hospital(directory), "503");
        // the hospital registers: the same directory, at the same moment, reads it
        DirectoryEntry entry = registerHospital().entry();
        serve(HOSPITAL, entry);
        assertEquals(Optional.of(entry), hospital(directory));
        assertEquals(3, reads.get(), "every lookup without an entry asked the server");
        assertEquals(Optional.of(entry), hospital(directory));
        assertEquals(3, reads.get(), "an entry read is kept");
    }

    @Test
    void aRenewedHospitalEntryReachesTheSameLongLivedDirectory() throws Exception {
        PartyDirectory directory = client().directory(() -> "t0ken", clock);
        TrustContext trust = new TrustContext(center.publicKey(), certifier.verificationKey(), directory, (c, id) -> { });
        DirectoryEntry old = registerHospital().entry();
        serve(HOSPITAL, old);
        assertEquals(old, trust.resolve(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, "hpa", now.toEpochMilli()));

        // the hospital renews its partial key: the server now serves its entry with the new R_H
        RegistrationGrant renewed = registerHospital();
        serve(HOSPITAL, renewed.entry());
        now = now.plus(CachingDirectory.MAX_AGE).minusMillis(1);
        assertEquals(Optional.of(old), hospital(directory), "kept within its age");
        assertEquals(1, reads.get());
        now = now.plusMillis(1);
        DirectoryEntry next = trust.resolve(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, "hpa", now.toEpochMilli());
        assertEquals(renewed.entry(), next);
        assertEquals(renewed.rX(), next.partialKeyPoint().orElseThrow());

        // a failure keeps the last entry read (the reader still verifies it); "not registered" drops it
        now = now.plus(CachingDirectory.MAX_AGE);
        fail(HOSPITAL, 502);
        assertEquals(Optional.of(renewed.entry()), hospital(directory));
        now = now.plus(CachingDirectory.MAX_AGE);
        answers.remove(HOSPITAL);
        assertEquals(Optional.empty(), hospital(directory));
        assertEquals(4, reads.get(), "one read per expiry");
    }

    @Test
    void theEmrAuthDirectoryKeepsNoAbsenceEither() {
        String path = "/api/emr-auth/directory/doctor/dr-1";
        PartyDirectory directory = new EmrAuthClient(HttpClient.newHttpClient(), api, CURVE).directory("t0ken");
        fail(path, 500);
        assertEquals(Optional.empty(), directory.find("EMR-AUTH", "doctor", "dr-1"));
        answers.remove(path);
        assertEquals(Optional.empty(), directory.find("EMR-AUTH", "doctor", "dr-1"));
        DirectoryEntry entry = certifier.certify("EMR-AUTH", "doctor", "dr-1", hospitalKeys.signingPublic(), hospitalKeys.kemPublic(),
                Optional.empty());
        serve(path, entry);
        assertEquals(Optional.of(entry), directory.find("EMR-AUTH", "doctor", "dr-1"));
    }
}
