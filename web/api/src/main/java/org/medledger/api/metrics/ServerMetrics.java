package org.medledger.api.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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

    private static final List<String> NAMES = List.of("medledger.ledger.height", "medledger.ledger.append", "medledger.accesses",
            "medledger.registrations", "medledger.authentication.failures", "medledger.problems");

    /**
     * Registers the meters when the application starts (not at the first request). Only the
     * registry's own methods are used: WildFly's per-deployment registry forwards those to the
     * server's registry (meters made with the builders' register() would stay in the deployment).
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        registry.gauge("medledger.ledger.height", Tags.empty(), this, ServerMetrics::height);
        registry.more().timer("medledger.ledger.append", Tags.empty(), this, m -> m.ledger.appendCount(),
                m -> m.ledger.appendNanos(), TimeUnit.NANOSECONDS);
        for (String outcome : List.of("released", "refused")) {
            registry.more().counter("medledger.accesses", Tags.of("outcome", outcome), this,
                    m -> m.count("SELECT COUNT(*) FROM access_entry WHERE outcome = ?", outcome));
        }
        registration("patient", "SELECT COUNT(*) FROM kgc_patient_registration");
        registration("doctor", "SELECT COUNT(*) FROM kgc_doctor_registration");
        registration("hospital", "SELECT COUNT(*) FROM hpc_registration");
        registry.counter("medledger.authentication.failures", Tags.empty());
    }

    private void registration(String role, String sql) {
        registry.more().counter("medledger.registrations", Tags.of("role", role), this, m -> m.count(sql));
    }

    /** Counts one problem answer of the API ({@code code} is its reason code). */
    public void problem(int status, String code) {
        registry.counter("medledger.problems", Tags.of("code", code)).increment();
        if (status == 401) {
            registry.counter("medledger.authentication.failures", Tags.empty()).increment();
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
        for (String name : NAMES) {
            registry.find(name).meters().forEach(registry::remove);
        }
    }
}
