package org.medledger.api.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.medledger.consensus.LedgerNode;

/**
 * MedLedger's metrics in WildFly's Micrometer registry, scraped at the management interface's
 * {@code /metrics} (configure-metrics.cli); names as Prometheus shows them:
 * <ul>
 * <li>{@code medledger_ledger_height} — entries in this node's ledger;</li>
 * <li>{@code medledger_ledger_append_seconds_count/_sum} — appends acknowledged since start and the
 *     time they took from submission to committed block;</li>
 * <li>{@code medledger_accesses_total{outcome="released|refused"}} — access entries on the ledger;</li>
 * <li>{@code medledger_registrations_total{role="patient|doctor|hospital"}} — KGC and hospital registrations;</li>
 * <li>{@code medledger_authentication_failures_total} — API requests refused 401 (no, invalid or expired token);</li>
 * <li>{@code medledger_problems_total{code="..."}} — every problem+json answer of the API, by reason code.</li>
 * </ul>
 * Accesses and registrations are counted in the database at each scrape, so they survive restarts
 * and agree between nodes' views of the same database. No metric carries a party or record id.
 */
@ApplicationScoped
public class ServerMetrics {

    private static final Logger LOG = Logger.getLogger(ServerMetrics.class.getName());

    @Inject
    MeterRegistry registry;

    @EJB
    LedgerNode ledger;

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource database;

    private final List<Meter> meters = new ArrayList<>();

    /** Registers the meters when the application starts (not at the first request). */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        meters.add(Gauge.builder("medledger.ledger.height", this, ServerMetrics::height)
                .description("Entries in this node's ledger").register(registry));
        meters.add(FunctionTimer.builder("medledger.ledger.append", this, m -> m.ledger.appendCount(),
                        m -> m.ledger.appendNanos(), TimeUnit.NANOSECONDS)
                .description("Ledger appends acknowledged since start: submission to committed block").register(registry));
        for (String outcome : List.of("released", "refused")) {
            meters.add(FunctionCounter.builder("medledger.accesses", this,
                            m -> m.count("SELECT COUNT(*) FROM access_entry WHERE outcome = ?", outcome))
                    .tag("outcome", outcome).description("Access entries written to the ledger").register(registry));
        }
        registration("patient", "SELECT COUNT(*) FROM kgc_patient_registration");
        registration("doctor", "SELECT COUNT(*) FROM kgc_doctor_registration");
        registration("hospital", "SELECT COUNT(*) FROM hpc_registration");
        meters.add(authenticationFailures());
    }

    private void registration(String role, String sql) {
        meters.add(FunctionCounter.builder("medledger.registrations", this, m -> m.count(sql))
                .tag("role", role).description("Registrations").register(registry));
    }

    private Counter authenticationFailures() {
        return Counter.builder("medledger.authentication.failures")
                .description("API requests refused for a missing, invalid or expired token").register(registry);
    }

    /** Counts one problem answer of the API ({@code code} is its reason code). */
    public void problem(int status, String code) {
        Counter.builder("medledger.problems").tag("code", code).description("Problem answers of the API by reason code")
                .register(registry).increment();
        if (status == 401) {
            authenticationFailures().increment();
        }
    }

    private double height() {
        try {
            return ledger.size();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double count(String sql, String... params) {
        try (Connection c = database.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "metric query failed", e);
            return Double.NaN;
        }
    }

    /** On undeploy the meters bound to this instance leave the server-wide registry. */
    @PreDestroy
    void stop() {
        meters.forEach(registry::remove);
        registry.find("medledger.problems").meters().forEach(registry::remove);
    }
}
