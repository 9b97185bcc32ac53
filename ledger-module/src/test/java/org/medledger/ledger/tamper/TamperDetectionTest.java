package org.medledger.ledger.tamper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.medledger.ledger.contract.seeds.SeedContracts;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.testing.CachingScheme;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.testing.Scenario;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.Check;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.Location;
import org.medledger.ledger.verify.VerificationFailure;
import org.medledger.ledger.verify.VerificationReport;

/**
 * An operator with SQL access rewrites the ledger tables directly: byte flips, deleted,
 * swapped and renumbered rows, 1,000 random cases. The verifier must catch every one, at the
 * row that was touched (the first bad block, transaction or tree head), and pass again once
 * the rows are restored.
 */
class TamperDetectionTest {
    private static final int CASES = 1000;

    private enum Table {
        TX("ledger_transaction", "log_index", Location.TRANSACTION, List.of("block_number")),
        BLOCK("ledger_block", "block_number", Location.BLOCK, List.of()),
        HEAD("ledger_tree_head", "tree_size", Location.TREE_HEAD, List.of());

        final String name;
        final String key;
        final Location location;
        /** Columns whose change is a move, not a flip (covered by renumbering). */
        final List<String> moves;

        Table(String name, String key, Location location, List<String> moves) {
            this.name = name;
            this.key = key;
            this.location = location;
            this.moves = moves;
        }
    }

    private enum Kind { FLIP, DELETE, SWAP, RENUMBER }

    /** A row: column name → value, in table order. */
    private record Row(Map<String, Object> cols) {
        long key(Table t) {
            return ((Number) cols.get(t.key)).longValue();
        }
    }

    @Test
    void everyDirectSqlRewriteOfTheLedgerIsDetectedAtTheTouchedRow() throws Exception {
        Fixture fx = new Fixture();
        String url = Databases.h2Memory();
        try (Databases.JpaStore jpa = Databases.JpaStore.open(url);
             Connection sql = DriverManager.getConnection(url, "sa", "")) {
            try (Ledger ledger = Ledger.open(jpa.store(), fx.config().withBlockCutting(6, java.time.Duration.ofMillis(20)))) {
                Scenario.populate(fx, ledger, 130, 9);
            }
            CachingScheme scheme = new CachingScheme();
            LedgerVerifier verifier = new LedgerVerifier(fx.anchors, SeedContracts.registry(fx.anchors, scheme), scheme);
            Optional<SignedTreeHead> checkpoint = jpa.store().latestTreeHead(); // what a client holds
            ChainSource source = ChainSource.of(jpa.store());
            VerificationReport honest = verifier.verify(source, checkpoint);
            assertTrue(honest.ok(), () -> honest.failure().toString());

            Map<Table, List<Row>> rows = new EnumMap<>(Table.class);
            for (Table t : Table.values()) {
                rows.put(t, read(sql, t));
            }
            Map<String, Integer> seen = new LinkedHashMap<>();
            for (int c = 0; c < CASES; c++) {
                Random rnd = new Random(0x5eed0000L + c);
                Table t = Table.values()[rnd.nextInt(3)];
                Kind k = Kind.values()[rnd.nextInt(4)];
                List<Row> all = rows.get(t);
                Row a = all.get(rnd.nextInt(all.size()));
                Row b = all.get(rnd.nextInt(all.size()));
                while (b == a) {
                    b = all.get(rnd.nextInt(all.size()));
                }
                Row first = a.key(t) < b.key(t) ? a : b;
                long expected = (k == Kind.SWAP ? first : a).key(t);
                String what = k + " " + t + " " + (k == Kind.SWAP ? a.key(t) + "<->" + b.key(t) : a.key(t));
                switch (k) {
                    case FLIP -> what += " " + flip(sql, t, a, rnd);
                    case DELETE -> update(sql, "DELETE FROM " + t.name + " WHERE " + t.key + " = ?", a.key(t));
                    case RENUMBER -> update(sql, "UPDATE " + t.name + " SET " + t.key + " = ? WHERE " + t.key + " = ?", a.key(t) + 1_000_000, a.key(t));
                    case SWAP -> swap(sql, t, a, b);
                }
                VerificationReport r = verifier.verify(source, checkpoint);
                String label = what;
                assertTrue(r.failure().isPresent(), () -> "undetected: " + label);
                VerificationFailure f = r.failure().get();
                assertEquals(t.location, f.location(), () -> label + " reported as " + f);
                assertEquals(expected, f.index(), () -> label + " reported as " + f);
                seen.merge(k + " " + t, 1, Integer::sum);

                restore(sql, t, k == Kind.SWAP ? List.of(a, b) : List.of(a), k == Kind.RENUMBER ? a.key(t) + 1_000_000 : -1);
                if (c % 100 == 99) {
                    VerificationReport again = verifier.verify(source, checkpoint);
                    assertTrue(again.ok(), () -> "restore failed after " + label + ": " + again.failure());
                }
            }
            assertEquals(12, seen.size(), () -> "not every kind of tampering was exercised: " + seen);
        }
    }

