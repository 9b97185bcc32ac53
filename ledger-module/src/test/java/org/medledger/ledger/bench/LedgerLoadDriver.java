package org.medledger.ledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.merkle.MerkleHash;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.MerkleTree;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.LedgerConfig;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.memory.InMemoryLedgerStore;
import org.medledger.ledger.testing.Databases;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.testing.PostgresCluster;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.VerificationReport;

/**
 * Load driver for docs/benchmarks.md (not a test, not run by {@code mvn test});
 * see docs/benchmarks.md (section "Ledger") for the command line.
 */
public final class LedgerLoadDriver {
    private LedgerLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        for (String mode : args.length == 0 ? new String[] {"crypto", "proofs", "append-h2", "append-pg", "verify-1m"} : args) {
            switch (mode) {
                case "crypto" -> crypto();
                case "proofs" -> proofs();
                case "append-h2" -> appendH2();
                case "append-pg" -> appendPg();
                case "verify-1m" -> verifyMillion(1_000_000);
                case "verify-100k" -> verifyMillion(100_000);
                default -> throw new IllegalArgumentException(mode);
            }
        }
        System.exit(0);
    }

    private static void report(String what, double value, String unit) {
        System.out.printf("%-60s %12.3f %s%n", what, value, unit);
    }

    private static void crypto() {
        Signer s = P256SignatureScheme.fromSeed("bench".getBytes());
        byte[] m = new byte[300];
        byte[] sig = s.sign(m);
        for (int i = 0; i < 3000; i++) {
            P256SignatureScheme.INSTANCE.verify(s.publicKey(), m, s.sign(m));
        }
        int n = 5000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            s.sign(m);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            P256SignatureScheme.INSTANCE.verify(s.publicKey(), m, sig);
        }
        long t2 = System.nanoTime();
        report("ECDSA P-256 sign (RFC 6979), one thread", (t1 - t0) / 1e3 / n, "us/op");
        report("ECDSA P-256 verify, one thread", (t2 - t1) / 1e3 / n, "us/op");
    }

    private static void proofs() throws Exception {
        for (int n : new int[] {1_000, 10_000, 100_000, 1_000_000}) {
            MerkleTree t = new MerkleTree();
            List<Digest> leaves = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Digest d = MerkleHash.leaf(("entry " + i).getBytes());
                leaves.add(d);
                t.append(d);
            }
            Digest root = t.root();
            SplittableRandom rnd = new SplittableRandom(n);
            int samples = 20_000;
            long[] idx = new long[samples];
            for (int i = 0; i < samples; i++) {
                idx[i] = rnd.nextLong(n);
            }
            for (int i = 0; i < samples; i++) { // warm-up
                MerkleProofs.verifyInclusion(leaves.get((int) idx[i]), t.inclusionProof(idx[i], n), n, root);
            }
            InclusionProof[] ps = new InclusionProof[samples];
            long t0 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                ps[i] = t.inclusionProof(idx[i], n);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                MerkleProofs.verifyInclusion(leaves.get((int) idx[i]), ps[i], n, root);
            }
            long t2 = System.nanoTime();
            ConsistencyProof[] cs = new ConsistencyProof[samples];
            long t3 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                cs[i] = t.consistencyProof(1 + idx[i] % (n - 1), n);
            }
            long t4 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                MerkleProofs.verifyConsistency(cs[i], cs[i].firstSize(), t.rootAt(cs[i].firstSize()), n, root);
            }
            long t5 = System.nanoTime();
            // rootAt is part of the last loop; measure it alone to subtract
            long t6 = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                t.rootAt(cs[i].firstSize());
            }
            long t7 = System.nanoTime();
            report("inclusion proof generation, log size " + n, (t1 - t0) / 1e3 / samples, "us/op");
            report("inclusion proof verification, log size " + n, (t2 - t1) / 1e3 / samples, "us/op");
            report("consistency proof generation, log size " + n, (t4 - t3) / 1e3 / samples, "us/op");
            report("consistency proof verification, log size " + n, ((t5 - t4) - (t7 - t6)) / 1e3 / samples, "us/op");
        }
    }

    private static List<Transaction> uploads(Fixture fx, int n, String run) {
        return IntStream.range(0, n).parallel().mapToObj(i -> fx.tx("doc-" + (i % 8), GroupAggContract.NAME, "upload",
                Arguments.builder().put("kind", "EMR").put("recordId", run + "-" + i).put("receiver", "pat-1")
                        .put("recordTime", Fixture.NOW).put("brief", "visit " + i).put("sensitive", Bytes.of(new byte[64])).build()))
                .toList();
    }

    private static void appendBench(String label, LedgerStore store, int single, int batched) throws Exception {
        Fixture fx = new Fixture();
        try (Ledger reg = fx.open(store)) {
            for (int d = 0; d < 8; d++) {
                fx.register(reg, "doc-" + d, Role.DOCTOR);
            }
        }
        List<Transaction> one = uploads(fx, single, "s");
        List<Transaction> many = uploads(fx, batched, "b");
        try (Ledger ledger = Ledger.open(store, fx.config().withBlockCutting(1, Duration.ZERO))) {
            long t0 = System.nanoTime();
            for (Transaction t : one) {
                ledger.submitAndWait(t);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            report(label + " single (1 submitter, 1 tx/block, ack after commit)", single / s, "tx/s");
        }
        LedgerConfig cfg = fx.config().withBlockCutting(2000, Duration.ofMillis(10));
        // Blocking submitters, each waiting for its acknowledgement before the next: at most that many in flight.
        int quarter = batched / 4;
        blocking(label, store, cfg, many.subList(0, quarter), 64);
        blocking(label, store, cfg, many.subList(quarter, 2 * quarter), 512);
        // Pipelined: 4 threads submit without waiting (validation in parallel), then all acks are awaited.
        try (Ledger ledger = Ledger.open(store, cfg)) {
            List<Transaction> rest = many.subList(2 * quarter, batched);
            long blocksBefore = ledger.head().orElseThrow().number();
            long t0 = System.nanoTime();
            ExecutorService submitters = Executors.newFixedThreadPool(4);
            List<CompletableFuture<List<CompletableFuture<org.medledger.ledger.node.Receipt>>>> parts = IntStream.range(0, 4)
                    .mapToObj(k -> CompletableFuture.supplyAsync(() -> IntStream.range(0, rest.size()).filter(i -> i % 4 == k)
                            .mapToObj(i -> ledger.submit(rest.get(i))).toList(), submitters))
                    .toList();
            parts.forEach(p -> p.join().forEach(CompletableFuture::join));
            submitters.shutdown();
            double s = (System.nanoTime() - t0) / 1e9;
            report(label + " batched, pipelined (4 submitting threads)", rest.size() / s, "tx/s");
            report(label + " pipelined: mean block size", rest.size() / (double) (ledger.head().orElseThrow().number() - blocksBefore), "tx/block");
        }
        // Store-only: blocks of 1,000 pre-validated transactions, i.e. what the database sustains.
        storeOnly(label, store, fx, 20_000);
    }

    private static void blocking(String label, LedgerStore store, LedgerConfig cfg, List<Transaction> txs, int submitters) throws Exception {
        try (Ledger ledger = Ledger.open(store, cfg)) {
            ExecutorService pool = Executors.newFixedThreadPool(submitters);
            AtomicInteger next = new AtomicInteger();
            long blocksBefore = ledger.head().orElseThrow().number();
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (int w = 0; w < submitters; w++) {
                fs.add(CompletableFuture.runAsync(() -> {
                    for (int i; (i = next.getAndIncrement()) < txs.size(); ) {
                        ledger.submit(txs.get(i)).join();
                    }
                }, pool));
            }
            fs.forEach(CompletableFuture::join);
            double s = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            report(label + " batched, " + submitters + " blocking submitters", txs.size() / s, "tx/s");
            report(label + " " + submitters + " blocking: mean block size", txs.size() / (double) (ledger.head().orElseThrow().number() - blocksBefore), "tx/block");
        }
    }

    private static void storeOnly(String label, LedgerStore store, Fixture fx, int n) {
        List<Transaction> txs = uploads(fx, n, "raw");
        BlockHeader head = store.head().orElseThrow();
        MerkleTree tree = new MerkleTree();
        store.leafHashes(0, Integer.MAX_VALUE).forEach(tree::append);
        long t0 = System.nanoTime();
        for (int b = 0; b < n / 1000; b++) {
            List<Transaction> block = txs.subList(b * 1000, (b + 1) * 1000);
            long first = tree.size();
            List<Digest> leaves = new ArrayList<>();
            java.util.Map<StateKey, VersionedValue> writes = new java.util.HashMap<>();
            for (int i = 0; i < block.size(); i++) {
                Digest leaf = LogLeaf.hash(first + i, block.get(i));
                leaves.add(leaf);
                tree.append(leaf);
                writes.put(new StateKey("ga-upload", block.get(i).body().args().string("recordId")), new VersionedValue(first + i + 1, Bytes.utf8("x")));
            }
            BlockHeader h = new BlockHeader(head.number() + 1, head.hash(), MerkleAccumulator.rootOf(leaves), first, block.size(), tree.root(),
                    Fixture.NOW, Fixture.NOW, Fixture.NOW, Fixture.PRODUCER, 0, 0);
            Block blk = new Block(h, Bytes.of(fx.producerKey.sign(Block.signingBytes(h.hash()))), block);
            store.append(new BlockCommit(blk, h.hash(), leaves, writes, writes.keySet(),
                    SignedTreeHead.sign(fx.config().logId(), tree.size(), tree.root(), Fixture.NOW, Fixture.PRODUCER, fx.producerKey)));
            head = h;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        report(label + " store append only (1,000-tx blocks, pre-validated)", n / s, "tx/s");
    }

    private static void appendH2() throws Exception {
        Path dir = Files.createTempDirectory("ledger-bench");
        try (Databases.JpaStore jpa = Databases.JpaStore.open(Databases.h2File(dir.resolve("bench")))) {
            appendBench("H2 file", jpa.store(), 1000, 40_000);
        }
    }

    private static void appendPg() throws Exception {
        try (PostgresCluster pg = PostgresCluster.start(); Databases.JpaStore jpa = Databases.JpaStore.open(pg.createDatabase())) {
            appendBench("PostgreSQL 15 (fsync on)", jpa.store(), 300, 40_000);
        }
    }

    /** Builds a chain of {@code n} signed transactions directly in memory, then times a full verification. */
    private static void verifyMillion(int n) {
        Fixture fx = new Fixture();
        InMemoryLedgerStore store = new InMemoryLedgerStore();
        try (Ledger reg = fx.open(store)) {
            for (int d = 0; d < 8; d++) {
                fx.register(reg, "doc-" + d, Role.DOCTOR);
            }
        }
        long t0 = System.nanoTime();
        int chunk = 100_000;
        org.medledger.ledger.testing.ChainBuilder chain = new org.medledger.ledger.testing.ChainBuilder(fx, store);
        for (int c = 0; c < n; c += chunk) {
            List<Transaction> txs = uploads(fx, Math.min(chunk, n - c), "v" + c);
            for (int b = 0; b < txs.size(); b += 1000) {
                chain.append(txs.subList(b, Math.min(txs.size(), b + 1000)), false);
            }
        }
        report("building a chain of " + n + " signed transactions", (System.nanoTime() - t0) / 1e9, "s");
        long t1 = System.nanoTime();
        VerificationReport r = fx.verifier().verify(ChainSource.of(store), store.latestTreeHead());
        double s = (System.nanoTime() - t1) / 1e9;
        if (!r.ok()) {
            throw new IllegalStateException(r.failure().toString());
        }
        report("full verification of " + r.transactions() + " transactions (" + r.blocks() + " blocks)", s, "s");
    }
}
