package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;

/** A restart replays the Raft log after the latest snapshot marker; a store behind that marker is refused, not patched. */
class RestartTest {
    @TempDir
    Path dir;

    private static boolean hasMarker(Path raftDir) throws Exception {
        try (Stream<Path> files = Files.walk(raftDir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("snapshot.") && !f.toString().endsWith(".md5"));
        }
    }

    @Test
    @Timeout(300)
    void aNodeWhoseStoreLostBlocksTheSnapshotMarkerCoversDoesNotStart() throws Exception {
        World w = new World(3);
        try (Cluster c = Cluster.start(w, dir, s -> s.withSnapshotEvery(4).withLogSegmentBytes(4096))) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(60));
            for (int b = 0; b < 8; b++) {
                List<CompletableFuture<Receipt>> fs = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    fs.add(leader.submit(w.registration("p-" + b + "-" + k, Role.PATIENT)));
                }
                fs.forEach(CompletableFuture::join);
            }
            long size = leader.replica().size();
            c.awaitSize(size, Duration.ofSeconds(60));
            HospitalNode follower = c.running().stream().filter(n -> n != leader).findFirst().orElseThrow();
            String id = follower.id();
            Path raft = dir.resolve("raft-" + id);
            Cluster.await(Duration.ofSeconds(60), () -> {
                try {
                    return hasMarker(raft);
                } catch (Exception e) {
                    return false;
                }
            }, "a snapshot marker on " + id);

            // restarted with its store and Raft log intact: replays after its marker and is at the same head
            c.stop(id);
            HospitalNode back = c.start(id);
            c.awaitSize(size, Duration.ofSeconds(60));
            assertEquals(leader.replica().head().orElseThrow().hash(), back.replica().head().orElseThrow().hash());

            // its database is lost (the Raft log is kept): the log before the marker may be gone, so it refuses to start
            c.stop(id);
            try (Stream<Path> dbs = Files.list(dir)) {
                for (Path f : dbs.filter(f -> f.getFileName().toString().startsWith("db-" + id)).toList()) {
                    Files.delete(f);
                }
            }
            Exception e = assertThrows(Exception.class, () -> c.start(id));
            assertTrue(String.valueOf(rootMessage(e)).contains("snapshot marker"), String.valueOf(rootMessage(e)));
        }
    }

    private static String rootMessage(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" / ");
        }
        return b.toString();
    }
}
