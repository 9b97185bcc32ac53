package org.medledger.api.abe;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * A data consumer's ABE-CHAIN attributes, from its Keycloak realm roles only, never from a request
 * field: the role {@code insurer} or {@code researcher} itself, and {@code x} for each realm role
 * {@code abe-x} (e.g. {@code abe-claims} gives {@code claims}). The role names are read from the
 * bearer token the container has already verified, and each counts only if the container also
 * says the caller is in that role.
 */
final class AbeAttributes {

    static final Set<String> CONSUMER_ROLES = Set.of("insurer", "researcher");
    static final String PREFIX = "abe-";

    private AbeAttributes() {
    }

    static Set<String> of(HttpHeaders headers, SecurityContext security) {
        Set<String> out = new TreeSet<>();
        for (String role : tokenRoles(headers)) {
            if (!security.isUserInRole(role)) {
                continue;
            }
            if (CONSUMER_ROLES.contains(role)) {
                out.add(role);
            } else if (role.startsWith(PREFIX) && role.length() > PREFIX.length()) {
                out.add(role.substring(PREFIX.length()));
            }
        }
        return out;
    }

    private static Set<String> tokenRoles(HttpHeaders headers) {
        Set<String> roles = new TreeSet<>();
        String auth = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return roles;
        }
        String[] parts = auth.substring(7).trim().split("\\.");
        if (parts.length != 3) {
            return roles;
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            JsonObject claims = Json.createReader(new StringReader(payload)).readObject();
            JsonValue realm = claims.get("realm_access");
            if (realm instanceof JsonObject r && r.get("roles") instanceof JsonArray a) {
                for (JsonValue v : a) {
                    if (v instanceof JsonString s) {
                        roles.add(s.getString());
                    }
                }
            }
        } catch (RuntimeException e) {
            // not a readable token: no attributes (the container already refused an invalid one)
        }
        return roles;
    }
}
