package org.medledger.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keycloak's admin REST API as the test Keycloak's bootstrap administrator (master realm): what
 * hospital IT does by hand — the demo overlay, a user with a role, a password set by mistake.
 */
final class KeycloakAdmin {

    static final String ADMIN_PASSWORD = "it-admin-password";
    private static final String REALM = "/admin/realms/medledger";

    private KeycloakAdmin() {
    }

    static String token() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.keycloak()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password="
                        + URLEncoder.encode(ADMIN_PASSWORD, StandardCharsets.UTF_8))));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("admin login failed: " + r.statusCode() + " " + r.body());
        }
        return Http.json(r).getString("access_token");
    }

    static HttpResponse<String> send(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItConfig.keycloak() + REALM + path))
                .header("Authorization", "Bearer " + token());
        if (jsonBody == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return Http.send(b);
    }

    /** The demo overlay ({@code medledger-demo-users.json}), as {@code bin/run} applies it. */
    static void applyDemoOverlay() {
        try {
            String overlay = Files.readString(Path.of(ItConfig.require("medledger.it.realm.demo")));
            HttpResponse<String> r = send("POST", "/partialImport", overlay);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("demo overlay refused: " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the demo overlay", e);
        }
    }

    static JsonObject realm() {
        HttpResponse<String> r = send("GET", "", null);
        require(r, 200);
        return Http.json(r);
    }

    static String userId(String username) {
        HttpResponse<String> r = send("GET", "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8), null);
        require(r, 200);
        JsonArray a = Json.createReader(new java.io.StringReader(r.body())).readArray();
        if (a.isEmpty()) {
            throw new IllegalStateException("no user " + username);
        }
        return a.getJsonObject(0).getString("id");
    }

    /** Creates an enabled user holding {@code realmRole} (no credential). */
    static String createUser(String username, String realmRole) {
        HttpResponse<String> r = send("POST", "/users", Json.createObjectBuilder().add("username", username)
                .add("enabled", true).add("firstName", username).add("lastName", "Test")
                .add("email", username + "@medledger.example").add("emailVerified", true).build().toString());
        require(r, 201);
        String id = userId(username);
        HttpResponse<String> role = send("GET", "/roles/" + realmRole, null);
        require(role, 200);
        require(send("POST", "/users/" + id + "/role-mappings/realm", "[" + role.body() + "]"), 204);
        return id;
    }

    static void setPassword(String username, String password) {
        require(send("PUT", "/users/" + userId(username) + "/reset-password", Json.createObjectBuilder()
                .add("type", "password").add("value", password).add("temporary", false).build().toString()), 204);
    }

    private static void require(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("Keycloak admin API: " + r.statusCode() + " " + r.body());
        }
    }
}
