package org.medledger.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Users of the tests' own, created in the test Keycloak through its admin API, so browser
 * journeys never share an identity (and its one-time registration) with other tests.
 */
final class KeycloakUsers {

    private KeycloakUsers() {
    }

    /**
     * Creates {@code username} with realm role {@code role} unless it exists; a password
     * {@code username + "-demo"} unless {@code withPassword} is false (doctors log in by certificate).
     */
    static synchronized void ensure(String username, String role, boolean withPassword) {
        String admin = adminToken();
        String base = ItConfig.keycloak() + "/admin/realms/medledger";
        HttpResponse<String> found = Http.send(HttpRequest.newBuilder(URI.create(base + "/users?exact=true&username="
                + URLEncoder.encode(username, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + admin).GET());
        if (!array(found.body()).isEmpty()) {
            return;
        }
        var user = Json.createObjectBuilder().add("username", username).add("enabled", true)
                .add("firstName", username).add("lastName", "Test").add("email", username + "@medledger.test")
                .add("emailVerified", true);
        if (withPassword) {
            user.add("credentials", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "password")
                    .add("value", username + "-demo").add("temporary", false)));
        }
        HttpResponse<String> created = Http.send(HttpRequest.newBuilder(URI.create(base + "/users"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(user.build().toString())));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("cannot create " + username + ": " + created.statusCode() + " " + created.body());
        }
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<String> roleJson = Http.send(HttpRequest.newBuilder(URI.create(base + "/roles/" + role))
                .header("Authorization", "Bearer " + admin).GET());
        HttpResponse<String> mapped = Http.send(HttpRequest.newBuilder(URI.create(base + "/users/" + id
                        + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + roleJson.body() + "]")));
        if (mapped.statusCode() != 204) {
            throw new IllegalStateException("cannot give " + username + " role " + role + ": " + mapped.body());
        }
    }

    private static String adminToken() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.keycloak()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&client_id=admin-cli&username=admin&password=it-admin-password")));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak admin login failed: " + r.statusCode());
        }
        return Http.json(r).getString("access_token");
    }

    private static JsonArray array(String body) {
        return Json.createReader(new StringReader(body)).readArray();
    }

    @SuppressWarnings("unused")
    private static JsonObject object(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
