package org.medledger.ledger.verify;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.SignatureScheme;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.node.Prepared;
import org.medledger.ledger.node.SignatureCheck;
import org.medledger.ledger.node.TransactionProcessor;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.StateEntry;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;

/**
 * Replays a chain from genesis with nothing but the trust anchors and the contract code, and
 * reports the first block, transaction or tree head that is wrong. World state is rebuilt in
 * memory from the transactions. Signature checks run on worker threads while the replay goes
 * on (a few blocks ahead at most); the first failure reported is the same as in a sequential
 * run: before any failure is reported, every signature check of earlier positions completes.
 */
public final class LedgerVerifier {
    private static final int PAGE = 200;
    /** Signature checks per worker task. */
    private static final int CHUNK = 64;
    /** Blocks whose signature checks may still be running while the replay goes on. */
    private static final int BLOCKS_AHEAD = 4;

    /** The node's default acceptance window ({@code LedgerConfig.defaults}). */
    public static final Duration DEFAULT_TIMESTAMP_WINDOW = Duration.ofMinutes(5);

    private final TrustAnchors anchors;
    private final SignatureScheme scheme;
    private final TransactionProcessor processor;
    private final long windowMillis;

    public LedgerVerifier(TrustAnchors anchors, ContractRegistry contracts, SignatureScheme scheme) {
        this(anchors, contracts, scheme, DEFAULT_TIMESTAMP_WINDOW);
    }

    /** {@code timestampWindow}: the node's acceptance window; every transaction's time is within it of its block's time. */
    public LedgerVerifier(TrustAnchors anchors, ContractRegistry contracts, SignatureScheme scheme, Duration timestampWindow) {
        this.anchors = anchors.validated(scheme);
        this.scheme = scheme;
        this.processor = new TransactionProcessor(contracts, new MemberDirectory(anchors), scheme);
        this.windowMillis = timestampWindow.toMillis();
    }

    /** Verifies the whole chain. */
    public VerificationReport verify(ChainSource source) {
        return verify(source, Optional.empty());
    }

    /**
     * Verifies the whole chain and that it extends {@code checkpoint}, a tree head obtained
     * earlier (e.g. in a receipt): a truncated or rewritten chain then fails.
     */
    public VerificationReport verify(ChainSource source, Optional<SignedTreeHead> checkpoint) {
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ledger-verifier-signatures");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Run(source, checkpoint, pool).run();
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Signature checks of one block still running: task results are the lowest failing
     * position in their chunk (or -1); {@code blocks}, {@code logSize} and {@code logRoot} are
     * what a report names if one of them fails (the state before the block's leaves).
     */
    private record PendingSignatures(long firstLogIndex, List<Future<Integer>> chunks, long blocks, long logSize, Digest logRoot) {
    }

    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient VerificationFailure failure;

        Stop(Location l, long index, Check c, String detail) {
            super(null, null, false, false);
            this.failure = new VerificationFailure(l, index, c, detail);
        }
    }

    /** A signature failure, with the report as a sequential run would have made it. */
    private static final class SignatureStop extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient VerificationReport report;

        SignatureStop(VerificationReport report) {
            super(null, null, false, false);
            this.report = report;
        }
    }

    private final class Run {
        private final ChainSource source;
        private final Optional<SignedTreeHead> checkpoint;
        private final MerkleAccumulator log = new MerkleAccumulator();
        private final Map<StateKey, VersionedValue> state = new HashMap<>();
        private final Set<Digest> ids = new HashSet<>();
        private long lastBlockTime = Long.MIN_VALUE;
        private long lastHeadTime = Long.MIN_VALUE;
        /** The log every head must name: the checkpoint's, else the first head's. */
        private String logId;
        private Digest checkpointRoot;
        private long blocks;
        private Digest previousHash = Digest.ZERO;
        private Iterator<SignedTreeHead> heads;
        private SignedTreeHead nextHead;
        private long headsFrom;
        private final ExecutorService pool;
        private final Deque<PendingSignatures> pending = new ArrayDeque<>();

