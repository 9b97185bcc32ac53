package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;

class ReplicationTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void threeHospitalsHoldTheSameLedgerAndWitnessIt() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir)) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(30));
            List<CompletableFuture<Receipt>> fs = new ArrayList<>();
            int i = 0;
            for (HospitalNode n : c.running()) {
                for (int k = 0; k < 20; k++) {
                    fs.add(n.submit(w.registration("patient-" + (i++), Role.PATIENT)));
                }
            }
            List<Receipt> rs = fs.stream().map(CompletableFuture::join).toList();
            assertEquals(60, rs.stream().map(Receipt::logIndex).distinct().count());
            c.awaitSize(60, Duration.ofSeconds(30));
            for (HospitalNode n : c.running()) {
                assertEquals(leader.replica().rootAt(60), n.replica().rootAt(60), n.id());
                assertEquals(leader.replica().head().orElseThrow().hash(), n.replica().head().orElseThrow().hash());
            }
            Cluster.await(Duration.ofSeconds(30), () -> c.running().stream()
                    .allMatch(n -> n.witnessedHead().map(h -> h.treeSize() == 60).orElse(false)), "a witnessed head of size 60");
            for (HospitalNode n : c.running()) {
                WitnessedTreeHead h = n.witnessedHead().orElseThrow();
                assertTrue(new WitnessPolicy(w.consortium).check(h) >= 2);
                assertTrue(n.replica().size() == 60);
            }
        }
    }

    @Test
    @Timeout(120)
    void aSubmissionAtAFollowerIsAnsweredOnlyOnceTheFollowerStoredItsBlock() throws Exception {
        World w = new World(3);
        Set<String> slowed = ConcurrentHashMap.newKeySet();
        Map<String, AtomicLong> told = new ConcurrentHashMap<>();
        try (Cluster c = new Cluster(w, dir, s -> s)) {
            for (String h : w.hospitals) {
                told.put(h, new AtomicLong());
                c.start(h, (block, first) -> {
                    // a slowed node takes its time over each block it stores: the leader answers when the
                    // block is applied on the leader, so a follower's own reads would lag behind its answer
                    if (slowed.contains(h)) {
                        try {
                            Thread.sleep(1500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    told.get(h).accumulateAndGet(first + block.transactions().size(), Math::max);
                });
            }
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(30));
            HospitalNode follower = c.running().stream().filter(n -> n != leader).findFirst().orElseThrow();
            follower.submitAndWait(w.registration("patient-warm-up", Role.PATIENT));
            c.running().stream().filter(n -> n != leader).forEach(n -> slowed.add(n.id()));
            Receipt r = follower.submitAndWait(w.registration("patient-read-your-write", Role.PATIENT));
            assertTrue(leader.isLeader(), "the leader did not change meanwhile");
            assertTrue(follower.replica().size() > r.logIndex(), "the follower stores the block before it answers");
            assertTrue(follower.replica().transaction(r.logIndex()).isPresent());
            assertTrue(told.get(follower.id()).get() > r.logIndex(), "the follower's listener was told before it answers");
        }
    }
}
