package org.medledger.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Real access tokens from the test Keycloak (password grant). */
final class Tokens {

    private Tokens() {
    }

    /** A token for a demo user through the device client (audience medledger-api). */
    static String forUser(String username) {
        return forUser(username, "medledger-cli");
    }

    /** A token through {@code clientId}; Keycloak's built-in {@code admin-cli} gives one without our audience. */
    static String forUser(String username, String clientId) {
        String form = "grant_type=password&client_id=" + enc(clientId) + "&username=" + enc(username)
                + "&password=" + enc(username + "-demo");
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(ItConfig.keycloak() + "/realms/medledger/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login of " + username + " failed: " + r.statusCode() + " " + r.body());
            }
            JsonObject o = Json.createReader(new StringReader(r.body())).readObject();
            return o.getString("access_token");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("Keycloak unreachable", e);
        }
    }

    /** The raw answer of Keycloak's token endpoint (HTTPS, the test installation's authority trusted) to a form. */
    static HttpResponse<String> tokenEndpoint(String form) {
        return Http.send(HttpRequest.newBuilder(
                        URI.create(ItConfig.keycloak() + "/realms/medledger/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A password grant with explicit credentials and optional extra form fields. */
    static HttpResponse<String> passwordGrant(String clientId, String username, String password, String extra) {
        return tokenEndpoint("grant_type=password&client_id=" + enc(clientId) + "&username=" + enc(username)
                + "&password=" + enc(password) + (extra == null ? "" : "&" + extra));
    }

    /** A refresh-token grant of a public client. */
    static HttpResponse<String> refresh(String clientId, String refreshToken) {
        return tokenEndpoint("grant_type=refresh_token&client_id=" + enc(clientId) + "&refresh_token=" + enc(refreshToken));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
