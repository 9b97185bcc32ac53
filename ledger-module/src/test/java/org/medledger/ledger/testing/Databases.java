package org.medledger.ledger.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;

import org.h2.jdbcx.JdbcDataSource;
import org.medledger.ledger.store.jpa.JpaLedgerStore;
import org.medledger.ledger.store.jpa.LedgerSchema;
import org.medledger.ledger.store.jpa.ResourceLocalTransactions;
import org.postgresql.ds.PGSimpleDataSource;

/** JDBC URLs, data sources and JPA stores for H2 and PostgreSQL tests. */
public final class Databases {
    private Databases() {
    }

    public static String h2Memory() {
        return "jdbc:h2:mem:ledger-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    public static String h2File(java.nio.file.Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + ";WRITE_DELAY=0;REUSE_SPACE=FALSE;AUTO_COMPACT_FILL_RATE=0";
    }

    public static DataSource dataSource(String url) {
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(url);
            ds.setUser("sa");
            ds.setPassword("");
            return ds;
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setUser("postgres");
        ds.setPassword("");
        return ds;
    }

    public static String user(String url) {
        return url.startsWith("jdbc:h2:") ? "sa" : "postgres";
    }

    /** Migrates the schema, then opens an EntityManagerFactory that only validates it. */
    public static EntityManagerFactory migratedEmf(String url) {
        LedgerSchema.migrate(dataSource(url));
        Map<String, Object> p = new HashMap<>();
        p.put("jakarta.persistence.jdbc.url", url);
        p.put("jakarta.persistence.jdbc.user", user(url));
        p.put("jakarta.persistence.jdbc.password", "");
        return Persistence.createEntityManagerFactory("medledger-ledger-test", p);
    }

    /** A JPA store with its EntityManagerFactory; closing closes both. */
    public record JpaStore(JpaLedgerStore store, EntityManagerFactory emf) implements AutoCloseable {
        public static JpaStore open(String url) {
            EntityManagerFactory emf = migratedEmf(url);
            return new JpaStore(new JpaLedgerStore(new ResourceLocalTransactions(emf)), emf);
        }

        @Override
        public void close() {
            emf.close();
        }
    }
}
