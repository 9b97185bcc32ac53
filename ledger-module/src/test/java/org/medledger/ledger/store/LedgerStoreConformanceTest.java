package org.medledger.ledger.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.seeds.GroupAggContract;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.merkle.MerkleProofs;
import org.medledger.ledger.merkle.ProofException;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.testing.Fixture;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.VerificationReport;

/**
 * One behavioural contract for every {@link LedgerStore} backend (memory, H2, PostgreSQL):
 * subclasses only say how to open a fresh store.
 */
abstract class LedgerStoreConformanceTest {
    protected final Fixture fx = new Fixture();
    protected LedgerStore store;
    private Ledger ledger;

    /** A fresh, empty store. */
    protected abstract LedgerStore openStore();

    /** Releases what {@link #openStore()} opened. */
    protected abstract void closeStore();

    /** Another connection to the same database (a second node's store); the same object where there is no database. */
    protected LedgerStore secondConnection() {
        return store;
    }

    @BeforeEach
    void setUp() {
        store = openStore();
    }

    @AfterEach
    void tearDown() {
        if (ledger != null) {
            ledger.close();
        }
        closeStore();
    }

    private Ledger ledger() {
        if (ledger == null) {
            ledger = fx.open(store);
        }
        return ledger;
    }

    private Transaction upload(String patient, String group, String recordId) {
        return fx.tx(patient, GroupAggContract.NAME, "upload", Arguments.builder().put("kind", "PHR").put("recordId", recordId)
                .put("receiver", group).put("recordTime", Fixture.NOW).put("brief", "b").put("sensitive", Bytes.of(new byte[] {1, 2}))
                .put("groupId", group).build());
    }

    @Test
    void emptyStoreHasNoHeadNoTreeHeadNoStateNoLeaves() {
        assertTrue(store.head().isEmpty());
        assertTrue(store.latestTreeHead().isEmpty());
        assertTrue(store.blocks(0, 10).isEmpty());
        assertTrue(store.leafHashes(0, 10).isEmpty());
        assertTrue(store.get(new StateKey("member", "nobody")).isEmpty());
        assertFalse(store.containsTransaction(Digest.ZERO));
        assertTrue(store.position(Digest.ZERO).isEmpty());
        assertTrue(fx.verifier().verify(ChainSource.of(store)).ok());
    }

    @Test
    void appendedBlocksReadBackExactlyAsAcknowledged() {
        List<Receipt> receipts = new ArrayList<>();
        List<Transaction> txs = new ArrayList<>();
        for (String p : List.of("pat-1", "pat-2", "pat-3")) {
            Transaction t = fx.registration(p, Role.PATIENT);
            txs.add(t);
            receipts.add(ledger().submitAndWait(t));
        }
        for (int i = 0; i < 5; i++) {
            Transaction t = upload("pat-1", "g-1", "rec-" + i); // only the group's members write its index
            txs.add(t);
            receipts.add(ledger().submitAndWait(t));
        }
        for (int i = 0; i < txs.size(); i++) {
            Receipt r = receipts.get(i);
            assertEquals(i, r.logIndex());
            StoredTransaction row = store.transaction(i).orElseThrow();
            assertEquals(txs.get(i), row.tx().orElseThrow());
            assertEquals(r.leafHash(), row.storedLeafHash().orElseThrow());
            assertEquals(LogLeaf.hash(i, txs.get(i)), r.leafHash());
            assertTrue(store.containsTransaction(txs.get(i).id()));
            assertEquals(new LedgerStore.TxPosition(i, r.block().number()), store.position(txs.get(i).id()).orElseThrow());
        }
        List<StoredBlock> blocks = store.blocks(0, 100);
        assertEquals(receipts.get(receipts.size() - 1).block().number() + 1, blocks.size());
        for (Receipt r : receipts) {
            StoredBlock b = blocks.get((int) r.block().number());
            assertEquals(r.block(), b.header().orElseThrow());
            assertEquals(r.block().hash(), b.storedHash().orElseThrow());
        }
        List<Digest> asked = new ArrayList<>(txs.stream().map(Transaction::id).toList());
        asked.add(Digest.ZERO);
        assertEquals(new HashSet<>(txs.stream().map(Transaction::id).toList()), store.storedTransactions(asked));
        assertEquals(txs.size(), store.leafHashes(0, 1000).size());
        assertEquals(blocks.size(), store.treeHeads(0, 1000).size());
        assertEquals(receipts.get(receipts.size() - 1).treeHead(), store.latestTreeHead().orElseThrow());
        assertEquals(receipts.get(receipts.size() - 1).block(), store.head().orElseThrow());
        assertEquals("5", store.get(new StateKey("ga-group-count", "g-1")).orElseThrow().value().utf8());
        VerificationReport report = fx.verifier().verify(ChainSource.of(store), store.latestTreeHead());
        assertTrue(report.ok(), () -> report.failure().toString());
        assertEquals(txs.size(), report.transactions());
    }