    /** Every row of the four ledger tables, to put back after each targeted case. */
    private static Map<String, List<Row>> snapshot(Connection sql) throws SQLException {
        Map<String, List<Row>> all = new LinkedHashMap<>();
        for (String t : List.of("ledger_block", "ledger_transaction", "ledger_state", "ledger_tree_head")) {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = sql.prepareStatement("SELECT * FROM " + t); ResultSet rs = s.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        m.put(md.getColumnName(i).toLowerCase(), rs.getObject(i));
                    }
                    rows.add(new Row(m));
                }
            }
            all.put(t, rows);
        }
        return all;
    }

    /** Replaces the ledger tables' content with {@code rows} (the operator's bulk rewrite, or a restore). */
    private static void replaceAll(Connection sql, Map<String, List<Row>> rows) throws SQLException {
        for (Map.Entry<String, List<Row>> t : rows.entrySet()) {
            try (PreparedStatement s = sql.prepareStatement("DELETE FROM " + t.getKey())) {
                s.executeUpdate();
            }
            for (Row r : t.getValue()) {
                insert(sql, t.getKey(), r.cols());
            }
        }
    }

    private static void insert(Connection sql, String table, Map<String, Object> cols) throws SQLException {
        List<String> names = new ArrayList<>(cols.keySet());
        try (PreparedStatement s = sql.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES ("
                + "?, ".repeat(names.size() - 1) + "?)")) {
            for (int i = 0; i < names.size(); i++) {
                s.setObject(i + 1, cols.get(names.get(i)));
            }
            s.executeUpdate();
        }
    }

    private static long count(Connection sql, String query) throws SQLException {
        try (PreparedStatement s = sql.prepareStatement(query); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The rewrites the random cases never make: moving a transaction row to another block,
     * inserting rows, negative counts, editing the world state (deleting a revocation), and
     * rebuilding the whole chain re-signed with the node's own key. Each is named; the last one
     * only against a tree head saved before the rewrite.
     */
    @Test
    void movedInsertedAndStateRowsAndAResignedRewriteAreDetected() throws Exception {
        Fixture fx = new Fixture();
        String url = Databases.h2Memory();
        Transaction revoke = fx.endorse(fx.tx(Fixture.KGC, "member", "revoke", Arguments.builder().put("memberId", "doc-1").build()), Fixture.KGC);
        long revokedAt;
        List<Transaction> history = new ArrayList<>();
        try (Databases.JpaStore jpa = Databases.JpaStore.open(url);
             Connection sql = DriverManager.getConnection(url, "sa", "")) {
            try (Ledger ledger = Ledger.open(jpa.store(), fx.config().withBlockCutting(6, java.time.Duration.ofMillis(20)))) {
                Scenario.populate(fx, ledger, 40, 9);
                revokedAt = ledger.submitAndWait(revoke).logIndex();
                fx.register(ledger, "doc-2", Role.DOCTOR);
                fx.register(ledger, "doc-3", Role.DOCTOR);
            }
            for (long i = 0; ; i++) {
                Optional<org.medledger.ledger.store.StoredTransaction> t = jpa.store().transaction(i);
                if (t.isEmpty()) {
                    break;
                }
                history.add(t.get().tx().orElseThrow());
            }
            LedgerVerifier verifier = fx.verifier();
            ChainSource source = ChainSource.of(jpa.store());
            Optional<SignedTreeHead> saved = jpa.store().latestTreeHead();
            assertTrue(verifier.verify(source, saved).ok());
            Map<String, List<Row>> original = snapshot(sql);
            long blocks = count(sql, "SELECT COUNT(*) FROM ledger_block");
            long size = count(sql, "SELECT COUNT(*) FROM ledger_transaction");
            long lastBlock = blocks - 1;
            long txInBlock3 = count(sql, "SELECT MIN(log_index) FROM ledger_transaction WHERE block_number = 3");
            Row lastTx = original.get("ledger_transaction").stream().filter(r -> r.key(Table.TX) == size - 1).findFirst().orElseThrow();

            record Case(String what, String sql, Object[] args, Location location, long index, Check check) {
            }
            List<Case> cases = List.of(
                    new Case("deleted member-revoked row", "DELETE FROM ledger_state WHERE namespace = 'member-revoked' AND state_key = 'doc-1'",
                            new Object[0], Location.STATE, revokedAt, Check.STATE_MISSING),
                    new Case("edited state value", "UPDATE ledger_state SET state_value = ? WHERE namespace = 'member-revoked' AND state_key = 'doc-1'",
                            new Object[] {new byte[] {'0'}}, Location.STATE, revokedAt, Check.STATE_MISMATCH),
                    new Case("older state version", "UPDATE ledger_state SET version = version - 1 WHERE namespace = 'member-revoked' AND state_key = 'doc-1'",
                            new Object[0], Location.STATE, revokedAt, Check.STATE_MISMATCH),
                    new Case("inserted state row", "INSERT INTO ledger_state (namespace, state_key, version, state_value) VALUES ('member-revoked', 'hosp-1', 1, ?)",
                            new Object[] {new byte[] {'1'}}, Location.STATE, 0, Check.STATE_EXTRA),
                    new Case("row moved to a later block", "UPDATE ledger_transaction SET block_number = ? WHERE log_index = ?",
                            new Object[] {lastBlock, txInBlock3}, Location.TRANSACTION, txInBlock3, null),
                    new Case("row moved to an earlier block", "UPDATE ledger_transaction SET block_number = 1 WHERE log_index = ?",
                            new Object[] {txInBlock3}, Location.TRANSACTION, txInBlock3, Check.TX_EXTRA),
                    new Case("row moved to no block", "UPDATE ledger_transaction SET block_number = 999999 WHERE log_index = ?",
                            new Object[] {txInBlock3}, Location.TRANSACTION, txInBlock3, null),
                    new Case("negative transaction count", "UPDATE ledger_block SET tx_count = -1 WHERE block_number = 3",
                            new Object[0], Location.BLOCK, 3, Check.BLOCK_MALFORMED));
            for (Case c : cases) {
                try (PreparedStatement s = sql.prepareStatement(c.sql())) {
                    for (int i = 0; i < c.args().length; i++) {
                        s.setObject(i + 1, c.args()[i]);
                    }
                    assertEquals(1, s.executeUpdate(), c.what());
                }
                VerificationFailure f = verifier.verify(source, saved).failure().orElseThrow(() -> new AssertionError("undetected: " + c.what()));
                assertEquals(c.location(), f.location(), () -> c.what() + ": " + f);
                assertEquals(c.index(), f.index(), () -> c.what() + ": " + f);
                if (c.check() != null) {
                    assertEquals(c.check(), f.check(), () -> c.what() + ": " + f);
                }
                replaceAll(sql, original);
            }

            // Inserted rows beyond the end: a transaction row that names no block, one that names the last
            // block, a block row, a tree head row.
            Map<String, Object> dangling = new LinkedHashMap<>(lastTx.cols());
            dangling.put("log_index", size + 5);
            dangling.put("block_number", 999_999L);
            dangling.put("tx_id", new byte[32]);
            insert(sql, "ledger_transaction", dangling);
            VerificationFailure f1 = verifier.verify(source, saved).failure().orElseThrow();
            assertEquals(Check.TX_DANGLING, f1.check(), f1::toString);
            assertEquals(size + 5, f1.index());
            replaceAll(sql, original);
            dangling.put("block_number", lastBlock);
            insert(sql, "ledger_transaction", dangling);
            VerificationFailure f2 = verifier.verify(source, saved).failure().orElseThrow();
            assertEquals(Location.TRANSACTION, f2.location(), f2::toString);
            assertEquals(size + 5, f2.index(), f2::toString);
            replaceAll(sql, original);
            Row lastBlockRow = original.get("ledger_block").stream().filter(r -> r.key(Table.BLOCK) == lastBlock).findFirst().orElseThrow();
            Map<String, Object> extraBlock = new LinkedHashMap<>(lastBlockRow.cols());
            extraBlock.put("block_number", blocks);
            insert(sql, "ledger_block", extraBlock);
            VerificationFailure f3 = verifier.verify(source, saved).failure().orElseThrow();
            assertEquals(Location.BLOCK, f3.location(), f3::toString);
            assertEquals(blocks, f3.index(), f3::toString);
            replaceAll(sql, original);
            Row lastHead = original.get("ledger_tree_head").stream().filter(r -> r.key(Table.HEAD) == size).findFirst().orElseThrow();
            Map<String, Object> extraHead = new LinkedHashMap<>(lastHead.cols());
            extraHead.put("tree_size", size + 1);
            insert(sql, "ledger_tree_head", extraHead);
            assertTrue(verifier.verify(source, saved).failure().isPresent(), "inserted tree head undetected");
            replaceAll(sql, original);
            assertTrue(verifier.verify(source, saved).ok());

            // The operator rebuilds the chain without the revocation, re-signed by the node key, and
            // overwrites every table with it.
            String forgedUrl = Databases.h2Memory();
            Map<String, List<Row>> forgedRows;
            try (Databases.JpaStore forgedStore = Databases.JpaStore.open(forgedUrl);
                 Connection forgedSql = DriverManager.getConnection(forgedUrl, "sa", "");
                 Ledger forger = Ledger.open(forgedStore.store(), fx.config())) {
                for (Transaction t : history) {
                    forger.submitAndWait(t.id().equals(revoke.id()) ? fx.registration("doc-forged", Role.DOCTOR) : t);
                }
                forgedRows = snapshot(forgedSql);
            }
            replaceAll(sql, forgedRows);
            assertTrue(verifier.verify(source).ok(), "alone, a chain re-signed by the key holder verifies");
            VerificationFailure f4 = verifier.verify(source, saved).failure().orElseThrow(() -> new AssertionError("re-signed rewrite undetected"));
            assertEquals(Check.CHECKPOINT_ROOT, f4.check(), f4::toString);
        }
    }

    private static List<Row> read(Connection c, Table t) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + t.name + " ORDER BY " + t.key);
             ResultSet rs = s.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    m.put(md.getColumnName(i).toLowerCase(), rs.getObject(i));
                }
                out.add(new Row(m));
            }
        }
        return out;
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            assertEquals(1, s.executeUpdate(), sql);
        }
    }

    /** Flips one bit of one non-key column (a digit of a string, a bit of a number or of a byte string). */
    private static String flip(Connection c, Table t, Row r, Random rnd) throws SQLException {
        List<String> cols = new ArrayList<>(r.cols().keySet());
        cols.remove(t.key);
        cols.removeAll(t.moves);
        String col = cols.get(rnd.nextInt(cols.size()));
        Object v = r.cols().get(col);
        Object nv;
        if (v instanceof byte[] bytes) {
            byte[] x = bytes.clone();
            x[rnd.nextInt(x.length)] ^= (byte) (1 << rnd.nextInt(8));
            nv = x;
        } else if (v instanceof Long l) {
            nv = l ^ (1L << rnd.nextInt(40));
        } else if (v instanceof Integer i) {
            nv = i ^ (1 << rnd.nextInt(30));
        } else {
            char[] s = ((String) v).toCharArray();
            int p = rnd.nextInt(s.length);
            s[p] = (char) (s[p] ^ (1 << rnd.nextInt(5)));
            nv = new String(s);
        }
        update(c, "UPDATE " + t.name + " SET " + col + " = ? WHERE " + t.key + " = ?", nv, r.key(t));
        return col;
    }

    /** Exchanges every column except the key and the move columns. */
    private static void swap(Connection c, Table t, Row a, Row b) throws SQLException {
        for (String col : a.cols().keySet()) {
            if (col.equals(t.key) || t.moves.contains(col)) {
                continue;
            }
            String unique = col.equals("tx_id") ? "placeholder" : null;
            if (unique != null) {
                // tx_id is unique: park one value first
                update(c, "UPDATE " + t.name + " SET tx_id = ? WHERE " + t.key + " = ?", new byte[] {1}, a.key(t));
            }
            update(c, "UPDATE " + t.name + " SET " + col + " = ? WHERE " + t.key + " = ?", a.cols().get(col), b.key(t));
            update(c, "UPDATE " + t.name + " SET " + col + " = ? WHERE " + t.key + " = ?", b.cols().get(col), a.key(t));
        }
    }

    private static void restore(Connection c, Table t, List<Row> originals, long movedKey) throws SQLException {
        for (Row r : originals) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + t.name + " WHERE " + t.key + " = ?")) {
                s.setLong(1, r.key(t));
                s.executeUpdate();
            }
        }
        if (movedKey >= 0) {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + t.name + " WHERE " + t.key + " = ?")) {
                s.setLong(1, movedKey);
                s.executeUpdate();
            }
        }
        for (Row r : originals) {
            List<String> cols = new ArrayList<>(r.cols().keySet());
            String sql = "INSERT INTO " + t.name + " (" + String.join(", ", cols) + ") VALUES (" + "?, ".repeat(cols.size() - 1) + "?)";
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < cols.size(); i++) {
                    s.setObject(i + 1, r.cols().get(cols.get(i)));
                }
                s.executeUpdate();
            }
        }
    }
}
