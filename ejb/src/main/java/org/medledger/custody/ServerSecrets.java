package org.medledger.custody;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

import org.medledger.platform.DomainException;

/**
 * The server's own secrets by alias (e.g. the client secret of its Keycloak service account).
 * Each call hands out a fresh copy the caller wipes after use; nothing is cached in a field.
 */
@ApplicationScoped
public class ServerSecrets {

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "keycloak-server-client-secret", "MEDLEDGER_SERVER_CLIENT_SECRET");

    /** The secret under {@code alias}; refused (503, no name of where it lives) if it is missing. */
    public char[] secret(String alias) throws DomainException {
        String variable = ENVIRONMENT.get(alias);
        String value = variable == null ? null : System.getenv(variable);
        if (value == null || value.isEmpty()) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "SERVER_SECRET_UNAVAILABLE",
                    "a server secret is not configured");
        }
        return value.toCharArray();
    }
}