    private BlockCommit commitLike(BlockHeader previous, long number, long firstIndex, Transaction tx) {
        BlockHeader h = new BlockHeader(number, previous.hash(), Digest.ZERO, firstIndex, 1, Digest.ZERO, Fixture.NOW, Fixture.NOW,
                Fixture.NOW, Fixture.PRODUCER, 0, 0);
        SignedTreeHead sth = SignedTreeHead.sign(fx.config().logId(), firstIndex + 1, Digest.ZERO, Fixture.NOW, Fixture.PRODUCER, fx.producerKey);
        return new BlockCommit(new Block(h, Bytes.of(new byte[64]), List.of(tx)), h.hash(), List.of(Digest.ZERO),
                Map.of(new StateKey("ns", "k"), new VersionedValue(firstIndex + 1, Bytes.utf8("v"))), Set.of(new StateKey("ns", "k")), sth);
    }

    @Test
    void appendRefusesASecondBlockWithAnExistingNumberAndLeavesNoTrace() {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        BlockHeader head = store.head().orElseThrow();
        LedgerException e = assertThrows(LedgerException.class,
                () -> store.append(commitLike(head, head.number(), head.logSize(), upload("pat-1", "g", "r-fork"))));
        assertEquals(LedgerReason.FORK, e.reason());
        assertEquals(head, store.head().orElseThrow());
        assertEquals(head.logSize(), store.leafHashes(0, 100).size());
        assertTrue(store.get(new StateKey("ns", "k")).isEmpty());
    }

    @Test
    void appendRefusesABlockThatSkipsANumber() {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        BlockHeader head = store.head().orElseThrow();
        LedgerException e = assertThrows(LedgerException.class,
                () -> store.append(commitLike(head, head.number() + 2, head.logSize(), upload("pat-1", "g", "r-skip"))));
        assertEquals(LedgerReason.FORK, e.reason());
        assertEquals(head, store.head().orElseThrow());
    }

    @Test
    void appendOfAnAlreadyStoredTransactionFailsAtomically() {
        Transaction t = fx.registration("pat-1", Role.PATIENT);
        ledger().submitAndWait(t);
        BlockHeader head = store.head().orElseThrow();
        assertThrows(LedgerException.class, () -> store.append(commitLike(head, head.number() + 1, head.logSize(), t)));
        assertEquals(head, store.head().orElseThrow());
        assertEquals(1, store.treeHeads(0, 100).size());
        assertTrue(store.get(new StateKey("ns", "k")).isEmpty());
    }

    @Test
    void stateKeepsTheLatestWriteWithItsVersion() {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        Receipt a = ledger().submitAndWait(upload("pat-1", "g", "r-1"));
        Receipt b = ledger().submitAndWait(upload("pat-1", "g", "r-2"));
        VersionedValue v = store.get(new StateKey("ga-group-count", "g")).orElseThrow();
        assertEquals("2", v.value().utf8());
        assertEquals(b.logIndex() + 1, v.version());
        assertEquals(a.logIndex() + 1, store.get(new StateKey("ga-upload", "r-1")).orElseThrow().version());
    }

