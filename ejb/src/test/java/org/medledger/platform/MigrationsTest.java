package org.medledger.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The application migrations apply on H2, and the replay table refuses a second copy of a digest. */
class MigrationsTest {

    @Test
    void migrationsApplyAndTheReplayKeyIsUnique() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:migrations-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Migrations.migrate(ds, MigrationsTest.class.getClassLoader());
        try (Connection c = ds.getConnection()) {
            insert(c, "s", new byte[] {1, 2, 3});
            insert(c, "other-scope", new byte[] {1, 2, 3});
            assertThrows(SQLException.class, () -> insert(c, "s", new byte[] {1, 2, 3}));
            for (String t : new String[] {"session_state", "directory_entry", "pc_issued_secret", "pc_record_index",
                    "hpc_registration", "hpc_emr_version", "access_entry", "relay_message", "patient_consent"}) {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + t)) {
                    assertTrue(rs.next());
                    assertEquals(0, rs.getLong(1));
                }
            }
        }
    }

    private static void insert(Connection c, String scope, byte[] digest) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO replay_record (scope, digest, expires_at) VALUES (?, ?, ?)")) {
            p.setString(1, scope);
            p.setBytes(2, digest);
            p.setLong(3, 1L);
            p.executeUpdate();
        }
    }
}
