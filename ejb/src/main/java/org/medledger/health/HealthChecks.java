package org.medledger.health;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@link ServerHealth}'s checks as MicroProfile Health checks, which WildFly serves on the management
 * interface at {@code /health/ready} and {@code /health/live} (configure-health.cli): one check type,
 * named instances.
 */
public abstract class HealthChecks implements HealthCheck {

    @Inject
    ServerHealth health;

    private final Function<ServerHealth, ServerHealth.Check> check;

    HealthChecks(Function<ServerHealth, ServerHealth.Check> check) {
        this.check = check;
    }

    @Override
    public HealthCheckResponse call() {
        ServerHealth.Check c = check.apply(health);
        HealthCheckResponseBuilder b = HealthCheckResponse.named(c.name()).status(c.up());
        c.data().forEach((k, v) -> {
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

    /** Readiness: the database answers. */
    @Readiness
    @ApplicationScoped
    public static class Database extends HealthChecks {
        public Database() {
            super(ServerHealth::database);
        }
    }

    /** Readiness: the ledger node is open. */
    @Readiness
    @ApplicationScoped
    public static class LedgerReady extends HealthChecks {
        public LedgerReady() {
            super(ServerHealth::ledger);
        }
    }

    /** Readiness: Keycloak's realm answers. */
    @Readiness
    @ApplicationScoped
    public static class Keycloak extends HealthChecks {
        public Keycloak() {
            super(ServerHealth::keycloak);
        }
    }

    /** Liveness: the ledger node is open (a node stopped on a fork needs an operator, not traffic). */
    @Liveness
    @ApplicationScoped
    public static class LedgerLive extends HealthChecks {
        public LedgerLive() {
            super(ServerHealth::ledger);
        }
    }
}
