package org.medledger.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.api.output.MigrateResult;
import org.medledger.ledger.store.jpa.LedgerSchema;

/**
 * Brings the application and ledger schemas up to date at deployment, before any request is
 * served. Schemas are defined only by versioned migrations ({@code db/migration/app} and the
 * ledger module's own list).
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Resource(lookup = "java:jboss/datasources/MedLedgerDS")
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        MigrateResult result = Migrations.migrate(dataSource, SchemaMigrations.class.getClassLoader());
        LOG.info(() -> "Application schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migration(s) applied)");
        LedgerSchema.migrate(dataSource);
        LOG.info("Ledger schema up to date");
    }
}
