package org.medledger.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import org.medledger.custody.ServerSecrets;
import org.medledger.platform.DomainException;

/**
 * Ends a user's Keycloak sessions and refresh tokens through Keycloak's admin API, as the
 * confidential client {@code medledger-server} whose service account holds only
 * {@code realm-management: view-users, manage-users}. Used when a doctor's revocation is recorded:
 * the user's sessions are removed and a not-before time is set, so no token issued earlier can be
 * refreshed. The realm URL comes from {@code configure-oidc.cli}, the client secret from the
 * server's credential store; any failure refuses (the caller retries), nothing is half-done that
 * a retry cannot finish.
 */
@ApplicationScoped
public class KeycloakSessions {

    private static final Logger LOG = Logger.getLogger(KeycloakSessions.class.getName());
    static final String REALM_URL = "medledger.keycloak.realm-url";
    static final String CLIENT_ID = "medledger-server";
    static final String SECRET_ALIAS = "keycloak-server-client-secret";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Inject
    ServerSecrets secrets;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** Ends every session of {@code username} (none if Keycloak has no such user). */
    public void endSessions(String username) throws DomainException {
        String realm = System.getProperty(REALM_URL);
        if (realm == null || realm.isBlank() || !realm.contains("/realms/")) {
            throw unavailable();
        }
        String admin = realm.replaceFirst("/realms/", "/admin/realms/");
        try {
            String token = serviceToken(realm);
            HttpResponse<String> users = http.send(HttpRequest.newBuilder(URI.create(admin + "/users?exact=true&username="
                            + URLEncoder.encode(username, StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + token).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (users.statusCode() != 200) {
                LOG.warning(() -> "Keycloak user lookup answered " + users.statusCode());
                throw unavailable();
            }
            List<String> ids = new ArrayList<>();
            JsonArray found = Json.createReader(new StringReader(users.body())).readArray();
            for (JsonValue v : found) {
                JsonObject u = v.asJsonObject();
                if (username.equals(u.getString("username", null))) {
                    ids.add(u.getString("id"));
                }
            }
            for (String id : ids) {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(admin + "/users/"
                                + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/logout"))
                        .header("Authorization", "Bearer " + token).timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 204) {
                    LOG.warning(() -> "Keycloak logout answered " + r.statusCode());
                    throw unavailable();
                }
            }
            LOG.info(() -> "Keycloak sessions of " + username + " ended (" + ids.size() + " user)");
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "Keycloak unreachable while ending sessions: " + e.getClass().getSimpleName());
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    private String serviceToken(String realm) throws IOException, InterruptedException, DomainException {
        char[] secret = secrets.secret(SECRET_ALIAS);
        String form;
        try {
            form = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret="
                    + URLEncoder.encode(new String(secret), StandardCharsets.UTF_8);
        } finally {
            java.util.Arrays.fill(secret, '\0');
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            LOG.warning(() -> "Keycloak refused the server's client credentials: " + r.statusCode());
            throw unavailable();
        }
        JsonValue t = Json.createReader(new StringReader(r.body())).readObject().get("access_token");
        if (!(t instanceof JsonString s)) {
            throw unavailable();
        }
        return s.getString();
    }

    private static DomainException unavailable() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "IDENTITY_PROVIDER_UNAVAILABLE",
                "the identity provider could not end the doctor's sessions; nothing was recorded, retry later");
    }
}
