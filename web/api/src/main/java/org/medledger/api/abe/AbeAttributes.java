package org.medledger.api.abe;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

import java.util.Set;

import org.medledger.abe.ConsumerAttributes;

/**
 * A data consumer's ABE-CHAIN attributes from its bearer token ({@link ConsumerAttributes}: realm
 * roles only, each confirmed by the container), never from a request field.
 */
final class AbeAttributes {

    private AbeAttributes() {
    }

    static Set<String> of(HttpHeaders headers, SecurityContext security) {
        String auth = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Set.of();
        }
        return ConsumerAttributes.of(auth.substring(7), security::isUserInRole);
    }
}
