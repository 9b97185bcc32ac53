package org.medledger.health.probe;

import java.util.List;

/**
 * What this server needs to serve requests, one check each: the database, the ledger node and
 * Keycloak. Implemented by the EJB module (org.medledger.health.ServerHealth), which registers it
 * with {@link Probes} when the application starts.
 */
public interface ServerProbe {

    Check database();

    Check ledger();

    Check keycloak();

    /** Ready: all three answer. */
    default List<Check> readiness() {
        return List.of(database(), ledger(), keycloak());
    }

    /** Live: the ledger node is open (a node stopped on a fork needs an operator, not traffic). */
    default List<Check> liveness() {
        return List.of(ledger());
    }
}
