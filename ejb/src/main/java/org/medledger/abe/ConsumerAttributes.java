package org.medledger.abe;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A data consumer's ABE-CHAIN attributes, from its Keycloak realm roles only, never from a request
 * field: the role {@code insurer} or {@code researcher} itself, and {@code x} for each realm role
 * {@code abe-x} (e.g. {@code abe-claims} gives {@code claims}). The role names are read from the
 * access token the container has already verified (the API's bearer token, the portal's session
 * token), and each counts only if the container also says the caller is in that role.
 */
public final class ConsumerAttributes {

    public static final Set<String> CONSUMER_ROLES = Set.of("insurer", "researcher");
    public static final String PREFIX = "abe-";

    private ConsumerAttributes() {
    }

    /** The attributes of a caller whose verified token is {@code jwt} and whose container roles are {@code inRole}. */
    public static Set<String> of(String jwt, Predicate<String> inRole) {
        Set<String> out = new TreeSet<>();
        for (String role : realmRoles(jwt)) {
            if (!inRole.test(role)) {
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

    /** {@code realm_access.roles} of a compact JWT (signature already checked by the container); empty if unreadable. */
    static Set<String> realmRoles(String jwt) {
        Set<String> roles = new TreeSet<>();
        if (jwt == null) {
            return roles;
        }
        String[] parts = jwt.trim().split("\\.");
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
