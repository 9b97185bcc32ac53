package org.medledger.ledger.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.Contract;
import org.medledger.ledger.contract.ContractException;
import org.medledger.ledger.contract.Invocation;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.merkle.MerkleTree;
import org.medledger.ledger.state.ReadWriteSet;
import org.medledger.ledger.state.RecordingState;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.VerificationReport;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;

/**
 * A single ledger node: the only writer of its store. Submissions are authenticated and
 * simulated by the calling thread; one producer thread orders them into blocks, re-validates
 * read sets against the state as of their position (re-executing the contract on conflict, so
 * no acknowledged-as-valid write is lost), signs, appends durably, and only then completes
 * the submitters' futures.
 */
public final class Ledger implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

    private final LedgerStore store;
    private final LedgerConfig config;
    private final TransactionProcessor processor;
    private final MerkleTree tree = new MerkleTree();
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Set<Digest> pendingIds = ConcurrentHashMap.newKeySet();
    private final Thread producer;
    private volatile boolean running = true;
    private volatile BlockHeader head;
    private volatile SignedTreeHead latest;

    /** {@code generation}: the state-cache generation when simulation started. */
    private record Pending(Prepared prepared, CompletableFuture<Receipt> done, long generation) {
    }

    /** Committed state as this node, the only writer, knows it; see {@link StateCache}. */
    private final StateCache state;

    private Ledger(LedgerStore store, LedgerConfig config, ThreadFactory threads) {
        this.store = store;
        this.config = config;
        config.anchors().validated(config.scheme());
        MemberCertificate producerCert = config.anchors().producer(config.producerId(), config.clock().millis());
        if (!Arrays.equals(producerCert.publicKey().toArray(), config.producerKey().publicKey())) {
            throw new LedgerException(LedgerReason.BAD_SIGNATURE, "producer key does not match its certificate");
        }
        this.processor = new TransactionProcessor(config.contracts(), new MemberDirectory(config.anchors()), config.scheme());
        if (config.verifyOnOpen()) {
            verifyStored();
        }
        this.state = new StateCache(store, store::stateKeys);
        try {
            this.head = store.head().orElse(null);
            this.latest = store.latestTreeHead().orElse(null);
        } catch (RuntimeException e) {
            throw new LedgerException(LedgerReason.CORRUPT, "the last block or tree head does not decode; run the verifier", e);
        }
        rebuildTree();
        this.producer = threads.newThread(this::produce);
        if (producer == null) {
            throw new LedgerException(LedgerReason.CLOSED, "no thread for the block producer");
        }
        this.producer.start();
    }

    /**
     * Opens a node over {@code store}, rebuilding the in-memory Merkle tree from the stored
     * leaves; the block producer runs on a daemon thread of its own.
     */
    public static Ledger open(LedgerStore store, LedgerConfig config) {
        return open(store, config, r -> {
            Thread t = new Thread(r, "ledger-producer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * {@link #open(LedgerStore, LedgerConfig)} with the block producer on a thread of
     * {@code threads} (in a container: its managed thread factory).
     */
    public static Ledger open(LedgerStore store, LedgerConfig config, ThreadFactory threads) {
        return new Ledger(store, config, threads);
    }

    /**
     * Replays the stored chain from genesis before serving it: every block, transaction, tree
     * head and the world state (a deleted revocation row would otherwise re-enable a member),
     * held to the checkpoint file when there is one (a chain rewritten and re-signed with this
     * node's key does not extend the head it saved).
     */
    private void verifyStored() {
        Optional<SignedTreeHead> checkpoint = readCheckpoint();
        VerificationReport r = new LedgerVerifier(config.anchors(), config.contracts(), config.scheme(), config.timestampWindow())
                .verify(ChainSource.of(store), checkpoint);
        if (!r.ok()) {
            throw new LedgerException(LedgerReason.CORRUPT, "the stored ledger does not verify: " + r.failure().get());
        }
        LOG.info(() -> "Ledger verified on open: " + r.blocks() + " blocks, " + r.transactions() + " transactions"
                + checkpoint.map(c -> ", extends the checkpoint of size " + c.treeSize()).orElse(""));
    }

    private Optional<SignedTreeHead> readCheckpoint() {
        Path file = config.checkpointFile();
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SignedTreeHead.decode(Files.readAllBytes(file)));
        } catch (IOException | RuntimeException e) {
            throw new LedgerException(LedgerReason.CORRUPT, "checkpoint file " + file + " unreadable: " + e.getMessage());
        }
    }

    /** Replaces the checkpoint file atomically; a failure is logged (the block is durable already). */
    private void saveCheckpoint(SignedTreeHead sth) {
        Path file = config.checkpointFile();
        if (file == null) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.write(tmp, sth.encode());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning(() -> "cannot save the checkpoint " + file + ": " + e.getMessage());
        }
    }

    private void rebuildTree() {
        long expected = head == null ? 0 : head.logSize();
        for (List<Digest> page = store.leafHashes(0, 10_000); !page.isEmpty(); page = store.leafHashes(tree.size(), 10_000)) {
            page.forEach(tree::append);
        }
        if (tree.size() != expected || (head != null && !tree.root().equals(head.logRoot()))) {
            throw new LedgerException(LedgerReason.STORE_FAILURE, "stored leaves do not match the last block; run the verifier");
        }
    }

    /**
     * Validates {@code tx} (members, signatures, endorsement policy, contract) against the
     * committed state and queues it. Refusals throw {@link LedgerException} right away; the
     * future completes once the block holding it is durably stored.
     */
    public CompletableFuture<Receipt> submit(Transaction tx) {
        if (!running) {
            throw new LedgerException(LedgerReason.CLOSED, "ledger is closed");
        }
        long now = config.clock().millis();
        if (Math.abs(now - tx.body().timestamp()) > config.timestampWindow().toMillis()) {
            throw new LedgerException(LedgerReason.STALE_TIMESTAMP, "timestamp outside the acceptance window");
        }
        Digest id = tx.id();
        // In flight here; already stored is checked at the cut, for the whole block in one query.
        if (!pendingIds.add(id)) {
            throw new LedgerException(LedgerReason.DUPLICATE_TRANSACTION, "transaction " + id + " already submitted");
        }
        try {
            long gen = state.generation();
            Prepared p = processor.prepare(tx, state);
            processor.verify(p);
            CompletableFuture<Receipt> f = new CompletableFuture<>();
            Pending pending = new Pending(p, f, gen);
            queue.add(pending);
            // closed while this was verified: the producer may have drained the queue for the last time
            if (!running && queue.remove(pending)) {
                pendingIds.remove(id);
                f.completeExceptionally(new LedgerException(LedgerReason.CLOSED, "ledger is closed"));
            }
            return f;
        } catch (RuntimeException e) {
            pendingIds.remove(id);
            throw e;
        }
    }

    /** Submits and waits for the durable receipt; refusals at block cut surface as {@link LedgerException}. */
    public Receipt submitAndWait(Transaction tx) {
        try {
            return submit(tx).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException(LedgerReason.STORE_FAILURE, "interrupted while waiting for the block");
        } catch (TimeoutException e) {
            // Not a failure: the block may still commit (or be reconciled as committed) after this.
            throw new LedgerException(LedgerReason.OUTCOME_UNKNOWN, "transaction " + tx.id() + " not confirmed within 60 s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException(LedgerReason.STORE_FAILURE, "append failed", e.getCause());
        }
    }

    /**
     * Evaluates a read-only contract function (e.g. the seeds' {@code ptchk}, {@code mrchk})
     * against committed state without writing anything; refusals throw {@link ContractException}.
     */
    public void query(String contract, String function, Arguments args) {
        Contract c = config.contracts().require(contract, function);
        if (!c.readOnlyFunctions().contains(function)) {
            throw new ContractException(LedgerReason.UNKNOWN_CONTRACT, function + " is not a read-only function");
        }
        c.invoke(new Invocation(Digest.ZERO, "query", Role.AUDITOR, function, args, config.clock().millis(), Map.of()),
                new RecordingState(state));
    }

    /** Committed world state. */
    public Optional<VersionedValue> state(String namespace, String key) {
        return state.get(new StateKey(namespace, key));
    }

    public Optional<SignedTreeHead> latestTreeHead() {
        return Optional.ofNullable(latest);
    }

    public Optional<BlockHeader> head() {
        return Optional.ofNullable(head);
    }

    public Optional<StoredTransaction> transaction(long logIndex) {
        return store.transaction(logIndex);
    }

    public InclusionProof inclusionProof(long logIndex, long treeSize) {
        return tree.inclusionProof(logIndex, treeSize);
    }

    public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
        return tree.consistencyProof(firstSize, secondSize);
    }

    /** Current number of log entries (acknowledged transactions). */
    /**
     * Whether this node still accepts submissions: false once it was closed, or once its producer
     * stopped on a fork or an outcome it cannot know (every later submission is refused CLOSED).
     */
    public boolean isOpen() {
        return running && producer.isAlive();
    }

    public long size() {
        BlockHeader h = head;
        return h == null ? 0 : h.logSize();
    }

    private void produce() {
        LOG.info(() -> "block producer of " + config.producerId() + " running on " + Thread.currentThread().getName());
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + config.maxBlockDelay().toNanos();
                while (batch.size() < config.maxBlockTransactions()) {
                    queue.drainTo(batch, config.maxBlockTransactions() - batch.size());
                    long wait = deadline - System.nanoTime();
                    // closing: cut what waits now instead of waiting out the block delay
                    if (batch.size() >= config.maxBlockTransactions() || wait <= 0 || !running) {
                        break;
                    }
                    Pending next = queue.poll(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                cut(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "block production failed", e);
                fail(batch, new LedgerException(LedgerReason.STORE_FAILURE, "block production failed", e));
            } finally {
                batch.forEach(p -> pendingIds.remove(p.prepared().tx().id()));
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new LedgerException(LedgerReason.CLOSED, "ledger closed"));
            pendingIds.remove(p.prepared().tx().id());
        }
    }

    private void cut(List<Pending> batch) {
        long first = tree.size();
        OverlayState overlay = new OverlayState(state);
        Set<StateKey> created = new HashSet<>();
        List<Pending> accepted = new ArrayList<>();
        List<Transaction> txs = new ArrayList<>();
        List<Digest> leaves = new ArrayList<>();
        Set<Digest> inBlock = new HashSet<>();
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        // Block times strictly increase (the verifier requires it), even with a clock that stands still or steps back.
        long now = Math.max(config.clock().millis(), head == null ? Long.MIN_VALUE : head.createdAt() + 1);
        long window = config.timestampWindow().toMillis();
        Set<Digest> stored = store.storedTransactions(batch.stream().map(p -> p.prepared().tx().id()).toList());
        for (Pending p : batch) {
            Prepared prepared = p.prepared();
            Transaction tx = prepared.tx();
            try {
                if (stored.contains(tx.id())) {
                    throw new LedgerException(LedgerReason.DUPLICATE_TRANSACTION, "transaction " + tx.id() + " is already on the ledger");
                }
                if (Math.abs(now - tx.body().timestamp()) > window) {
                    // Waited past the window (or submitted at its edge): the block's time must cover it.
                    throw new LedgerException(LedgerReason.STALE_TIMESTAMP, "timestamp outside the window at the block's time");
                }
                if (!inBlock.add(tx.id())) {
                    throw new LedgerException(LedgerReason.DUPLICATE_TRANSACTION, "duplicate in block");
                }
                if (!stillValid(prepared.readWriteSet(), p.generation(), overlay)) {
                    // Someone wrote what this transaction read: run it again on the state at its position.
                    prepared = processor.prepare(tx, overlay);
                    processor.verify(prepared);
                }
            } catch (LedgerException e) {
                p.done().completeExceptionally(e);
                continue;
            }
            long index = first + txs.size();
            ReadWriteSet rw = prepared.readWriteSet();
            for (Map.Entry<StateKey, Bytes> w : rw.writes().entrySet()) {
                StateKey k = w.getKey();
                if (!overlay.writes().containsKey(k) && !committedBefore(k, rw)) {
                    created.add(k);
                }
                overlay.put(k, new VersionedValue(index + 1, w.getValue()));
            }
            accepted.add(p);
            txs.add(tx);
            leaves.add(LogLeaf.hash(index, tx));
            minTs = Math.min(minTs, tx.body().timestamp());
            maxTs = Math.max(maxTs, tx.body().timestamp());
        }
        if (txs.isEmpty()) {
            return;
        }
        leaves.forEach(tree::append);
        BlockHeader h;
        Digest blockHash;
        BlockCommit commit;
        try {
            Digest logRoot = tree.root();
            h = new BlockHeader(head == null ? 0 : head.number() + 1, head == null ? Digest.ZERO : head.hash(),
                    MerkleAccumulator.rootOf(leaves), first, txs.size(), logRoot, now, minTs, maxTs, config.producerId(),
                    0, config.difficultyBits()).solve();
            blockHash = h.hash();
            Block block = new Block(h, Bytes.of(config.producerKey().sign(Block.signingBytes(blockHash))), txs);
            SignedTreeHead sth = SignedTreeHead.sign(config.logId(), tree.size(), logRoot, now, config.producerId(), config.producerKey());
            commit = new BlockCommit(block, blockHash, leaves, overlay.writes(), created, sth);
        } catch (RuntimeException e) {
            tree.truncate(first);
            fail(accepted, new LedgerException(LedgerReason.STORE_FAILURE, "block could not be built", e));
            return;
        }
        try {
            store.append(commit);
        } catch (RuntimeException e) {
            LedgerException le = e instanceof LedgerException x ? x : new LedgerException(LedgerReason.STORE_FAILURE, "append failed", e);
            // The store's answer is not the outcome: a commit can succeed and still report an error
            // (connection lost at commit). Ask the store what it holds at this number.
            Outcome outcome = reconcile(h.number(), blockHash);
            if (outcome != Outcome.COMMITTED) {
                tree.truncate(first);
                if (outcome == Outcome.UNKNOWN) {
                    le = new LedgerException(LedgerReason.OUTCOME_UNKNOWN, "block " + h.number() + " may or may not be stored", e);
                } else if (outcome == Outcome.OTHER_BLOCK) {
                    le = new LedgerException(LedgerReason.FORK, "another writer stored block " + h.number(), e);
                }
                fail(accepted, le);
                if (le.reason() == LedgerReason.FORK || le.reason() == LedgerReason.OUTCOME_UNKNOWN) {
                    // Another writer, or a head this node can no longer know: producing more could only fork.
                    LOG.severe("stopping the producer: " + le.getMessage());
                    running = false;
                }
                return;
            }
            LOG.warning("block " + h.number() + " is stored although its append reported: " + le.getMessage());
        }
        head = h;
        latest = commit.treeHead();
        saveCheckpoint(latest);
        // Durable from here on: nothing below may undo the block.
        state.committed(overlay.writes());
        for (int i = 0; i < accepted.size(); i++) {
            accepted.get(i).done().complete(new Receipt(txs.get(i).id(), first + i, leaves.get(i), head, latest));
        }
    }

    private enum Outcome { COMMITTED, ABSENT, OTHER_BLOCK, UNKNOWN }

    /**
     * What the store holds at block {@code number} after an append that reported an error:
     * this block (committed after all), nothing (not committed), or another writer's block.
     * Reads are retried with backoff while the store does not answer; only a node being closed
     * gives up (UNKNOWN).
     */
    private Outcome reconcile(long number, Digest blockHash) {
        long delay = 50;
        while (true) {
            try {
                List<StoredBlock> at = store.blocks(number, 1);
                if (at.isEmpty() || at.get(0).storedNumber() != number) {
                    return Outcome.ABSENT;
                }
                return at.get(0).storedHash().map(blockHash::equals).orElse(false) ? Outcome.COMMITTED : Outcome.OTHER_BLOCK;
            } catch (RuntimeException e) {
                if (!running) {
                    return Outcome.UNKNOWN;
                }
                long d = delay;
                LOG.warning(() -> "the store does not answer whether block " + number + " is stored; asking again in " + d + " ms");
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return Outcome.UNKNOWN;
                }
                delay = Math.min(delay * 2, 5_000);
            }
        }
    }

    /** Read-set validation at the transaction's position: block writes, then this node's commits, then the store. */
    private boolean stillValid(ReadWriteSet rw, long simulatedIn, OverlayState overlay) {
        for (Map.Entry<StateKey, Long> r : rw.reads().entrySet()) {
            StateKey k = r.getKey();
            VersionedValue inBlock = overlay.writes().get(k);
            long current;
            if (inBlock != null) {
                current = inBlock.version();
            } else {
                Optional<VersionedValue> c = state.peek(k);
                if (c != null) {
                    current = c.map(VersionedValue::version).orElse(0L);
                } else if (simulatedIn == state.generation()) {
                    continue; // not written by anyone since the simulation read it
                } else {
                    current = store.version(k);
                }
            }
            if (current != r.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code k} had a committed value before this block (the read set usually knows). */
    private boolean committedBefore(StateKey k, ReadWriteSet rw) {
        Long read = rw.reads().get(k);
        if (read != null) {
            return read != 0;
        }
        return state.get(k).isPresent();
    }

    private static void fail(List<Pending> batch, LedgerException e) {
        for (Pending p : batch) {
            p.done().completeExceptionally(e);
        }
    }

    /**
     * Stops accepting submissions, cuts what is queued (their submitters get their receipts), and
     * stops the producer. Does not close the store.
     */
    @Override
    public void close() {
        running = false;
        try {
            producer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
