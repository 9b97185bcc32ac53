package org.medledger.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.medledger.consensus.LedgerNode;
import org.medledger.health.probe.Check;
import org.medledger.health.probe.Probes;
import org.medledger.health.probe.ServerProbe;

/**
 * What this server needs to serve requests, checked one by one: the database (a pooled connection
 * that answers), the ledger node (open, producing blocks) and Keycloak (its realm's OpenID
 * configuration answers, so tokens can be checked and users can log in). Read by the MicroProfile
 * Health checks of the management interface ({@code /health/ready}, {@code /health/live}; the EAR
 * library org.medledger.health.probe, where this bean registers itself once the ledger node is open)
 * and by {@code GET /api/health}. A check reports names and sizes only, never a party, record or
 * secret.
 */
@Singleton
@Startup
@DependsOn("LedgerNode")
@LocalBean
@Local(ServerProbe.class)
@PermitAll
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ServerHealth implements ServerProbe {

    /** The realm URL configured by configure-oidc.cli (from MEDLEDGER_OIDC_PROVIDER_URL at boot). */
    static final String REALM_URL_PROPERTY = "medledger.keycloak.realm-url";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource database;

    @EJB
    LedgerNode ledger;

    @Resource
    SessionContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** The container's proxy, not {@code this}: the checks run on the management interface's threads. */
    private ServerProbe registered;

    @PostConstruct
    void register() {
        registered = context.getBusinessObject(ServerProbe.class);
        Probes.register(registered);
    }

    @PreDestroy
    void withdraw() {
        Probes.withdraw(registered);
    }

    // Declared here, not only inherited from the interface: the container grants @PermitAll to the
    // bean's own business methods, and an interface's default method would be an uncovered one
    // (denied by WildFly's default).
    @Override
    public List<Check> readiness() {
        return ServerProbe.super.readiness();
    }

    @Override
    public List<Check> liveness() {
        return ServerProbe.super.liveness();
    }

    @Override
    public Check database() {
        try (Connection c = database.getConnection()) {
            return new Check("database", c.isValid((int) TIMEOUT.toSeconds()),
                    Map.of("product", c.getMetaData().getDatabaseProductName()));
        } catch (SQLException | RuntimeException e) {
            return Check.down("database");
        }
    }

    @Override
    public Check ledger() {
        try {
            boolean open = ledger.isOpen();
            return new Check("ledger", open, Map.of("open", open, "size", ledger.size()));
        } catch (RuntimeException e) {
            return Check.down("ledger");
        }
    }

    @Override
    public Check keycloak() {
        String realm = System.getProperty(REALM_URL_PROPERTY);
        if (realm == null || realm.isBlank()) {
            return Check.down("keycloak");
        }
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(realm + "/.well-known/openid-configuration"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return new Check("keycloak", r.statusCode() == 200, Map.of("httpStatus", r.statusCode()));
        } catch (IOException | IllegalArgumentException e) {
            return Check.down("keycloak");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Check.down("keycloak");
        }
    }
}