        Run(ChainSource source, Optional<SignedTreeHead> checkpoint, ExecutorService pool) {
            this.source = source;
            this.checkpoint = checkpoint;
            this.pool = pool;
        }

        VerificationReport run() {
            try {
                checkpoint.ifPresent(this::checkCheckpointSignature);
                logId = checkpoint.map(SignedTreeHead::logId).orElse(null);
                advanceHead();
                while (true) {
                    List<StoredBlock> page = source.blocks(blocks, PAGE);
                    if (page.isEmpty()) {
                        break;
                    }
                    for (StoredBlock b : page) {
                        block(b);
                        while (pending.size() > BLOCKS_AHEAD) {
                            awaitOldest();
                        }
                    }
                }
                while (!pending.isEmpty()) {
                    awaitOldest();
                }
                if (nextHead != null) {
                    // A signed head covers more than the chain holds: blocks were cut off the end.
                    throw new Stop(Location.BLOCK, blocks, Check.BLOCK_MISSING, "tree head for size " + nextHead.treeSize() + " but the chain ends at " + log.size());
                }
                if (checkpoint.isPresent()) {
                    SignedTreeHead cp = checkpoint.get();
                    if (log.size() < cp.treeSize()) {
                        throw new Stop(Location.BLOCK, blocks, Check.LOG_TRUNCATED, "log has " + log.size() + " entries, checkpoint " + cp.treeSize());
                    }
                    Digest at = cp.treeSize() == 0 ? log.root() : checkpointRoot;
                    if (cp.treeSize() == 0 ? !org.medledger.ledger.merkle.MerkleHash.EMPTY_ROOT.equals(cp.rootHash()) : !cp.rootHash().equals(at)) {
                        throw new Stop(Location.TREE_HEAD, cp.treeSize(), Check.CHECKPOINT_ROOT, "the log does not extend the checkpoint");
                    }
                }
                danglingRows();
                if (source.holdsState()) {
                    compareState();
                }
                return new VerificationReport(blocks, log.size(), log.root(), Optional.empty());
            } catch (Stop s) {
                // An earlier position's signature failure comes first.
                try {
                    while (!pending.isEmpty()) {
                        awaitOldest();
                    }
                } catch (SignatureStop earlier) {
                    return earlier.report;
                }
                return new VerificationReport(blocks, log.size(), log.root(), Optional.of(s.failure));
            } catch (SignatureStop s) {
                return s.report;
            }
        }

        /** Transaction rows beyond the last block's entries: inserted rows no block accounts for. */
        private void danglingRows() {
            List<StoredTransaction> extra = source.transactions(log.size(), 1);
            if (!extra.isEmpty()) {
                throw new Stop(Location.TRANSACTION, extra.get(0).logIndex(), Check.TX_DANGLING,
                        "row beyond the last block (log has " + log.size() + " entries)");
            }
        }

        /** The stored world state must be exactly the replayed one: same keys, versions and values. */
        private void compareState() {
            Set<StateKey> seen = new HashSet<>();
            String ns = null;
            String key = null;
            for (List<StateEntry> page = source.state(null, null, 1000); !page.isEmpty(); page = source.state(ns, key, 1000)) {
                for (StateEntry e : page) {
                    ns = e.namespace();
                    key = e.key();
                    StateKey k;
                    try {
                        k = new StateKey(e.namespace(), e.key());
                    } catch (RuntimeException bad) {
                        throw new Stop(Location.STATE, Math.max(0, e.version() - 1), Check.STATE_EXTRA, "unreadable key " + e.namespace() + "/" + e.key());
                    }
                    VersionedValue replayed = state.get(k);
                    if (replayed == null) {
                        throw new Stop(Location.STATE, Math.max(0, e.version() - 1), Check.STATE_EXTRA, "no transaction wrote " + describe(k));
                    }
                    if (replayed.version() != e.version() || !replayed.value().equals(e.value())) {
                        throw new Stop(Location.STATE, replayed.version() - 1, Check.STATE_MISMATCH, describe(k) + " differs from the replay");
                    }
                    if (!seen.add(k)) {
                        throw new Stop(Location.STATE, replayed.version() - 1, Check.STATE_EXTRA, describe(k) + " stored twice");
                    }
                }
            }
            if (seen.size() != state.size()) {
                Map.Entry<StateKey, VersionedValue> missing = state.entrySet().stream().filter(e -> !seen.contains(e.getKey()))
                        .min(Comparator.comparingLong((Map.Entry<StateKey, VersionedValue> e) -> e.getValue().version())
                                .thenComparing(Map.Entry::getKey))
                        .orElseThrow();
                throw new Stop(Location.STATE, missing.getValue().version() - 1, Check.STATE_MISSING,
                        describe(missing.getKey()) + " written by the chain but not stored");
            }
        }

