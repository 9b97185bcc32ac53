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

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;

import org.medledger.consensus.LedgerNode;

/**
 * What this server needs to serve requests, checked one by one: the database (a pooled connection
 * that answers), the ledger node (open, producing blocks) and Keycloak (its realm's OpenID
 * configuration answers, so tokens can be checked and users can log in). Liveness is narrower: the
 * deployment answers and its ledger node was opened. Read by the MicroProfile Health checks of the
 * management interface ({@code /health/ready}, {@code /health/live}; the checks of this package) and
 * by {@code GET /api/health}. They live in the EJB module because WildFly collects MicroProfile Health
 * checks through the deployment's top-level bean manager, which sees this module and not the WARs.
 * A check reports names and sizes only, never a party, record or secret.
 */
@ApplicationScoped
public class ServerHealth {

    /** The realm URL configured by configure-oidc.cli (from MEDLEDGER_OIDC_PROVIDER_URL at boot). */
    static final String REALM_URL_PROPERTY = "medledger.keycloak.realm-url";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One check's outcome: its name, whether it is up, and a few public figures. */
    public record Check(String name, boolean up, Map<String, Object> data) {
    }

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource database;

    @EJB
    LedgerNode ledger;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public List<Check> readiness() {
        return List.of(database(), ledger(), keycloak());
    }

    public List<Check> liveness() {
        return List.of(ledger());
    }

    public Check database() {
        try (Connection c = database.getConnection()) {
            return new Check("database", c.isValid((int) TIMEOUT.toSeconds()),
                    Map.of("product", c.getMetaData().getDatabaseProductName()));
        } catch (SQLException | RuntimeException e) {
            return new Check("database", false, Map.of());
        }
    }

    public Check ledger() {
        try {
            boolean open = ledger.isOpen();
            return new Check("ledger", open, Map.of("open", open, "size", ledger.size()));
        } catch (RuntimeException e) {
            return new Check("ledger", false, Map.of());
        }
    }

    public Check keycloak() {
        String realm = System.getProperty(REALM_URL_PROPERTY);
        if (realm == null || realm.isBlank()) {
            return new Check("keycloak", false, Map.of());
        }
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(realm + "/.well-known/openid-configuration"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
            return new Check("keycloak", r.statusCode() == 200, Map.of("status", r.statusCode()));
        } catch (IOException | IllegalArgumentException e) {
            return new Check("keycloak", false, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check("keycloak", false, Map.of());
        }
    }
}
