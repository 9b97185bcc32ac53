package org.medledger.ledger.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.testing.FlakyStore;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;

/**
 * The node when the store misbehaves: a commit whose reply is lost, an append that fails, a
 * database that stops answering for a while; and what it refuses to open: a chain that does
 * not verify (a deleted revocation) or that does not extend the tree head it saved.
 */
class NodeRecoveryTest {
    private final Fixture fx = new Fixture();

    private Transaction upload(String recordId) {
        return fx.tx("pat-1", GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR").put("recordId", recordId)
                .put("receiver", "g").put("recordTime", Fixture.NOW).put("brief", "b").put("sensitive", "s").put("groupId", "g").build());
    }

    @Test
    void aCommitWhoseReplyIsLostIsAcknowledgedAndTheNextBlockDoesNotCollide() {
        InMemoryLedgerStore inner = new InMemoryLedgerStore();
        FlakyStore store = new FlakyStore(inner);
        try (Ledger ledger = fx.open(store)) {
            fx.register(ledger, "pat-1", Role.PATIENT);
            store.lostReplies.set(1);
            store.failedReads.set(3); // and the database is unreachable for a moment
            Receipt r = ledger.submitAndWait(upload("r-1"));
            assertEquals(r.txId(), inner.transaction(r.logIndex()).orElseThrow().tx().orElseThrow().id());
            Receipt next = ledger.submitAndWait(upload("r-2"));
            assertEquals(r.logIndex() + 1, next.logIndex());
        }
        assertTrue(fx.verifier().verify(ChainSource.of(inner), inner.latestTreeHead()).ok());
    }

    @Test
    void anAppendThatWroteNothingFailsItsTransactionsAndTheNodeGoesOn() {
        InMemoryLedgerStore inner = new InMemoryLedgerStore();
        FlakyStore store = new FlakyStore(inner);
        try (Ledger ledger = fx.open(store)) {
            fx.register(ledger, "pat-1", Role.PATIENT);
            store.refusedAppends.set(1);
            LedgerException e = assertThrows(LedgerException.class, () -> ledger.submitAndWait(upload("r-1")));
            assertEquals(LedgerReason.STORE_FAILURE, e.reason());
            Receipt again = ledger.submitAndWait(upload("r-1")); // resubmitted (new id): no collision, no fork
            assertEquals(1, again.logIndex());
        }
        assertTrue(fx.verifier().verify(ChainSource.of(inner), inner.latestTreeHead()).ok());
    }

    @Test
    void aNodeRefusesToOpenAStoreWhoseRevocationRowWasDeleted() throws Exception {
        String url = Databases.h2Memory();
        try (Databases.JpaStore jpa = Databases.JpaStore.open(url); Connection sql = DriverManager.getConnection(url, "sa", "")) {
            try (Ledger ledger = fx.open(jpa.store())) {
                fx.register(ledger, "doc-1", Role.DOCTOR);
                ledger.submitAndWait(fx.endorse(fx.tx(Fixture.KGC, "member", "revoke", Arguments.builder().put("memberId", "doc-1").build()),
                        Fixture.KGC));
            }
            sql.createStatement().executeUpdate("DELETE FROM ledger_state WHERE namespace = 'member-revoked'");
            LedgerException e = assertThrows(LedgerException.class, () -> fx.open(jpa.store()));
            assertEquals(LedgerReason.CORRUPT, e.reason());
            assertTrue(e.getMessage().contains("STATE_MISSING"), e::getMessage);
        }
    }

    @Test
    void aNodeRefusesAChainRewrittenWithItsOwnKeyThatDoesNotExtendItsCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("ledger.sth");
        String url = Databases.h2Memory();
        String forgedUrl = Databases.h2Memory();
        Transaction doctor = fx.registration("doc-1", Role.DOCTOR);
        Transaction revoke = fx.endorse(fx.tx(Fixture.KGC, "member", "revoke", Arguments.builder().put("memberId", "doc-1").build()),
                Fixture.KGC);
        try (Databases.JpaStore jpa = Databases.JpaStore.open(url); Databases.JpaStore forged = Databases.JpaStore.open(forgedUrl);
             Connection sql = DriverManager.getConnection(url, "sa", ""); Connection forgedSql = DriverManager.getConnection(forgedUrl, "sa", "")) {
            try (Ledger ledger = Ledger.open(jpa.store(), fx.config().withCheckpointFile(checkpoint))) {
                ledger.submitAndWait(doctor);
                ledger.submitAndWait(revoke);
            }
            SignedTreeHead saved = SignedTreeHead.decode(Files.readAllBytes(checkpoint));
            assertEquals(2, saved.treeSize());
            // The same node key builds the chain without the revocation; the operator copies it over.
            try (Ledger forger = fx.open(forged.store())) {
                forger.submitAndWait(doctor);
                forger.submitAndWait(fx.registration("doc-2", Role.DOCTOR));
            }
            for (String t : List.of("ledger_tree_head", "ledger_state", "ledger_transaction", "ledger_block")) {
                sql.createStatement().executeUpdate("DELETE FROM " + t);
                copy(forgedSql, sql, t);
            }
            try (Ledger blind = fx.open(jpa.store())) {
                assertEquals(2, blind.size(), "without its checkpoint the node cannot tell");
            }
            LedgerException e = assertThrows(LedgerException.class, () -> Ledger.open(jpa.store(), fx.config().withCheckpointFile(checkpoint)));
            assertEquals(LedgerReason.CORRUPT, e.reason());
            assertTrue(e.getMessage().contains("CHECKPOINT_ROOT"), e::getMessage);
        }
    }

    private static void copy(Connection from, Connection to, String table) throws Exception {
        try (PreparedStatement s = from.prepareStatement("SELECT * FROM " + table); ResultSet rs = s.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            List<String> cols = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                cols.add(rs.getMetaData().getColumnName(i));
            }
            while (rs.next()) {
                try (PreparedStatement ins = to.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES ("
                        + "?, ".repeat(n - 1) + "?)")) {
                    for (int i = 1; i <= n; i++) {
                        ins.setObject(i, rs.getObject(i));
                    }
                    ins.executeUpdate();
                }
            }
        }
    }

}
