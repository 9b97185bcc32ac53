package org.medledger.api.health;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@link ServerHealth}'s checks as MicroProfile Health checks: WildFly serves them on the
 * management interface at {@code /health/ready} and {@code /health/live} (configure-health.cli).
 */
@ApplicationScoped
public class HealthChecks {

    @Inject
    ServerHealth health;

    @Produces
    @Readiness
    HealthCheck database() {
        return () -> response(health.database());
    }

    @Produces
    @Readiness
    HealthCheck ledgerReady() {
        return () -> response(health.ledger());
    }

    @Produces
    @Readiness
    HealthCheck keycloak() {
        return () -> response(health.keycloak());
    }

    @Produces
    @Liveness
    HealthCheck ledgerLive() {
        return () -> response(health.ledger());
    }

    static HealthCheckResponse response(ServerHealth.Check check) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(check.name()).status(check.up());
        check.data().forEach((k, v) -> {
            if (v instanceof Number n) {
                b.withData(k, n.longValue());
            } else if (v instanceof Boolean bool) {
                b.withData(k, bool);
            } else {
                b.withData(k, String.valueOf(v));
            }
        });
        return b.build();
    }

    /** For {@link HealthResource}: all checks up. */
    static boolean allUp(List<ServerHealth.Check> checks) {
        return checks.stream().allMatch(ServerHealth.Check::up);
    }
}
