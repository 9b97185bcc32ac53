package org.medledger.ledger.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.testing.PostgresCluster;
import org.medledger.ledger.testing.PostgresExtension;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.VerificationReport;

/**
 * A separate JVM appends and is killed with {@code kill -9} at random points, several times in
 * a row; after each kill the ledger must verify and hold every acknowledged transaction unchanged.
 */
@ExtendWith(PostgresExtension.class)
class CrashRecoveryTest {
    private static final int KILLS = 10;

    private record Ack(long index, String txId, String leaf) {
    }

    /** What is killed besides the appender. */
    @FunctionalInterface
    private interface Crash {
        void run() throws Exception;
    }

    @Test
    void killedAppenderOnFileH2LosesNoAcknowledgedTransaction(@TempDir Path dir) throws Exception {
        crashRepeatedly(Databases.h2File(dir.resolve("ledger")), new Random(0xc4a5L), () -> { }, () -> { });
    }

    /** The database server itself dies: kill -9 of the postmaster and its backends, then the appender; restart replays the WAL. */
    @Test
    void killedPostgresServerLosesNoAcknowledgedTransaction(PostgresCluster pg) throws Exception {
        crashRepeatedly(pg.createDatabase(), new Random(0xc4a6L), pg::crash, pg::restart);
    }

    private void crashRepeatedly(String url, Random rnd, Crash server, Crash restart) throws Exception {
        List<Ack> acked = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            List<Ack> fresh = runAndKill(url, 1 + rnd.nextInt(300), rnd.nextInt(50), server);
            restart.run();
            acked.addAll(fresh);
            long t0 = System.nanoTime();
            try (Databases.JpaStore jpa = Databases.JpaStore.open(url)) {
                VerificationReport r = new Fixture().verifier().verify(ChainSource.of(jpa.store()));
                assertTrue(r.ok(), () -> "after kill: " + r.failure());
                // The chain verified, so each stored leaf is H(index, transaction): equal leaves mean the
                // acknowledged transaction is there, at its index, unchanged.
                List<Digest> leaves = jpa.store().leafHashes(0, Integer.MAX_VALUE);
                for (Ack a : acked) {
                    assertTrue(a.index() < leaves.size(), () -> "lost " + a);
                    assertEquals(a.leaf(), leaves.get((int) a.index()).hex(), () -> "changed " + a);
                }
                StoredTransaction last = jpa.store().transaction(acked.get(acked.size() - 1).index()).orElseThrow();
                assertEquals(acked.get(acked.size() - 1).txId(), last.tx().orElseThrow().id().hex());
                System.err.println("crash " + k + ": " + fresh.size() + " acks, " + leaves.size() + " entries, verified in "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms");
            }
        }
        assertTrue(acked.size() > KILLS, "the appender acknowledged almost nothing: " + acked.size());
    }

    /**
     * Starts the appender, lets it acknowledge {@code acksBeforeKill} appends, waits {@code jitterMillis},
     * crashes the server (if any), then kills the appender.
     */
    private List<Ack> runAndKill(String url, int acksBeforeKill, int jitterMillis, Crash server) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                CrashAppender.class.getName(), url);
        Path err = Files.createTempFile("crash-appender", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        List<Ack> acks = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch enough = new CountDownLatch(acksBeforeKill);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.startsWith("ACK ")) {
                        String[] f = line.split(" ");
                        if (f.length == 4) { // a line cut by the kill was never a complete acknowledgement
                            synchronized (acks) {
                                acks.add(new Ack(Long.parseLong(f[1]), f[2], f[3]));
                            }
                            enough.countDown();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // stream closed by the kill
            }
        });
        reader.start();
        boolean started = ready.await(60, TimeUnit.SECONDS);
        if (!started) {
            p.destroyForcibly();
            throw new AssertionError("appender did not start: " + Files.readString(err));
        }
        if (!enough.await(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the appender acknowledged " + (acksBeforeKill - enough.getCount()) + " of " + acksBeforeKill
                    + " appends in 120 s: " + Files.readString(err));
        }
        Thread.sleep(jitterMillis);
        server.run();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        reader.join(10_000);
        Files.deleteIfExists(err);
        synchronized (acks) {
            return new ArrayList<>(acks);
        }
    }
}
