package org.medledger.client;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Logs a device user in to the MedLedger realm with the OAuth 2.0 password grant
 * (Keycloak "direct access grant") on the public client {@code medledger-cli}.
 */
public final class KeycloakLogin {

    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String clientId;

    public KeycloakLogin(HttpClient http, URI keycloakBase, String realm, String clientId) {
        this.http = Objects.requireNonNull(http, "HTTP client is required.");
        String base = keycloakBase.toString().replaceAll("/+$", "");
        this.tokenEndpoint = URI.create(base + "/realms/" + realm + "/protocol/openid-connect/token");
        this.clientId = Objects.requireNonNull(clientId, "Client id is required.");
    }

    /** Returns the access token for {@code username}; the password array is wiped afterwards. */
    public String accessToken(String username, char[] password) throws IOException, InterruptedException, ApiProblem {
        String form = "grant_type=password"
                + "&client_id=" + enc(clientId)
                + "&username=" + enc(username)
                + "&password=" + enc(new String(password));
        java.util.Arrays.fill(password, '\0');
        HttpRequest req = HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonObject body = Json2.parseObject(res.body());
        if (res.statusCode() != 200 || body == null || !body.containsKey("access_token")) {
            String error = body != null && body.containsKey("error") ? body.getString("error") : "login_failed";
            String description = body != null && body.containsKey("error_description")
                    ? body.getString("error_description") : "HTTP " + res.statusCode();
            throw new ApiProblem(res.statusCode(), error.toUpperCase(java.util.Locale.ROOT), description);
        }
        return body.getString("access_token");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
