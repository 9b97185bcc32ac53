package org.medledger.ledger.store.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs the ledger's schema migrations with Flyway against a {@link DataSource}. Migrations are
 * an explicit list of SQL resources loaded through this class's class loader (works inside a
 * WildFly EAR, whose VFS defeats classpath scanning); history goes to {@value #HISTORY_TABLE}
 * so the application's own migrations can share the schema.
 */
public final class LedgerSchema {
    public static final String HISTORY_TABLE = "ledger_schema_history";

    /** Version, description, resource; append new migrations, never edit old ones. */
    private static final List<SqlMigration> MIGRATIONS = List.of(
            new SqlMigration("1", "ledger schema", "org/medledger/ledger/store/jpa/V1__ledger_schema.sql"),
            new SqlMigration("2", "tree head log and key id", "org/medledger/ledger/store/jpa/V2__tree_head_log_and_key_id.sql"));

    private LedgerSchema() {
    }

    /** Migrates the schema to the latest version; returns the number of migrations applied. */
    public static int migrate(DataSource dataSource) {
        MigrateResult r = Flyway.configure(LedgerSchema.class.getClassLoader())
                .dataSource(dataSource)
                .table(HISTORY_TABLE)
                .locations(new String[0]) // no scanning: the migrations are the explicit list above
                .javaMigrations(MIGRATIONS.toArray(JavaMigration[]::new))
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        return r.migrationsExecuted;
    }

    private static final class SqlMigration implements JavaMigration {
        private final String version;
        private final String description;
        private final String resource;

        SqlMigration(String version, String description, String resource) {
            this.version = version;
            this.description = description;
            this.resource = resource;
        }

        private String sql() {
            try (InputStream in = LedgerSchema.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration resource missing: " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + resource, e);
            }
        }

        @Override
        public MigrationVersion getVersion() {
            return MigrationVersion.fromVersion(version);
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public Integer getChecksum() {
            CRC32 crc = new CRC32();
            crc.update(sql().getBytes(StandardCharsets.UTF_8));
            return (int) crc.getValue();
        }

        @Override
        public boolean canExecuteInTransaction() {
            return true;
        }

        @Override
        public void migrate(Context context) throws Exception {
            Connection c = context.getConnection();
            try (Statement s = c.createStatement()) {
                for (String stmt : statements(sql())) {
                    s.execute(stmt);
                }
            }
        }

        /** Statements end with ';' at the end of a line; '--' lines are comments. */
        static List<String> statements(String sql) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String line : sql.split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("--")) {
                    continue;
                }
                cur.append(line).append('\n');
                if (t.endsWith(";")) {
                    String s = cur.toString().strip();
                    out.add(s.substring(0, s.length() - 1));
                    cur.setLength(0);
                }
            }
            if (!cur.toString().isBlank()) {
                out.add(cur.toString().strip());
            }
            return out;
        }
    }
}
