package org.medledger.consortium.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.medledger.consortium.HospitalNode;
import org.medledger.consortium.testing.Cluster;
import org.medledger.consortium.testing.World;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.LedgerConfig;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;

/**
 * Load driver (not a unit test): durable appends on one node (the ledger module's {@code Ledger}
 * over file H2) and on three replicas (this module, each with its own file H2 and fsync'ed Raft
 * log, all on this machine), same transactions, same submission pattern: {@code threads}
 * submitters keep at most {@code window} transactions in flight in total, each transaction's
 * commit latency is submit → receipt. Then the catch-up rate of a follower that was stopped
 * while the others took load.
 * <pre>
 * mvn -q -pl consortium -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * cd consortium && java -Xmx2g -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     org.medledger.consortium.bench.ConsortiumLoadDriver [seconds=20] [window=256] [catchUpSeconds=10] [smallWindow=32]
 * </pre>
 */
public final class ConsortiumLoadDriver {
    private static final int DOCTORS = 16;

    private ConsortiumLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int catchUpSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int smallWindow = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        Path dir = Files.createTempDirectory("consortium-bench");
        World w = new World(3);
        System.out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(), loadAverage());

        // One node: the ledger module's Ledger, file H2, the same producer key as hospital-a.
        try (World.Store s = World.Store.open(World.h2File(dir.resolve("single")))) {
            Ledger single = Ledger.open(s.store(), LedgerConfig.defaults(w.anchors, w.contracts, P256SignatureScheme.INSTANCE, "hospital-a",
                    w.hospitalKeys.get("hospital-a"), w.clock).withBlockCutting(2000, Duration.ofMillis(5)));
            setup(w, single::submit);
            report("one node (Ledger, file H2)", run(w, seconds, window, single::submit, "single"));
            single.close();
        }

        // Three replicas, one block in flight at a time (the cutter waits for each block to be applied): for comparison.
        try (Cluster c = Cluster.start(w, dir.resolve("three-serial"), st -> st.withSnapshotEvery(200).withLogSegmentBytes(8L << 20)
                .withBlocksInFlight(1))) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(120));
            List<HospitalNode> nodes = c.running();
            AtomicLong rr = new AtomicLong();
            setup(w, leader::submit);
            System.out.printf("load average %.1f%n", loadAverage());
            report("three replicas, 1 block in flight (round robin)",
                    run(w, seconds, window, tx -> nodes.get((int) (rr.getAndIncrement() % nodes.size())).submit(tx), "serial"));
        }

        // Three replicas: the consortium, file H2 each, Raft logs fsync'ed, blocks pipelined (the default).
        try (Cluster c = Cluster.start(w, dir.resolve("three"), st -> st.withSnapshotEvery(200).withLogSegmentBytes(8L << 20))) {
            HospitalNode leader = c.awaitLeader(Duration.ofSeconds(120));
            List<HospitalNode> nodes = c.running();
            AtomicLong rr = new AtomicLong();
            Function<Transaction, CompletableFuture<Receipt>> viaAny = tx -> nodes.get((int) (rr.getAndIncrement() % nodes.size())).submit(tx);
            setup(w, leader::submit);
            System.out.printf("load average %.1f%n", loadAverage());
            report("three replicas (leader's own submissions)", run(w, seconds, window, leader::submit, "leader"));
            report("three replicas (round robin over the nodes)", run(w, seconds, window, viaAny, "any"));
            report("three replicas (round robin), window " + smallWindow, run(w, seconds, smallWindow, viaAny, "small"));

            // Catch-up: a follower is stopped while the others take load, then restarted.
            HospitalNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            String fid = follower.id();
            long before = follower.replica().size();
            c.stop(fid);
            Result behind = run(w, catchUpSeconds, window, leader::submit, "behind");
            long target = leader.replica().size();
            long started = System.nanoTime();
            HospitalNode back = c.start(fid);
            Cluster.await(Duration.ofSeconds(600), () -> back.replica().size() >= target, "catch-up");
            double secs = (System.nanoTime() - started) / 1e9;
            long entries = target - before;
            System.out.printf(Locale.ROOT, "catch-up: %d entries (%d blocks fetched and validated, the rest from the Raft log) in %.1f s "
                    + "= %.0f tx/s, restart included (while behind, the two others committed %.0f tx/s)%n",
                    entries, back.caughtUpBlocks(), secs, entries / secs, behind.throughput());
        }
        System.out.printf("load average after: %.1f%n", loadAverage());
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void setup(World w, Function<Transaction, CompletableFuture<Receipt>> submit) {
        List<CompletableFuture<Receipt>> fs = new ArrayList<>();
        for (int d = 0; d < DOCTORS; d++) {
            fs.add(submit.apply(w.registration("doc-" + d, Role.DOCTOR)));
        }
        fs.add(submit.apply(w.registration("pat-1", Role.PATIENT)));
        fs.forEach(CompletableFuture::join);
    }

    private static final AtomicLong SEQ = new AtomicLong();

    /** An EMR upload by a doctor (one signature, a unique record id). */
    private static Transaction upload(World w, String run) {
        long n = SEQ.incrementAndGet();
        String doctor = "doc-" + (n % DOCTORS);
        return new TxBody(doctor, GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "EMR").put("recordId", run + "-emr-" + n)
                .put("receiver", "pat-1").put("recordTime", w.now).put("brief", "visit").put("sensitive", "enc").build(),
                w.clock.millis(), n).sign(w.key(doctor));
    }

    record Result(long committed, long failed, double seconds, Histogram latency) {
        double throughput() {
            return committed / seconds;
        }
    }

    private static Result run(World w, int seconds, int window, Function<Transaction, CompletableFuture<Receipt>> submit, String run)
            throws InterruptedException {
        // warm-up: a quarter of the time, not recorded
        drive(w, Math.max(2, seconds / 4), window, submit, run + "-warm", new ConcurrentHistogram(3));
        Histogram h = new ConcurrentHistogram(3);
        return drive(w, seconds, window, submit, run, h);
    }

    private static Result drive(World w, int seconds, int window, Function<Transaction, CompletableFuture<Receipt>> submit, String run, Histogram h)
            throws InterruptedException {
        Semaphore inFlight = new Semaphore(window);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        int threads = 4;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                while (System.nanoTime() < end) {
                    Transaction tx = upload(w, run);
                    try {
                        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    long t0 = System.nanoTime();
                    CompletableFuture<Receipt> f;
                    try {
                        f = submit.apply(tx);
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        inFlight.release();
                        continue;
                    }
                    f.whenComplete((r, ex) -> {
                        if (ex == null) {
                            h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                            ok.incrementAndGet();
                        } else {
                            if (failed.incrementAndGet() == 1) {
                                System.out.println(run + ": first failure: " + ex);
                            }
                        }
                        inFlight.release();
                    });
                }
            }, "bench-submitter-" + t);
            th.start();
            ts.add(th);
        }
        for (Thread th : ts) {
            th.join();
        }
        // wait for what is in flight (bounded), counted in the elapsed time
        inFlight.tryAcquire(window, 120, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        return new Result(ok.get(), failed.get(), secs, h);
    }

    private static void report(String what, Result r) {
        System.out.printf(Locale.ROOT, "%-45s %8.0f tx/s  p50 %6.1f ms  p99 %7.1f ms  (%d committed, %d failed, %.1f s)%n", what,
                r.throughput(), r.latency().getValueAtPercentile(50) / 1000.0, r.latency().getValueAtPercentile(99) / 1000.0,
                r.committed(), r.failed(), r.seconds());
    }
}
