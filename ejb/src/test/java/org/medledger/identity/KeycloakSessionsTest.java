package org.medledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.custody.ServerSecrets;
import org.medledger.platform.DomainException;

/**
 * Ending a doctor's sessions against a stand-in for Keycloak's token endpoint and admin API: the
 * client-credentials grant, the exact-name lookup, the logout of that user only; and a refusal
 * (nothing half-done) whenever Keycloak does not answer as expected.
 */
class KeycloakSessionsTest {

    private HttpServer server;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile int tokenStatus = 200;
    private volatile int logoutStatus = 204;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/medledger/protocol/openid-connect/token", x -> {
            String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add("token " + form);
            reply(x, tokenStatus, "{\"access_token\":\"service-token\"}");
        });
        server.createContext("/admin/realms/medledger/users", x -> {
            String path = x.getRequestURI().getRawPath();
            calls.add(x.getRequestMethod() + " " + path + (x.getRequestURI().getRawQuery() == null ? ""
                    : "?" + x.getRequestURI().getRawQuery()) + " " + x.getRequestHeaders().getFirst("Authorization"));
            if (x.getRequestMethod().equals("GET")) {
                // Keycloak's lookup may return near matches; only the exact user is logged out
                reply(x, 200, "[{\"id\":\"u-1\",\"username\":\"dr.alice\"},{\"id\":\"u-2\",\"username\":\"dr.alice2\"}]");
            } else {
                reply(x, logoutStatus, "");
            }
        });
        server.start();
        System.setProperty(KeycloakSessions.REALM_URL, "http://127.0.0.1:" + server.getAddress().getPort()
                + "/realms/medledger");
    }

    private static void reply(com.sun.net.httpserver.HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            x.getResponseBody().write(b);
        }
        x.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty(KeycloakSessions.REALM_URL);
    }

    private static KeycloakSessions sessions() {
        KeycloakSessions s = new KeycloakSessions();
        s.secrets = new ServerSecrets() {
            @Override
            public char[] secret(String alias) {
                return "the-client-secret".toCharArray();
            }
        };
        return s;
    }

    @Test
    void endsTheSessionsOfExactlyThatUser() throws Exception {
        sessions().endSessions("dr.alice");
        assertTrue(calls.get(0).startsWith("token grant_type=client_credentials&client_id=medledger-server&client_secret="
                + "the-client-secret"), calls.get(0));
        assertEquals("GET /admin/realms/medledger/users?exact=true&username=dr.alice Bearer service-token", calls.get(1));
        assertEquals("POST /admin/realms/medledger/users/u-1/logout Bearer service-token", calls.get(2));
        assertEquals(3, calls.size(), calls.toString());
    }

    @Test
    void refusedClientCredentialsRefuseTheRevocation() {
        tokenStatus = 401;
        DomainException e = assertThrows(DomainException.class, () -> sessions().endSessions("dr.alice"));
        assertEquals("IDENTITY_PROVIDER_UNAVAILABLE", e.code());
        assertEquals(1, calls.size(), "nothing after the refused token request");
        assertFalse(e.getMessage().contains("medledger-server") || e.getMessage().contains("127.0.0.1"), e.getMessage());
    }

    @Test
    void aFailedLogoutRefusesTheRevocation() {
        logoutStatus = 403;
        DomainException e = assertThrows(DomainException.class, () -> sessions().endSessions("dr.alice"));
        assertEquals("IDENTITY_PROVIDER_UNAVAILABLE", e.code());
    }

    @Test
    void anUnreachableIdentityProviderRefusesTheRevocation() {
        server.stop(0);
        assertEquals("IDENTITY_PROVIDER_UNAVAILABLE",
                assertThrows(DomainException.class, () -> sessions().endSessions("dr.alice")).code());
    }
}
