package org.medledger.consortium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.NodeProcess;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.VerificationReport;

/** Three hospital nodes as separate processes; the leader is killed with SIGKILL under load. */
class KillNineTest {
    @TempDir
    Path dir;

    private final Map<String, Process> processes = new HashMap<>();

    private Process launch(World w, String id, Map<String, InetSocketAddress> addresses) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(), Long.toString(w.now), id, dir.toString()));
        addresses.forEach((h, a) -> cmd.add(h + "=" + a.getPort()));
        Path log = dir.resolve(id + "-" + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.put(id, p);
        Cluster.await(Duration.ofSeconds(240), () -> {
            try {
                return Files.readString(log).contains("READY " + id) || !p.isAlive();
            } catch (IOException e) {
                return false;
            }
        }, id + " started");
        assertTrue(p.isAlive(), id + " died at start: " + tail(log));
        return p;
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Submits until a receipt comes back; only "no leader yet" answers are retried (each time with a fresh
     * transaction, since an unanswered one may have been committed), any refusal fails the test.
     */
    private static Receipt submitUntilAcknowledged(ConsortiumClient client, IntFunction<Transaction> attempt, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        for (int a = 0;; a++) {
            try {
                return client.submitAndWait(attempt.apply(a));
            } catch (ConsortiumException e) {
                boolean noLeaderYet = e.reason() == ConsortiumReason.UNAVAILABLE || e.reason() == ConsortiumReason.NOT_LEADER;
                if (!noLeaderYet || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    @Timeout(900)
    void leaderKilledWithSigkillDuringAThousandConcurrentAppendsLosesNoAcknowledgedTransaction() throws Exception {
        World w = new World(3);
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        for (String h : w.hospitals) {
            addresses.put(h, new InetSocketAddress("127.0.0.1", freePort()));
        }
        try (ConsortiumClient client = ConsortiumClient.connect(w.consortium, addresses)) {
            for (String h : w.hospitals) {
                launch(w, h, addresses);
            }
            String leader = client.submitAndWait(w.registration("first", Role.PATIENT)).block().producer();
            Map<Digest, Long> acknowledged = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Transaction tx = w.registration("patient-" + i, Role.PATIENT);
                all.add(CompletableFuture.runAsync(() -> {
                    try {
                        Receipt r = client.submitAndWait(tx);
                        acknowledged.put(r.txId(), r.logIndex());
                    } catch (RuntimeException e) {
                        // not acknowledged: outcome unknown to the client
                    }
                }, pool));
            }
            Cluster.await(Duration.ofSeconds(300), () -> acknowledged.size() >= 150, "150 acknowledgements");
            Process victim = processes.get(leader);
            victim.destroyForcibly(); // SIGKILL
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS));
            int atKill = acknowledged.size();
            try {
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // Appends in flight at the kill may each wait out the client's own timeout before it reports their
                // outcome unknown; they stay unacknowledged, and only acknowledged ones are checked below.
                System.out.println("KillNineTest: " + all.stream().filter(f -> !f.isDone()).count()
                        + " appends still without an answer 300 s after the kill; given up as unacknowledged");
            }
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "the appending threads did not stop");
            // The in-flight appends may all have been acknowledged before the kill, or all have failed while the
            // survivors elected (how long that takes depends on the machine): either way, fresh appends submitted
            // after the kill must be committed by a new leader.
            for (int i = 0; i < 5; i++) {
                int n = i;
                Receipt r = submitUntilAcknowledged(client, attempt -> w.registration("after-kill-" + n + "-" + attempt, Role.PATIENT), Duration.ofSeconds(240));
                acknowledged.put(r.txId(), r.logIndex());
                assertNotEquals(leader, r.block().producer(), "a block after the kill was produced by the killed leader");
            }
            assertTrue(acknowledged.size() >= atKill + 5, "the consortium went on committing after the kill");
            launch(w, leader, addresses);
            // every node ends with the same chain, which verifies and holds every acknowledged transaction at its index
            Map<String, List<BlockWithHead>> chains = new HashMap<>();
            Cluster.await(Duration.ofSeconds(300), () -> {
                chains.clear();
                for (String h : w.hospitals) {
                    try {
                        chains.put(h, client.chain(h, 100_000));
                    } catch (RuntimeException e) {
                        return false;
                    }
                }
                List<Digest> lasts = chains.values().stream().map(c -> c.isEmpty() ? Digest.ZERO : c.get(c.size() - 1).block().header().hash()).distinct().toList();
                return lasts.size() == 1;
            }, "the same last block on every node");
            for (Map.Entry<String, List<BlockWithHead>> e : chains.entrySet()) {
                VerificationReport report = new LedgerVerifier(w.anchors, w.contracts, P256SignatureScheme.INSTANCE).verify(ConsortiumClient.chain(e.getValue()));
                assertTrue(report.ok(), e.getKey() + ": " + report.failure());
                Map<Long, Digest> byIndex = new HashMap<>();
                for (BlockWithHead b : e.getValue()) {
                    for (int i = 0; i < b.block().transactions().size(); i++) {
                        byIndex.put(b.block().header().firstLogIndex() + i, b.block().transactions().get(i).id());
                    }
                }
                for (Map.Entry<Digest, Long> a : acknowledged.entrySet()) {
                    assertEquals(a.getKey(), byIndex.get(a.getValue()), e.getKey() + " lost the acknowledged transaction at " + a.getValue());
                }
            }
            assertNotEquals(0, acknowledged.size());
        } finally {
            for (Process p : processes.values()) {
                p.getOutputStream().close();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }
}
