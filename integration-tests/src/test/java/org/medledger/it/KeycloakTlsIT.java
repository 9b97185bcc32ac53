package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.medledger.client.InstallationTrust;

/**
 * Keycloak is reached over HTTPS only, by everyone: none of its ports answers plain HTTP with anything of a
 * realm (only its loopback management port speaks plain HTTP: health), and the test server's OpenID Connect
 * client (configure-oidc.cli: provider URL on Keycloak's https address, ssl-required=all, the
 * installation's TLS authority as its only trust) still checks API tokens and logs portal users in —
 * which it could not if it went back to a plain-HTTP provider URL. The realm command trusts exactly the
 * authority it is given.
 */
class KeycloakTlsIT extends DeployedServer {

    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*\\bid=\"kc-form-login\"[^>]*>");
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]+)\"");

    private static HttpClient plainHttp() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void noPortOfKeycloakAnswersPlainHttpButItsLoopbackHealthPort() throws Exception {
        int https = ItConfig.keycloakHttpsPort();
        int management = ItConfig.keycloakManagementPort();
        Map<Integer, String> listening = KeycloakServer.listeningPorts();
        assertTrue(listening.containsKey(https) && listening.containsKey(management), "Keycloak listens on " + listening);
        // No port of Keycloak's other than the management port answers plain HTTP with anything of a realm: no
        // discovery document, no token (Keycloak may hold other, non-HTTP listeners of its own).
        for (int port : listening.keySet()) {
            String base = "http://127.0.0.1:" + port;
            try {
                HttpResponse<String> discovery = plainHttp().send(HttpRequest.newBuilder(
                                URI.create(base + "/realms/medledger/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertNotEquals(200, discovery.statusCode(), port + ": " + discovery.body());
                assertFalse(discovery.body().contains("token_endpoint"), port + ": " + discovery.body());
                HttpResponse<String> token = plainHttp().send(HttpRequest.newBuilder(
                                URI.create(base + "/realms/medledger/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "grant_type=password&client_id=medledger-cli&username=patient&password=patient-demo"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertNotEquals(200, token.statusCode(), port + ": " + token.body());
                assertFalse(token.body().contains("access_token"), port + ": " + token.body());
            } catch (IOException notHttp) {
                // a TLS listener or a non-HTTP server drops the plaintext request: no plain-HTTP path
                assertNotEquals(management, port, "the management port must answer plain HTTP: " + notHttp);
            }
        }
        // The management port is Keycloak's one plain-HTTP listener: health, on loopback.
        assertEquals(200, plainHttp().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/health/ready"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void theServerChecksTokensAndLogsPortalUsersInThroughKeycloaksHttpsAddress() throws Exception {
        Path serverLog = Path.of(ItConfig.require("medledger.it.server.log"));
        long logFrom = Files.size(serverLog);
        String realm = ItConfig.keycloakHttps() + "/realms/medledger";

        // A bearer token issued at the https address: the server checks its signature with the keys it fetched
        // from Keycloak over HTTPS (the same call without a token is 401).
        String auditor = Tokens.forUser("auditor");
        assertEquals(realm, claims(auditor).getString("iss"));
        String memberPath = "/ledger/members/no-such-member-" + System.nanoTime();
        assertEquals(401, Http.get(memberPath, null).statusCode());
        HttpResponse<String> member = Http.get(memberPath, auditor);
        assertEquals(200, member.statusCode(), member.body());
        // The server's own calls to Keycloak (readiness) go over HTTPS too.
        HttpResponse<String> health = Http.get("/health", null);
        assertTrue(health.body().contains("\"keycloak\""), health.body());
        assertTrue(Http.json(health).getJsonArray("checks").stream().map(v -> v.asJsonObject())
                .anyMatch(c -> "keycloak".equals(c.getString("name")) && "UP".equals(c.getString("status"))), health.body());

        // A portal login (authorization-code flow): the server exchanges the code at Keycloak's token endpoint
        // over HTTPS, trusting the installation's authority through its own trust store.
        HttpClient browser = HttpClient.newBuilder().sslContext(InstallationTrust.context(ItConfig.tlsCa()))
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(URI.create(ItConfig.portal())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        assertTrue(loginPage.uri().toString().startsWith(realm + "/"), "the portal sends the browser to Keycloak's https address: "
                + loginPage.uri());
        Matcher form = LOGIN_FORM.matcher(loginPage.body());
        assertTrue(form.find(), loginPage.body());
        Matcher action = ACTION.matcher(form.group());
        assertTrue(action.find(), form.group());
        URI post = loginPage.uri().resolve(action.group(1).replace("&amp;", "&"));
        HttpResponse<String> portal = browser.send(HttpRequest.newBuilder(post)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=patient&password=" + URLEncoder.encode("patient-demo",
                        StandardCharsets.UTF_8) + "&credentialId=")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, portal.statusCode(), portal.uri() + "\n" + portal.body());
        assertTrue(portal.uri().toString().startsWith(ItConfig.server() + "/portal/"), portal.uri().toString());
        assertTrue(portal.body().contains("signed-in-user"), portal.body());

        String logged = Files.readString(serverLog).substring((int) Math.min(logFrom, Files.size(serverLog)));
        for (String failure : new String[] {"ELY23010", "PKIX", "SSLHandshakeException"}) {
            assertFalse(logged.contains(failure), "a call to Keycloak failed: " + failure + "\n" + logged);
        }
    }

    @Test
    void theRealmCommandTrustsExactlyTheAuthorityItIsGiven() {
        Path realmFile = Path.of(ItConfig.require("medledger.it.realm"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // the medical authority did not issue Keycloak's certificate: the handshake is refused, nothing is applied
        int wrong = KeycloakServer.realmCommand(realmFile, ItPki.caPem(), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(4, wrong, out + "\n" + err);
        assertFalse(out.toString().contains("realm "), out.toString());
        out.reset();
        err.reset();
        int right = KeycloakServer.realmCommand(realmFile, ItConfig.tlsCa(), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, right, err.toString());
        assertTrue(out.toString().startsWith("realm "), out.toString());
    }

    private static JsonObject claims(String jwt) {
        return Json.createReader(new StringReader(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                StandardCharsets.UTF_8))).readObject();
    }
}
