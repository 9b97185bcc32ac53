package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;

/** Three hospital nodes on loopback in this JVM, each with its own H2 file database and Raft log. */
class FaultToleranceTest {
    @TempDir
    Path dir;

    private static void assertSameLedger(Cluster c, long size) {
        HospitalNode first = c.running().get(0);
        for (HospitalNode n : c.running()) {
            assertEquals(size, n.replica().size(), n.id());
            assertEquals(first.replica().rootAt(size), n.replica().rootAt(size), n.id());
            assertEquals(first.replica().head().orElseThrow().hash(), n.replica().head().orElseThrow().hash(), n.id());
        }
    }

    private static void assertVerifies(World w, HospitalNode n) {
        var report = new LedgerVerifier(w.anchors, w.contracts, P256SignatureScheme.INSTANCE).verify(ChainSource.of(n.replica().store()));
        assertTrue(report.ok(), n.id() + ": " + report.failure());
    }

    @Test
    @Timeout(300)
    void aRetryOfATransactionTheStoppedLeaderCommittedGetsTheSameReceiptFromTheNewLeader() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir)) {
            HospitalNode oldLeader = c.awaitLeader(Duration.ofSeconds(60));
            HospitalNode via = c.running().stream().filter(n -> n != oldLeader).findFirst().orElseThrow();
            Transaction tx = w.registration("patient-retried", Role.PATIENT);
            Receipt first = via.submitAndWait(tx);
            c.awaitSize(first.block().logSize(), Duration.ofSeconds(60));
            c.stop(oldLeader.id()); // the leader that answered is gone; its client sends the same transaction again
            HospitalNode newLeader = c.awaitLeader(Duration.ofSeconds(60));
            assertNotEquals(oldLeader.id(), newLeader.id());
            Receipt again = via.submitAndWait(tx);
            assertEquals(first.txId(), again.txId());
            assertEquals(first.logIndex(), again.logIndex());
            assertEquals(first.leafHash(), again.leafHash());
            assertEquals(first.block(), again.block());
            assertEquals(first.treeHead(), again.treeHead());
            long copies = newLeader.replica().store().transactions(0, 10_000).stream()
                    .filter(r -> r.storedTxId().map(tx.id()::equals).orElse(false)).count();
            assertEquals(1, copies, "the retried transaction is on the ledger once");
            // a different transaction is still ordered normally
            Receipt other = via.submitAndWait(w.registration("patient-after", Role.PATIENT));
            assertTrue(other.logIndex() > first.logIndex());
        }
    }

    @Test
    @Timeout(600)
    void leaderStoppedDuringAThousandConcurrentAppendsLosesNoAcknowledgedTransaction() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir)) {
            HospitalNode oldLeader = c.awaitLeader(Duration.ofSeconds(60));
            List<HospitalNode> submitters = c.running().stream().filter(n -> n != oldLeader).toList();
            Map<Digest, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Transaction tx = w.registration("patient-" + i, Role.PATIENT);
                HospitalNode via = submitters.get(i % submitters.size());
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        Receipt r = via.submitAndWait(tx);
                        acknowledged.put(r.txId(), r.logIndex());
                    } catch (RuntimeException e) {
                        refused.incrementAndGet(); // not acknowledged: its outcome is unknown to the client
                    }
                }, pool));
            }
            Cluster.await(Duration.ofSeconds(240), () -> acknowledged.size() >= 150, "150 acknowledgements");
            c.stop(oldLeader.id());
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(400, TimeUnit.SECONDS);
            pool.shutdownNow();
            HospitalNode newLeader = c.awaitLeader(Duration.ofSeconds(60));
            assertNotEquals(oldLeader.id(), newLeader.id());
            // fresh appends after the stop are committed by the new leader (the in-flight ones alone cannot show it:
            // they may all have been answered before the stop, or all have failed during a slow election)
            for (int i = 0; i < 5; i++) {
                Receipt r = submitters.get(i % submitters.size()).submitAndWait(w.registration("after-stop-" + i, Role.PATIENT));
                acknowledged.put(r.txId(), r.logIndex());
                assertNotEquals(oldLeader.id(), r.block().producer(), "a block after the stop was produced by the stopped leader");
            }
            long size = newLeader.replica().size();
            c.awaitSize(size, Duration.ofSeconds(60));
            assertSameLedger(c, size);
            for (HospitalNode n : c.running()) {
                for (Map.Entry<Digest, Long> a : acknowledged.entrySet()) {
                    assertEquals(a.getKey(), n.replica().transaction(a.getValue()).orElseThrow().tx().orElseThrow().id(),
                            n.id() + " lost or moved the acknowledged transaction at " + a.getValue());
                }
            }
            // the stopped leader comes back and catches up to the same history
            c.start(oldLeader.id());
            c.awaitSize(size, Duration.ofSeconds(120));
            assertSameLedger(c, size);
            for (HospitalNode n : c.running()) {
                assertVerifies(w, n);
            }
        }
    }

    @Test
    @Timeout(400)
    void aFollowerDownForAWhileCatchesUpEvenAfterTheLogWasPurged() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir, s -> s.withSnapshotEvery(4).withLogSegmentBytes(4096))) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(60));
            HospitalNode follower = c.running().stream().filter(n -> n != leader).findFirst().orElseThrow();
            leader.submitAndWait(w.registration("before", Role.PATIENT));
            c.awaitSize(1, Duration.ofSeconds(60));
            c.stop(follower.id());
            for (int b = 0; b < 15; b++) {
                List<CompletableFuture<Receipt>> fs = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    fs.add(leader.submit(w.registration("p-" + b + "-" + k, Role.PATIENT)));
                }
                fs.forEach(CompletableFuture::join);
            }
            long size = leader.replica().size();
            assertEquals(61, size);
            HospitalNode back = c.start(follower.id());
            c.awaitSize(size, Duration.ofSeconds(120));
            assertSameLedger(c, size);
            assertTrue(back.caughtUpBlocks() > 0, "entries were purged, so the follower fetched and validated blocks");
            assertVerifies(w, back);
            // and it follows new blocks through the Raft log again
            leader.submitAndWait(w.registration("after", Role.PATIENT));
            c.awaitSize(size + 1, Duration.ofSeconds(60));
            assertSameLedger(c, size + 1);
        }
    }

    @Test
    @Timeout(300)
    void aMinorityCannotCommit() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir)) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(60));
            leader.submitAndWait(w.registration("p0", Role.PATIENT));
            c.awaitSize(1, Duration.ofSeconds(60));
            HospitalNode alone = leader;
            for (HospitalNode n : c.running()) {
                if (n != alone) {
                    c.stop(n.id());
                }
            }
            CompletableFuture<Receipt> f = alone.submit(w.registration("p1", Role.PATIENT));
            assertThrows(Exception.class, () -> f.get(45, TimeUnit.SECONDS));
            assertEquals(1, alone.replica().size(), "nothing committed without a majority");
            assertFalse(alone.replica().store().containsTransaction(w.registration("p1", Role.PATIENT).id()));
            // the majority back: the consortium writes again
            for (String h : w.hospitals) {
                if (c.node(h) == null) {
                    c.start(h);
                }
            }
            HospitalNode l = c.awaitLeader(Duration.ofSeconds(60));
            l.submitAndWait(w.registration("p2", Role.PATIENT));
            long size = l.replica().size();
            c.awaitSize(size, Duration.ofSeconds(60));
            assertSameLedger(c, size);
        }
    }
}
