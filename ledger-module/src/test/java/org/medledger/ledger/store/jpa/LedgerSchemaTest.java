package org.medledger.ledger.store.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.testing.Databases;

class LedgerSchemaTest {
    private static boolean tableExists(DataSource ds, String name) throws Exception {
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void migrationsRunFromTheExplicitListOnceIntoTheLedgersOwnHistoryTable() throws Exception {
        DataSource ds = Databases.dataSource(Databases.h2Memory());
        assertEquals(2, LedgerSchema.migrate(ds));
        assertEquals(0, LedgerSchema.migrate(ds)); // idempotent
        for (String t : new String[] {"ledger_block", "ledger_transaction", "ledger_state", "ledger_tree_head", LedgerSchema.HISTORY_TABLE}) {
            assertTrue(tableExists(ds, t), t);
        }
        assertFalse(tableExists(ds, "flyway_schema_history"), "the application's default history table is left alone");
    }

    @Test
    void migrationCoexistsWithTheApplicationsOwnTables() throws Exception {
        DataSource ds = Databases.dataSource(Databases.h2Memory());
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("CREATE TABLE app_patient (id BIGINT PRIMARY KEY)");
        }
        assertEquals(2, LedgerSchema.migrate(ds));
        assertTrue(tableExists(ds, "app_patient"));
    }
}