        private static String describe(StateKey k) {
            return "state " + k.namespace() + " / " + k.key();
        }

        /** Waits for the oldest block's signature checks; throws {@link SignatureStop} at the first failing position. */
        private void awaitOldest() {
            PendingSignatures p = pending.removeFirst();
            int bad = -1;
            for (Future<Integer> f : p.chunks()) {
                int r = await(f);
                if (r >= 0) {
                    bad = r;
                    break;
                }
            }
            if (bad >= 0) {
                pending.clear();
                VerificationFailure f = new VerificationFailure(Location.TRANSACTION, p.firstLogIndex() + bad, Check.TX_SIGNATURE,
                        "a submitter or endorser signature does not verify");
                throw new SignatureStop(new VerificationReport(p.blocks(), p.logSize(), p.logRoot(), Optional.of(f)));
            }
        }

        private int await(Future<Integer> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while verifying signatures", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("signature check failed to run", e.getCause());
            }
        }

        /** Queues the signature checks of positions {@code 0..sigs.size()-1} of the block at {@code firstLogIndex}. */
        private void dispatch(long firstLogIndex, List<List<SignatureCheck>> sigs) {
            List<Future<Integer>> chunks = new ArrayList<>();
            for (int from = 0; from < sigs.size(); from += CHUNK) {
                int lo = from;
                int hi = Math.min(sigs.size(), from + CHUNK);
                chunks.add(pool.submit(() -> {
                    for (int i = lo; i < hi; i++) {
                        for (SignatureCheck c : sigs.get(i)) {
                            if (!c.verify(scheme)) {
                                return i;
                            }
                        }
                    }
                    return -1;
                }));
            }
            pending.addLast(new PendingSignatures(firstLogIndex, chunks, blocks, log.size(), log.root()));
        }

        private void checkCheckpointSignature(SignedTreeHead cp) {
            try {
                MemberCertificate p = anchors.producer(cp.signer(), cp.timestamp());
                if (cp.verify(p.publicKey(), scheme)) {
                    return;
                }
            } catch (LedgerException e) {
                // falls through
            }
            throw new Stop(Location.TREE_HEAD, cp.treeSize(), Check.CHECKPOINT_SIGNATURE, "checkpoint not signed by a producer");
        }

        private void advanceHead() {
            if (heads == null || !heads.hasNext()) {
                List<SignedTreeHead> page = source.treeHeads(headsFrom, PAGE);
                heads = page.iterator();
            }
            nextHead = heads.hasNext() ? heads.next() : null;
            if (nextHead != null) {
                headsFrom = nextHead.treeSize() + 1;
            }
        }

