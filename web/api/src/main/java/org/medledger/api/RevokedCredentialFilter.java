package org.medledger.api;

import jakarta.annotation.Priority;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

import org.medledger.api.problem.Problem;
import org.medledger.identity.RevokedDoctors;

/**
 * Refuses every call of a doctor whose revocation the ledger records, whatever the token's
 * remaining lifetime: Keycloak ends the doctor's sessions when the revocation is recorded, and
 * this filter closes the window of access tokens already handed out.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class RevokedCredentialFilter implements ContainerRequestFilter {

    @EJB
    RevokedDoctors revoked;

    @Override
    public void filter(ContainerRequestContext request) {
        SecurityContext security = request.getSecurityContext();
        if (security == null || security.getUserPrincipal() == null || !security.isUserInRole("doctor")) {
            return;
        }
        try {
            if (revoked.isRevoked(security.getUserPrincipal().getName())) {
                request.abortWith(new Problem(401, "CREDENTIAL_REVOKED", "Unauthorized",
                        "the medical authority revoked this doctor's certificate").toResponse());
            }
        } catch (RuntimeException e) {
            // the ledger cannot answer: fail closed
            request.abortWith(new Problem(503, "LEDGER_UNAVAILABLE", "Service unavailable",
                    "the doctor's status cannot be checked; retry later").toResponse());
        }
    }
}
