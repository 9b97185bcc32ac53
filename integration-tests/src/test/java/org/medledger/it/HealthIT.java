package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Readiness and liveness as a load balancer or an orchestrator reads them: WildFly's management
 * interface ({@code /health/ready}, {@code /health/live}, configure-health.cli) and
 * {@code GET /api/health}. Ready needs the database, the ledger node and Keycloak; an unreachable
 * Keycloak (its process frozen: connections accepted, nothing answered) makes the server not ready
 * while it stays live. The closed ledger node is shown by {@link LedgerForkIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthIT extends DeployedServer {

    static HttpResponse<String> management(String path) {
        return Http.send(HttpRequest.newBuilder(URI.create(ItConfig.management() + path)).GET());
    }

    /** name -> status of the checks in a MicroProfile Health answer. */
    static Map<String, String> checks(HttpResponse<String> r) {
        return Http.json(r).getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(o -> o.getString("name"), o -> o.getString("status")));
    }

    /** The application's checks are there with these statuses (WildFly adds its own server checks beside them). */
    static void assertChecks(Map<String, String> expected, HttpResponse<String> r) {
        Map<String, String> all = checks(r);
        expected.forEach((name, status) -> assertEquals(status, all.get(name), name + " in " + r.body()));
    }

    /** Asserts that readiness answers {@code status} with check {@code name} in {@code checkStatus}. */
    static void assertReadiness(int status, String name, String checkStatus) {
        HttpResponse<String> r = management("/health/ready");
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(checkStatus, checks(r).get(name), r.body());
    }

    /** Polls readiness until it answers as {@link #assertReadiness} expects, then asserts it once more. */
    static void awaitReadiness(int status, String name, String checkStatus, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = management("/health/ready");
            if (r.statusCode() == status && checkStatus.equals(checks(r).get(name))) {
                break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertReadiness(status, name, checkStatus);
    }

    @Test
    @Order(1)
    void readyAndLiveWithDatabaseLedgerAndKeycloak() {
        HttpResponse<String> ready = management("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", Http.json(ready).getString("status"));
        assertChecks(Map.of("database", "UP", "ledger", "UP", "keycloak", "UP"), ready);
        String product = Http.json(ready).getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(o -> o.getString("name").equals("database")).findFirst().orElseThrow()
                .getJsonObject("data").getString("product");
        assertEquals(System.getProperty("medledger.it.database", "h2").equals("postgresql") ? "PostgreSQL" : "H2", product);

        HttpResponse<String> live = management("/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertChecks(Map.of("ledger", "UP"), live);

        HttpResponse<String> api = Http.get("/health", null);
        assertEquals(200, api.statusCode(), api.body());
        JsonObject body = Http.json(api);
        assertEquals("UP", body.getString("status"));
        assertChecks(Map.of("database", "UP", "ledger", "UP", "keycloak", "UP"), api);
        assertTrue(api.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    @Order(2)
    void anUnreachableKeycloakMakesTheServerNotReadyButStillLive() {
        KeycloakServer.freeze(true);
        try {
            HttpResponse<String> ready = management("/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("DOWN", Http.json(ready).getString("status"));
            assertChecks(Map.of("database", "UP", "ledger", "UP", "keycloak", "DOWN"), ready);
            HttpResponse<String> api = Http.get("/health", null);
            assertEquals(503, api.statusCode(), api.body());
            assertEquals("DOWN", checks(api).get("keycloak"));
            HttpResponse<String> live = management("/health/live");
            assertEquals(200, live.statusCode(), "a restart would not bring Keycloak back: " + live.body());
        } finally {
            KeycloakServer.freeze(false);
        }
        // A thawed Keycloak first works through the requests queued while it was frozen; on a
        // loaded machine its first answers can take longer than the check's 2 s timeout.
        awaitReadiness(200, "keycloak", "UP", Duration.ofSeconds(60));
    }
}
