package org.medledger.health.probe;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * The registered {@link ServerProbe}'s checks as MicroProfile Health checks, which WildFly serves on
 * the management interface at {@code /health/ready} and {@code /health/live} (configure-health.cli):
 * one check type, named instances. They are beans of the EAR's lib/ because WildFly's health
 * extension looks them up through a bean manager that sees only the deployment's top-level bean
 * archives; the probe itself runs in the EJB module. No probe registered (the application is still
 * starting or already stopping): the check is DOWN.
 */
public abstract class HealthChecks implements HealthCheck {

    private final String name;
    private final Function<ServerProbe, Check> check;

    HealthChecks(String name, Function<ServerProbe, Check> check) {
        this.name = name;
        this.check = check;
    }

    @Override
    public HealthCheckResponse call() {
        Check c = Probes.current().map(check).orElseGet(() -> Check.down(name));
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
            super("database", ServerProbe::database);
        }
    }

    /** Readiness: the ledger node is open. */
    @Readiness
    @ApplicationScoped
    public static class LedgerReady extends HealthChecks {
        public LedgerReady() {
            super("ledger", ServerProbe::ledger);
        }
    }

    /** Readiness: Keycloak's realm answers. */
    @Readiness
    @ApplicationScoped
    public static class Keycloak extends HealthChecks {
        public Keycloak() {
            super("keycloak", ServerProbe::keycloak);
        }
    }

    /** Liveness: the ledger node is open (a node stopped on a fork needs an operator, not traffic). */
    @Liveness
    @ApplicationScoped
    public static class LedgerLive extends HealthChecks {
        public LedgerLive() {
            super("ledger", ServerProbe::ledger);
        }
    }
}