    @Test
    void storedTransactionsFindsExactlyTheStoredIdsAmongMany() {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        List<Digest> stored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stored.add(ledger().submitAndWait(upload("pat-1", "g", "s-" + i)).txId());
        }
        for (int size : new int[] {1, 3, 257, 600}) {
            List<Digest> ask = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                ask.add(Digest.sha256(("absent-" + size + "-" + i).getBytes()));
            }
            ask.set(0, stored.get(0));
            if (size > 2) {
                ask.set(size / 2, stored.get(1));
                ask.set(size - 1, stored.get(2));
            }
            Set<Digest> found = store.storedTransactions(ask);
            assertEquals(size > 2 ? Set.copyOf(stored) : Set.of(stored.get(0)), found, "asking " + size + " ids");
        }
        assertTrue(store.storedTransactions(List.of()).isEmpty());
    }

    @Test
    void stateKeysPageThroughEveryKeyOnceInOrder() {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        for (int i = 0; i < 23; i++) {
            ledger().submit(upload("pat-1", "g" + (i % 3), "r-" + i));
        }
        ledger().submitAndWait(upload("pat-1", "g", "r-last"));
        List<StateKey> all = new ArrayList<>();
        StateKey after = null;
        for (List<StateKey> page = store.stateKeys(null, 5); !page.isEmpty(); page = store.stateKeys(after, 5)) {
            assertTrue(page.size() <= 5);
            all.addAll(page);
            after = page.get(page.size() - 1);
        }
        assertEquals(all.size(), new HashSet<>(all).size(), "a key came twice");
        for (StateKey k : all) {
            assertTrue(store.get(k).isPresent(), k + " listed but not stored");
        }
        // member + 24 uploads + the group counters: every key a contract wrote is listed
        for (int i = 0; i < 23; i++) {
            assertTrue(all.contains(new StateKey("ga-upload", "r-" + i)));
        }
        assertTrue(all.contains(new StateKey("ga-upload", "r-last")));
        assertTrue(all.contains(new StateKey("ga-group-count", "g0")));
        assertTrue(all.contains(new StateKey("ga-group-count", "g")));
        assertTrue(store.stateKeys(all.get(all.size() - 1), 5).isEmpty());
    }

    @Test
    void aReopenedLedgerSeesStateWrittenBeforeItOpened() {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        ledger().submitAndWait(upload("pat-1", "g", "r-1"));
        ledger.close();
        ledger = null;
        // The reopened node's key filter is loaded from the store: a duplicate insert is still refused.
        LedgerException e = assertThrows(LedgerException.class, () -> ledger().submitAndWait(upload("pat-1", "g", "r-1")));
        assertEquals(LedgerReason.ALREADY_EXISTS, e.reason());
        assertTrue(ledger().state("ga-upload", "r-1").isPresent());
    }

    @Test
    void aReopenedLedgerContinuesTheChainConsistently() throws ProofException {
        fx.register(ledger(), "pat-1", Role.PATIENT);
        SignedTreeHead before = ledger().submitAndWait(upload("pat-1", "g", "r-1")).treeHead();
        ledger.close();
        ledger = null;
        Receipt after = ledger().submitAndWait(upload("pat-1", "g", "r-2"));
        assertEquals(before.treeSize(), after.logIndex());
        MerkleProofs.verifyConsistency(ledger().consistencyProof(before.treeSize(), after.treeHead().treeSize()),
                before.treeSize(), before.rootHash(), after.treeHead().treeSize(), after.treeHead().rootHash());
        MerkleProofs.verifyInclusion(after.leafHash(), ledger().inclusionProof(after.logIndex(), after.treeHead().treeSize()),
                after.treeHead().treeSize(), after.treeHead().rootHash());
        assertTrue(fx.verifier().verify(ChainSource.of(store), Optional.of(before)).ok());
    }

    @Test
    void twoHundredConcurrentWritersLeaveNoGapsNoForksNoLostWritesAndConsistentTreeHeads() throws Exception {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            patients.add("pat-" + i);
            fx.register(ledger(), "pat-" + i, Role.PATIENT);
        }
        int writers = 200;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger seq = new AtomicInteger();
        ConcurrentLinkedQueue<Receipt> acked = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        Map<Digest, String> groupOf = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        for (int w = 0; w < writers; w++) {
            int id = w;
            pool.execute(() -> {
                try {
                    while (!stop.get()) {
                        int n = seq.incrementAndGet();
                        String group = "grp-" + (id % 4); // four hot keys: every writer conflicts with others
                        Transaction t = upload(patients.get(id % 4), group, "rec-" + n); // a group's index is its owner's
                        groupOf.put(t.id(), group);
                        acked.add(ledger().submitAndWait(t));
                    }
                } catch (Throwable t) {
                    errors.add(t);
                } finally {
                    done.countDown();
                }
            });
        }
        Thread.sleep(2500);
        stop.set(true);
        assertTrue(done.await(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(errors.isEmpty(), () -> "writer failed: " + errors.peek());
        assertTrue(acked.size() > writers, "only " + acked.size() + " appends");

        // No gaps, no forks: the verifier replays the whole chain from genesis.
        VerificationReport report = fx.verifier().verify(ChainSource.of(store), store.latestTreeHead());
        assertTrue(report.ok(), () -> report.failure().toString());
        assertEquals(8 + acked.size(), report.transactions());

        // No acknowledged write lost: each group's counter and entries account for every acked upload.
        Map<String, Set<String>> expected = new HashMap<>();
        Set<Long> indices = new HashSet<>();
        for (Receipt r : acked) {
            assertTrue(indices.add(r.logIndex()));
            Transaction stored = store.transaction(r.logIndex()).orElseThrow().tx().orElseThrow();
            assertEquals(r.txId(), stored.id());
            expected.computeIfAbsent(groupOf.get(r.txId()), g -> new HashSet<>()).add(stored.body().args().string("recordId"));
        }
        for (Map.Entry<String, Set<String>> g : expected.entrySet()) {
            int count = Integer.parseInt(store.get(new StateKey("ga-group-count", g.getKey())).orElseThrow().value().utf8());
            assertEquals(g.getValue().size(), count);
            Set<String> entries = new HashSet<>();
            for (int i = 0; i < count; i++) {
                entries.add(store.get(StateKey.of("ga-group-entry", g.getKey(), Integer.toString(i))).orElseThrow().value().utf8());
            }
            assertEquals(g.getValue(), entries);
        }

        // A consistency proof between every consecutive pair of tree heads.
        List<SignedTreeHead> heads = store.treeHeads(0, Integer.MAX_VALUE);
        for (int i = 1; i < heads.size(); i++) {
            SignedTreeHead a = heads.get(i - 1);
            SignedTreeHead b = heads.get(i);
            assertTrue(b.treeSize() > a.treeSize());
            MerkleProofs.verifyConsistency(ledger().consistencyProof(a.treeSize(), b.treeSize()), a.treeSize(), a.rootHash(),
                    b.treeSize(), b.rootHash());
        }
    }

    /**
     * Two producers (two nodes, each with its own key and connection) write one store at once.
     * The store lets exactly one block take each number; the node that loses a race is refused
     * with FORK and stops. The chain stays one line: it verifies, and every acknowledged
     * transaction is at its index.
     */
    @Test
    void twoProducersOnOneStoreLeaveOneChainAndTheLoserStops() throws Exception {
        for (int i = 0; i < 4; i++) {
            fx.register(ledger(), "pat-" + i, Role.PATIENT);
        }
        try (Ledger second = Ledger.open(secondConnection(), fx.config2())) {
            List<Ledger> nodes = List.of(ledger(), second);
            int writersPerNode = 16;
            AtomicInteger seq = new AtomicInteger();
            ConcurrentLinkedQueue<Receipt> acked = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<LedgerReason> refusals = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(2 * writersPerNode);
            CountDownLatch done = new CountDownLatch(2 * writersPerNode);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
            for (int w = 0; w < 2 * writersPerNode; w++) {
                Ledger node = nodes.get(w % 2);
                String patient = "pat-" + (w % 4);
                pool.execute(() -> {
                    try {
                        while (System.nanoTime() < until) {
                            Transaction t = upload(patient, "grp-" + patient, "two-" + seq.incrementAndGet()); // a group's index is its members'
                            try {
                                acked.add(node.submitAndWait(t));
                            } catch (LedgerException e) {
                                refusals.add(e.reason());
                            }
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(120, TimeUnit.SECONDS));
            pool.shutdown();
            assertTrue(errors.isEmpty(), () -> "writer failed: " + errors.peek());
            assertTrue(refusals.contains(LedgerReason.FORK), () -> "no producer ever lost a race: " + refusals.size() + " refusals");
            for (LedgerReason r : refusals) {
                assertTrue(r == LedgerReason.FORK || r == LedgerReason.CLOSED, "unexpected refusal " + r);
            }
            assertFalse(acked.isEmpty());

            VerificationReport report = fx.verifier().verify(ChainSource.of(store), store.latestTreeHead());
            assertTrue(report.ok(), () -> report.failure().toString());
            assertEquals(4 + acked.size(), report.transactions(), "only acknowledged transactions are on the chain");
            Set<Long> indices = new HashSet<>();
            for (Receipt r : acked) {
                assertTrue(indices.add(r.logIndex()), "two receipts for index " + r.logIndex());
                assertEquals(r.txId(), store.transaction(r.logIndex()).orElseThrow().tx().orElseThrow().id());
            }
            // Exactly one node lost a race and stopped; the other still appends.
            int stopped = 0;
            for (Ledger node : nodes) {
                try {
                    node.submitAndWait(upload("pat-0", "grp-pat-0", "after-" + node.hashCode()));
                } catch (LedgerException e) {
                    assertTrue(e.reason() == LedgerReason.CLOSED || e.reason() == LedgerReason.FORK, e::toString);
                    stopped++;
                }
            }
            assertEquals(1, stopped, "exactly the node that lost a race stops");
            assertTrue(fx.verifier().verify(ChainSource.of(store), store.latestTreeHead()).ok());
        }
    }
}
