package org.medledger.api.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** A consumer's attributes are its realm roles as the container confirms them, never anything else in the token. */
class AbeAttributesTest {

    static String token(List<String> realmRoles, String extraClaims) {
        var roles = Json.createArrayBuilder();
        realmRoles.forEach(roles::add);
        String payload = "{\"sub\":\"u\",\"realm_access\":{\"roles\":" + roles.build() + "}" + extraClaims + "}";
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return "Bearer " + b.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    static HttpHeaders headers(String authorization) {
        return (HttpHeaders) Proxy.newProxyInstance(HttpHeaders.class.getClassLoader(), new Class<?>[]{HttpHeaders.class},
                (p, m, a) -> m.getName().equals("getHeaderString") && HttpHeaders.AUTHORIZATION.equals(a[0]) ? authorization : null);
    }

    static SecurityContext inRoles(Set<String> confirmed) {
        return (SecurityContext) Proxy.newProxyInstance(SecurityContext.class.getClassLoader(), new Class<?>[]{SecurityContext.class},
                (p, m, a) -> m.getName().equals("isUserInRole") ? confirmed.contains((String) a[0]) : null);
    }

    @Test
    void consumerRolesAndAbeRolesBecomeAttributes() {
        List<String> roles = List.of("insurer", "abe-claims", "abe-underwriting", "default-roles-medledger", "offline_access");
        assertEquals(Set.of("insurer", "claims", "underwriting"),
                AbeAttributes.of(headers(token(roles, "")), inRoles(Set.copyOf(roles))));
    }

    @Test
    void otherRolesAndOtherClaimsAreNotAttributes() {
        List<String> roles = List.of("researcher", "doctor", "abe-", "kgc-operator");
        assertEquals(Set.of("researcher"), AbeAttributes.of(headers(token(roles,
                ",\"attributes\":[\"claims\"],\"resource_access\":{\"x\":{\"roles\":[\"abe-claims\"]}}")), inRoles(Set.copyOf(roles))));
    }

    @Test
    void aRoleTheContainerDoesNotConfirmCountsForNothing() {
        List<String> roles = List.of("insurer", "abe-claims");
        assertEquals(Set.of("insurer"), AbeAttributes.of(headers(token(roles, "")), inRoles(Set.of("insurer"))));
    }

    @Test
    void noOrUnreadableTokenGivesNoAttributes() {
        SecurityContext all = inRoles(Set.of("insurer", "abe-claims"));
        assertEquals(Set.of(), AbeAttributes.of(headers(null), all));
        assertEquals(Set.of(), AbeAttributes.of(headers("Basic dTpw"), all));
        assertEquals(Set.of(), AbeAttributes.of(headers("Bearer not.a-json.token"), all));
        assertEquals(Set.of(), AbeAttributes.of(headers("Bearer onlyonepart"), all));
    }
}
