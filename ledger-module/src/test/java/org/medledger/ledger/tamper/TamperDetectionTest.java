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