        private void block(StoredBlock sb) {
            long n = blocks;
            if (sb.storedNumber() != n) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_MISSING, "found block " + sb.storedNumber() + " where " + n + " belongs");
            }
            if (sb.header().isEmpty() || sb.producerSignature().isEmpty() || sb.storedHash().isEmpty()) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_MALFORMED, String.valueOf(sb.decodeError()));
            }
            BlockHeader h = sb.header().get();
            if (h.txCount() < 0 || h.firstLogIndex() < 0 || h.nonce() < 0 || h.difficultyBits() < 0) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_MALFORMED, "negative count, index, nonce or difficulty");
            }
            Digest hash = h.hash();
            if (h.number() != n) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_NUMBER, "header says " + h.number());
            }
            if (!hash.equals(sb.storedHash().get())) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_HASH, "stored block hash differs from the header's hash");
            }
            if (!h.previousHash().equals(previousHash)) {
                throw new Stop(Location.BLOCK, n, Check.PREVIOUS_HASH, "does not link to block " + (n - 1));
            }
            if (!h.meetsDifficulty()) {
                throw new Stop(Location.BLOCK, n, Check.DIFFICULTY, "block id above the difficulty target");
            }
            MemberCertificate producer;
            try {
                producer = anchors.producer(h.producer(), h.createdAt());
            } catch (LedgerException e) {
                throw new Stop(Location.BLOCK, n, Check.PRODUCER, e.getMessage());
            }
            if (!scheme.verify(producer.publicKey().toArray(), Block.signingBytes(hash), sb.producerSignature().get().toArray())) {
                throw new Stop(Location.BLOCK, n, Check.PRODUCER_SIGNATURE, "producer signature does not verify");
            }
            if (h.createdAt() <= lastBlockTime) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_TIMESTAMPS, "block time not after the previous block's");
            }
            if (h.firstLogIndex() != log.size()) {
                throw new Stop(Location.BLOCK, n, Check.FIRST_LOG_INDEX, "block starts at " + h.firstLogIndex() + ", log has " + log.size());
            }
            List<Digest> leaves = transactions(h, sb.rows());
            if (!MerkleAccumulator.rootOf(leaves).equals(h.txRoot())) {
                throw new Stop(Location.BLOCK, n, Check.TX_ROOT, "Merkle root of the block's transactions differs");
            }
            for (Digest leaf : leaves) {
                log.append(leaf);
                if (checkpoint.isPresent() && log.size() == checkpoint.get().treeSize()) {
                    checkpointRoot = log.root();
                }
            }
            Digest root = log.root();
            if (!root.equals(h.logRoot())) {
                throw new Stop(Location.BLOCK, n, Check.LOG_ROOT, "log root after the block differs");
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (StoredTransaction r : sb.rows()) {
                long t = r.tx().orElseThrow().body().timestamp();
                min = Math.min(min, t);
                max = Math.max(max, t);
            }
            if (min != h.firstTxTime() || max != h.lastTxTime()) {
                throw new Stop(Location.BLOCK, n, Check.BLOCK_TIMESTAMPS, "first/last transaction times differ");
            }
            treeHead(h, producer, root);
            lastBlockTime = h.createdAt();
            previousHash = hash;
            blocks++;
        }

        private void treeHead(BlockHeader h, MemberCertificate producer, Digest root) {
            long size = h.logSize();
            if (nextHead == null || nextHead.treeSize() > size) {
                throw new Stop(Location.TREE_HEAD, size, Check.TREE_HEAD_MISSING, "no tree head for block " + h.number());
            }
            if (nextHead.treeSize() < size) {
                throw new Stop(Location.TREE_HEAD, nextHead.treeSize(), Check.TREE_HEAD_UNEXPECTED, "tree head off a block boundary");
            }
            if (!nextHead.signer().equals(producer.memberId()) || !nextHead.verify(producer.publicKey(), scheme)) {
                throw new Stop(Location.TREE_HEAD, size, Check.TREE_HEAD_SIGNATURE, "tree head not signed by the block's producer");
            }
            if (!nextHead.rootHash().equals(root)) {
                throw new Stop(Location.TREE_HEAD, size, Check.TREE_HEAD_ROOT, "tree head root differs from the log");
            }
            if (logId == null) {
                logId = nextHead.logId();
            } else if (!logId.equals(nextHead.logId())) {
                throw new Stop(Location.TREE_HEAD, size, Check.TREE_HEAD_LOG_ID, "tree head of log " + nextHead.logId() + " in log " + logId);
            }
            if (nextHead.timestamp() <= lastHeadTime || nextHead.timestamp() != h.createdAt()) {
                throw new Stop(Location.TREE_HEAD, size, Check.TREE_HEAD_TIMESTAMP, "tree head time not after the previous head's or not its block's");
            }
            lastHeadTime = nextHead.timestamp();
            advanceHead();
        }

        /** Checks the rows of one block; returns their leaf hashes. */
        private List<Digest> transactions(BlockHeader h, List<StoredTransaction> rows) {
            int positions = Math.max(h.txCount(), rows.size());
            List<Digest> leaves = new ArrayList<>(positions);
            List<List<SignatureCheck>> sigs = new ArrayList<>(positions);
            Stop stop = null;
            for (int i = 0; i < positions && stop == null; i++) {
                long e = h.firstLogIndex() + i;
                try {
                    Checked c = transaction(e, i, h, rows);
                    Prepared p = c.prepared();
                    leaves.add(c.leaf());
                    sigs.add(p.signatures());
                    for (Map.Entry<StateKey, Bytes> w : p.readWriteSet().writes().entrySet()) {
                        state.put(w.getKey(), new VersionedValue(e + 1, w.getValue()));
                    }
                } catch (Stop s) {
                    stop = s;
                }
            }
            dispatch(h.firstLogIndex(), sigs);
            if (stop != null) {
                throw stop;
            }
            return leaves;
        }

        private record Checked(Prepared prepared, Digest leaf) {
        }

        private Checked transaction(long e, int i, BlockHeader h, List<StoredTransaction> rows) {
            if (i >= rows.size()) {
                throw new Stop(Location.TRANSACTION, e, Check.TX_MISSING, "block " + h.number() + " lacks it");
            }
            StoredTransaction row = rows.get(i);
            if (i >= h.txCount()) {
                // A row that claims this block but lies beyond its count: name the row by its own index.
                throw new Stop(Location.TRANSACTION, row.logIndex(), Check.TX_EXTRA, "beyond the count of block " + h.number());
            }
            if (row.logIndex() != e) {
                throw new Stop(Location.TRANSACTION, e, Check.TX_LOG_INDEX, "found index " + row.logIndex());
            }
            if (row.tx().isEmpty()) {
                throw new Stop(Location.TRANSACTION, e, Check.TX_MALFORMED, String.valueOf(row.decodeError()));
            }
            Transaction tx = row.tx().get();
            if (!row.storedTxId().map(tx.id()::equals).orElse(false)) {
                throw new Stop(Location.TRANSACTION, e, Check.TX_ID, "stored id differs from the transaction's id");
            }
            Digest leaf = LogLeaf.hash(e, tx);
            if (!row.storedLeafHash().map(leaf::equals).orElse(false)) {
                throw new Stop(Location.TRANSACTION, e, Check.LEAF_HASH, "stored leaf hash differs");
            }
            if (Math.abs(tx.body().timestamp() - h.createdAt()) > windowMillis) {
                throw new Stop(Location.TRANSACTION, e, Check.TX_TIMESTAMP, "transaction time outside the window around its block's time");
            }
            if (!ids.add(tx.id())) {
                throw new Stop(Location.TRANSACTION, e, Check.TX_DUPLICATE, "transaction id already in the chain");
            }
            try {
                return new Checked(processor.prepare(tx, k -> Optional.ofNullable(state.get(k))), leaf);
            } catch (RuntimeException ex) {
                // A refusal (LedgerException), or a contract failing on state that an earlier,
                // still unverified transaction wrote: either way this position is rejected.
                throw new Stop(Location.TRANSACTION, e, Check.TX_REJECTED, String.valueOf(ex.getMessage()));
            }
        }
    }
}
