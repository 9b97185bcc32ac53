package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
}
