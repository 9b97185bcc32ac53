package org.medledger.it;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Extra users in the test Keycloak's {@code medledger} realm, created through Keycloak's admin
 * REST API, so that a test has parties of its own (a second doctor, a fresh patient) without
 * touching the repository's realm file. Password users get the password {@code <username>-demo}.
 */
final class KeycloakUsers {

    private KeycloakUsers() {
    }

    static void create(String username, String realmRole) {
        String admin = adminToken();
        String body = Json.createObjectBuilder().add("username", username).add("enabled", true)
                .add("firstName", "Test").add("lastName", username).add("email", username + "@it.medledger.test")
                .add("emailVerified", true)
                .add("credentials", Json.createArrayBuilder().add(Json.createObjectBuilder().add("type", "password")
                        .add("value", username + "-demo").add("temporary", false)))
                .build().toString();
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(adminBase() + "/users"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("cannot create user " + username + ": " + r.statusCode() + " " + r.body());
        }
        String location = r.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> role = Http.send(HttpRequest.newBuilder(URI.create(adminBase() + "/roles/" + realmRole))
                .header("Authorization", "Bearer " + admin).GET());
        JsonObject roleJson = Json.createReader(new StringReader(role.body())).readObject();
        JsonArray roles = Json.createArrayBuilder().add(roleJson).build();
        HttpResponse<String> m = Http.send(HttpRequest.newBuilder(URI.create(location + "/role-mappings/realm"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(roles.toString())));
        if (m.statusCode() != 204) {
            throw new IllegalStateException("cannot give " + username + " the role " + realmRole + ": " + m.body());
        }
    }

    private static String adminBase() {
        return ItConfig.keycloak() + "/admin/realms/medledger";
    }

    private static String adminToken() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.keycloak()
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&client_id=admin-cli&username=admin&password=it-admin-password")));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak admin login failed: " + r.body());
        }
        return Json.createReader(new StringReader(r.body())).readObject().getString("access_token");
    }
}
