package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The API's edges on the real EAR: no or invalid token (401), unknown paths (404) and bodies over
 * the limit configured in {@code wildfly-config/configure-api-limits.cli} (413 stating it) are
 * problem+json with stable codes, never the container's HTML pages or empty answers.
 */
class ApiEdgesIT extends DeployedServer {

    static final String REGISTER = "/kgc/registrations/patients";

    /** The limit exactly as the configuration script sets it. */
    static long configuredLimit() throws IOException {
        String cli = Files.readString(Path.of(ItConfig.require("medledger.it.api.limits")));
        Matcher m = Pattern.compile("max-body-bytes:add\\(value=(\\d+)\\)").matcher(cli);
        assertTrue(m.find(), "configure-api-limits.cli sets the limit");
        return Long.parseLong(m.group(1));
    }

    /** A syntactically valid JSON object of exactly {@code size} bytes (one unknown member). */
    static String jsonOfSize(long size) {
        String head = "{\"padding\":\"";
        String tail = "\"}";
        return head + "x".repeat((int) (size - head.length() - tail.length())) + tail;
    }

    @Test
    void noTokenIsProblem401WithBearerChallenge() {
        HttpResponse<String> r = Http.get("/ledger/members/someone", null);
        KgcRegistrationIT.assertProblem(r, 401, "UNAUTHENTICATED");
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), r.headers().toString());
    }

    @Test
    void invalidTokenIsProblem401() {
        KgcRegistrationIT.assertProblem(Http.get("/ledger/members/someone", "not.a.token"), 401, "UNAUTHENTICATED");
        String t = Tokens.forUser("auditor");
        String forged = t.substring(0, t.length() - 3) + (t.charAt(t.length() - 3) == 'A' ? 'B' : 'A')
                + t.substring(t.length() - 2);
        KgcRegistrationIT.assertProblem(Http.get("/ledger/members/someone", forged), 401, "UNAUTHENTICATED");
    }

    @Test
    void unknownPathIsProblem404() {
        KgcRegistrationIT.assertProblem(Http.get("/no/such/resource", Tokens.forUser("auditor")), 404, "NOT_FOUND");
        // without a token the path is not even looked up
        KgcRegistrationIT.assertProblem(Http.get("/no/such/resource", null), 401, "UNAUTHENTICATED");
    }

    @Test
    void bodyOverTheConfiguredLimitIsProblem413StatingIt() throws IOException {
        long limit = configuredLimit();
        HttpResponse<String> r = Http.postJson(REGISTER, Tokens.forUser("kgc-operator"), jsonOfSize(limit + 1));
        KgcRegistrationIT.assertProblem(r, 413, "BODY_TOO_LARGE");
        assertEquals(limit, Http.json(r).getJsonNumber("maxBodyBytes").longValue());
        assertTrue(Http.json(r).getString("detail").contains(Long.toString(limit)), r.body());
    }

    @Test
    void chunkedBodyOverTheLimitIsProblem413() throws IOException {
        long limit = configuredLimit();
        byte[] body = jsonOfSize(limit + 100).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItConfig.api() + REGISTER))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Tokens.forUser("kgc-operator"))
                // unknown length: sent chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        KgcRegistrationIT.assertProblem(Http.send(b.version(java.net.http.HttpClient.Version.HTTP_1_1)), 413,
                "BODY_TOO_LARGE");
    }

    @Test
    void bodyAtTheLimitReachesTheResource() throws IOException {
        long limit = configuredLimit();
        // passes the edge; the resource's strict parsing then names the unknown member
        HttpResponse<String> r = Http.postJson(REGISTER, Tokens.forUser("kgc-operator"), jsonOfSize(limit));
        KgcRegistrationIT.assertProblem(r, 400, "UNKNOWN_FIELD");
        String small = Json.createObjectBuilder().add("padding", "x").build().toString();
        byte[] chunked = small.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItConfig.api() + REGISTER))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + Tokens.forUser("kgc-operator"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked)));
        KgcRegistrationIT.assertProblem(Http.send(b.version(java.net.http.HttpClient.Version.HTTP_1_1)), 400,
                "UNKNOWN_FIELD");
    }
}
