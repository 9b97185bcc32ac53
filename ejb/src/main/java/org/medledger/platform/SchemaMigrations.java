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

/**
 * Brings the application schema up to date at deployment, before any request is served.
 * The schema is defined only by the versioned scripts in {@code db/migration/app}.
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
    }
}
