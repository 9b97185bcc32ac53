package org.medledger.platform;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The application's Flyway configuration, shared by deployment start-up and tests. */
public final class Migrations {

    static final String LOCATION = "classpath:db/migration/app";
    static final String HISTORY_TABLE = "app_schema_history";

    private Migrations() {
    }

    /** Applies pending migrations of {@code db/migration/app} to {@code dataSource}. */
    public static MigrateResult migrate(DataSource dataSource, ClassLoader classLoader) {
        return Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false)
                .validateMigrationNaming(true)
                .load()
                .migrate();
    }
}
