package org.medledger.consortium;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.merkle.MerkleAccumulator;
import org.medledger.ledger.merkle.MerkleTree;
import org.medledger.ledger.node.Prepared;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.node.SignatureCheck;
import org.medledger.ledger.node.TransactionProcessor;
import org.medledger.ledger.state.StateKey;
import org.medledger.ledger.state.StateReader;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.BlockCommit;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;

/**
 * One hospital's copy of the replicated ledger over its own store (JPA on H2 or PostgreSQL).
 * The leader {@link #cut cuts} blocks from admitted transactions; every node, the leader
 * included, {@link #apply applies} each ordered block only after validating all of it against
 * its own committed state — producer and its signature, numbering and hash chain, every
 * submitter and endorser signature, membership, endorsement policy, contract execution,
 * transaction and log roots, times and the producer's tree head. A refused block changes
 * nothing. Validation is deterministic (no clock, no local configuration beyond the
 * consortium), so honest nodes refuse the same blocks and keep the same history.
 */
public final class ReplicaLedger {
    private static final Logger LOG = Logger.getLogger(ReplicaLedger.class.getName());
    private static final int SIGNATURE_CHUNK = 64;

    private final LedgerStore store;
    private final Consortium consortium;
    private final String nodeId;
    private final Signer nodeKey;
    private final Clock clock;
    private final Duration timestampWindow;
    private final TransactionProcessor processor;
    private final CommittedState committed;
    private final MerkleTree tree = new MerkleTree();
    private final ExecutorService verifiers;
    private final Object lock = new Object();
    private volatile BlockHeader head;
    private volatile SignedTreeHead latest;
    /**
     * Blocks this node cut (as leader) and proposed, not yet applied, oldest first: the next cut
     * builds on the last of them (number, previous hash, log index, state). Only an apply of the
     * oldest one advances it; any other apply or any refusal empties it, so a block is never cut
     * on top of one that was not applied — and blocks already cut on top of it are refused when
     * they arrive, since they do not link to the last applied block.
     */
    private final java.util.ArrayDeque<Cut> pipeline = new java.util.ArrayDeque<>();

    /**
     * A block cut and not yet applied: what the next cut must see, and this node's own execution
     * of it ({@code validated}), which its apply reuses when it is applied on exactly the state it
     * was cut on (the oldest of the pipeline: its parent is the last applied block).
     */
    private record Cut(BlockHeader header, Validated validated, Set<Digest> txIds) {
    }

    /** A block the leader cut: what it holds, and the admitted transactions it had to leave out and why. */
    public record Proposal(Block block, SignedTreeHead treeHead, Map<Digest, LedgerException> refused) {
    }

    /** A block applied to this node's store (or found already there), with one receipt per transaction. */
    public record Applied(BlockHeader header, SignedTreeHead treeHead, List<Receipt> receipts, boolean alreadyApplied) {
    }

    private ReplicaLedger(LedgerStore store, Consortium consortium, String nodeId, Signer nodeKey, Clock clock, Duration timestampWindow,
                          java.util.concurrent.ThreadFactory threads) {
        this.store = store;
        this.consortium = consortium;
        this.nodeId = nodeId;
        this.nodeKey = nodeKey;
        this.clock = clock;
        this.timestampWindow = timestampWindow;
        MemberCertificate own = consortium.hospital(nodeId, clock.millis());
        if (!Arrays.equals(own.publicKey().toArray(), nodeKey.publicKey())) {
            throw new ConsortiumException(ConsortiumReason.WRONG_SIGNER, "node key does not match the certificate of " + nodeId);
        }
        this.processor = new TransactionProcessor(consortium.contracts(), new MemberDirectory(consortium.anchors()), consortium.scheme());
        this.committed = new CommittedState(store);
        Optional<Bytes> recorded = store.get(new StateKey(MembershipContract.NAMESPACE, MembershipContract.KEY)).map(VersionedValue::value);
        if (recorded.isPresent() && !recorded.get().equals(Bytes.of(consortium.encode()))) {
            throw new ConsortiumException(ConsortiumReason.UNKNOWN_NODE, "the membership recorded on the ledger differs from this node's configuration");
        }
        this.head = store.head().orElse(null);
        this.latest = store.latestTreeHead().orElse(null);
        long expected = head == null ? 0 : head.logSize();
        for (List<Digest> page = store.leafHashes(0, 10_000); !page.isEmpty(); page = store.leafHashes(tree.size(), 10_000)) {
            page.forEach(tree::append);
        }
        if (tree.size() != expected || (head != null && !tree.root().equals(head.logRoot()))) {
            throw new LedgerException(LedgerReason.STORE_FAILURE, "stored leaves do not match the last block; run the verifier");
        }
        int n = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.verifiers = Executors.newFixedThreadPool(n, r -> {
            Thread t = threads.newThread(r);
            t.setName("replica-signatures-" + nodeId);
            return t;
        });
    }

    public static ReplicaLedger open(LedgerStore store, Consortium consortium, String nodeId, Signer nodeKey, Clock clock) {
        return open(store, consortium, nodeId, nodeKey, clock, HospitalNode.DAEMON_THREADS);
    }

    /** {@link #open(LedgerStore, Consortium, String, Signer, Clock)} with the signature-checking pool's threads made by {@code threads}. */
    public static ReplicaLedger open(LedgerStore store, Consortium consortium, String nodeId, Signer nodeKey, Clock clock,
                                     java.util.concurrent.ThreadFactory threads) {
        return new ReplicaLedger(store, consortium, nodeId, nodeKey, clock, Duration.ofMinutes(5), threads);
    }

    public String nodeId() {
        return nodeId;
    }

    public Consortium consortium() {
        return consortium;
    }

    /**
     * Admission of a submission (on the leader, for every submission whoever forwarded it):
     * timestamp within the window of this node's clock, members, signatures, endorsement policy
     * and contract against committed state. Throws {@link LedgerException} with the reason.
     */
    public Prepared admit(Transaction tx) {
        long now = clock.millis();
        if (Math.abs(now - tx.body().timestamp()) > timestampWindow.toMillis()) {
            throw new LedgerException(LedgerReason.STALE_TIMESTAMP, "timestamp outside the acceptance window");
        }
        if (store.containsTransaction(tx.id())) {
            throw new LedgerException(LedgerReason.DUPLICATE_TRANSACTION, "transaction " + tx.id() + " is already on the ledger");
        }
        Prepared p = processor.prepare(tx, committed);
        processor.verify(p);
        return p;
    }

    /**
     * The leader cuts a block from admitted transactions on top of its committed state,
     * re-executing each at its position; those the contracts now refuse (or already stored,
     * or twice in the batch) are left out with their reason. Empty when none remains.
     */
    public Optional<Proposal> cut(List<Prepared> candidates) {
        synchronized (lock) {
            BlockHeader prev = pipeline.isEmpty() ? head : pipeline.peekLast().header();
            long first = prev == null ? 0 : prev.logSize();
            Map<StateKey, VersionedValue> overlay = new HashMap<>();
            StateReader view = k -> {
                VersionedValue v = overlay.get(k);
                return v != null ? Optional.of(v) : pipelined(k);
            };
            Set<Digest> stored = new HashSet<>(store.storedTransactions(candidates.stream().map(p -> p.tx().id()).toList()));
            pipeline.forEach(c -> stored.addAll(c.txIds()));
            Set<Digest> inBlock = new HashSet<>();
            Set<StateKey> created = new HashSet<>();
            Map<Digest, LedgerException> refused = new LinkedHashMap<>();
            List<Transaction> txs = new ArrayList<>();
            List<Digest> leaves = new ArrayList<>();
            long minTs = Long.MAX_VALUE;
            long maxTs = Long.MIN_VALUE;
            for (Prepared admitted : candidates) {
                Transaction tx = admitted.tx();
                try {
                    if (stored.contains(tx.id()) || !inBlock.add(tx.id())) {
                        throw new LedgerException(LedgerReason.DUPLICATE_TRANSACTION, "transaction " + tx.id() + " is already on the ledger");
                    }
                    Prepared p = processor.prepare(tx, view);
                    if (!sameSigners(admitted.signatures(), p.signatures())) {
                        processor.verify(p);
                    }
                    long index = first + txs.size();
                    for (Map.Entry<StateKey, Bytes> w : p.readWriteSet().writes().entrySet()) {
                        if (!overlay.containsKey(w.getKey()) && pipelined(w.getKey()).isEmpty()) {
                            created.add(w.getKey());
                        }
                        overlay.put(w.getKey(), new VersionedValue(index + 1, w.getValue()));
                    }
                } catch (LedgerException e) {
                    refused.put(tx.id(), e);
                    continue;
                }
                txs.add(tx);
                leaves.add(LogLeaf.hash(first + txs.size() - 1, tx));
                minTs = Math.min(minTs, tx.body().timestamp());
                maxTs = Math.max(maxTs, tx.body().timestamp());
            }
            if (txs.isEmpty()) {
                return Optional.empty();
            }
            long applied = tree.size();
            pipeline.forEach(c -> c.validated().leaves().forEach(tree::append));
            leaves.forEach(tree::append);
            Digest logRoot = tree.root();
            tree.truncate(applied); // the tree grows only when a block is applied
            long now = Math.max(clock.millis(), prev == null ? 0 : prev.createdAt() + 1); // block times strictly increase
            BlockHeader h = new BlockHeader(prev == null ? 0 : prev.number() + 1, prev == null ? Digest.ZERO : prev.hash(),
                    MerkleAccumulator.rootOf(leaves), first, txs.size(), logRoot, now, minTs, maxTs, nodeId, 0, 0);
            Block block = new Block(h, Bytes.of(nodeKey.sign(Block.signingBytes(h.hash()))), txs);
            SignedTreeHead sth = SignedTreeHead.sign(consortium.logId(), h.logSize(), h.logRoot(), now, nodeId, nodeKey);
            pipeline.addLast(new Cut(h, new Validated(leaves, overlay, created, minTs, maxTs),
                    txs.stream().map(Transaction::id).collect(java.util.stream.Collectors.toSet())));
            return Optional.of(new Proposal(block, sth, refused));
        }
    }

    /** State as the next cut sees it: the newest write of the blocks cut and not applied yet, else committed state. */
    private Optional<VersionedValue> pipelined(StateKey k) {
        for (java.util.Iterator<Cut> it = pipeline.descendingIterator(); it.hasNext(); ) {
            VersionedValue v = it.next().validated().writes().get(k);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return committed.load(k);
    }

    /**
     * Forgets the blocks cut and not yet applied (a new leader term, a lost proposal): the next
     * cut builds on the last applied block. Blocks already proposed on top of them are refused
     * by every node if they arrive after another block took their place.
     */
    public void discardPipeline() {
        synchronized (lock) {
            pipeline.clear();
        }
    }

    /** Blocks cut and not applied yet (on the leader). */
    public int pipelined() {
        synchronized (lock) {
            return pipeline.size();
        }
    }

    private static boolean sameSigners(List<SignatureCheck> a, List<SignatureCheck> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).who().equals(b.get(i).who()) || !a.get(i).publicKey().equals(b.get(i).publicKey())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Validates an ordered block completely and appends it durably, or refuses it with a
     * {@link ConsortiumException} and changes nothing. {@code ownProposal}: this node cut the
     * block itself from transactions it admitted (their signatures were verified at admission).
     * A block already in the store (same number, same hash) is reported as already applied.
     */
    public Applied apply(Block block, SignedTreeHead sth, boolean ownProposal) {
        synchronized (lock) {
            try {
                Applied a = validateAndAppend(block, sth, ownProposal);
                if (!a.alreadyApplied()) {
                    Cut oldest = pipeline.peekFirst();
                    if (oldest != null && oldest.header().hash().equals(a.header().hash())) {
                        pipeline.removeFirst();
                    } else {
                        pipeline.clear(); // another block took the place the pipeline was built for
                    }
                }
                return a;
            } catch (RuntimeException e) {
                pipeline.clear(); // nothing is cut on top of a block that was not applied
                throw e;
            }
        }
    }

    private Applied validateAndAppend(Block block, SignedTreeHead sth, boolean ownProposal) {
        {
            BlockHeader h = block.header();
            Digest hash = h.hash();
            BlockHeader prev = head;
            long expected = prev == null ? 0 : prev.number() + 1;
            if (h.number() < expected) {
                List<StoredBlock> at = store.blocks(h.number(), 1);
                if (!at.isEmpty() && at.get(0).storedNumber() == h.number() && at.get(0).storedHash().map(hash::equals).orElse(false)) {
                    return new Applied(h, sth, List.of(), true);
                }
                throw refuse(ConsortiumReason.OUT_OF_ORDER, "block " + h.number() + " conflicts with the stored block of that number");
            }
            if (h.number() != expected) {
                throw refuse(ConsortiumReason.OUT_OF_ORDER, "block " + h.number() + " where " + expected + " is next");
            }
            if (!h.previousHash().equals(prev == null ? Digest.ZERO : prev.hash())) {
                throw refuse(ConsortiumReason.OUT_OF_ORDER, "block " + h.number() + " does not link to the last block");
            }
            if (h.firstLogIndex() != tree.size()) {
                throw refuse(ConsortiumReason.OUT_OF_ORDER, "block starts at log index " + h.firstLogIndex() + ", log has " + tree.size());
            }
            MemberCertificate producer;
            try {
                producer = consortium.hospital(h.producer(), h.createdAt());
            } catch (ConsortiumException e) {
                throw refuse(ConsortiumReason.UNKNOWN_NODE, "producer " + Consortium.printable(h.producer()) + " is not a hospital node");
            }
            if (!consortium.scheme().verify(producer.publicKey().toArray(), Block.signingBytes(hash), block.producerSignature().toArray())) {
                throw refuse(ConsortiumReason.BAD_SIGNATURE, "block " + h.number() + " is not signed by its producer " + h.producer());
            }
            if (!h.meetsDifficulty() || (prev != null && h.createdAt() < prev.createdAt())) {
                throw refuse(ConsortiumReason.BLOCK_MISMATCH, "block " + h.number() + " difficulty or creation time");
            }
            if (h.txCount() != block.transactions().size() || h.txCount() == 0) {
                throw refuse(ConsortiumReason.BLOCK_MISMATCH, "block " + h.number() + " holds " + block.transactions().size() + " transactions, header says " + h.txCount());
            }
            if (!sth.signer().equals(h.producer())) {
                throw refuse(ConsortiumReason.WRONG_SIGNER, "tree head signed by " + Consortium.printable(sth.signer()) + ", block by " + h.producer());
            }
            if (sth.treeSize() != h.logSize() || !sth.rootHash().equals(h.logRoot()) || !sth.verify(producer.publicKey(), consortium.scheme())) {
                throw refuse(ConsortiumReason.BLOCK_MISMATCH, "tree head of block " + h.number() + " does not match it or is not signed by " + h.producer());
            }
            // This node's own cut, applied on the state it was cut on: its execution at cut time is this node's
            // validation of the transactions (the same deterministic rules on the same state); anything else is
            // executed and verified here.
            Cut mine = pipeline.peekFirst();
            Validated v = ownProposal && mine != null && mine.header().hash().equals(hash) && sameLeaves(block, mine.validated().leaves())
                    ? mine.validated() : validateTransactions(block, ownProposal);
            if (!MerkleAccumulator.rootOf(v.leaves()).equals(h.txRoot())) {
                throw refuse(ConsortiumReason.BLOCK_MISMATCH, "transaction root of block " + h.number() + " differs");
            }
            long first = tree.size();
            v.leaves().forEach(tree::append);
            try {
                if (!tree.root().equals(h.logRoot())) {
                    throw refuse(ConsortiumReason.BLOCK_MISMATCH, "log root after block " + h.number() + " differs");
                }
                if (v.minTs() != h.firstTxTime() || v.maxTs() != h.lastTxTime()) {
                    throw refuse(ConsortiumReason.BLOCK_MISMATCH, "first/last transaction times of block " + h.number() + " differ");
                }
                store.append(new BlockCommit(block, hash, v.leaves(), v.writes(), v.created(), sth));
            } catch (RuntimeException e) {
                tree.truncate(first);
                throw e;
            }
            committed.committed(v.writes());
            head = h;
            latest = sth;
            List<Receipt> receipts = new ArrayList<>(h.txCount());
            for (int i = 0; i < h.txCount(); i++) {
                receipts.add(new Receipt(block.transactions().get(i).id(), first + i, v.leaves().get(i), h, sth));
            }
            return new Applied(h, sth, receipts, false);
        }
    }

    private record Validated(List<Digest> leaves, Map<StateKey, VersionedValue> writes, Set<StateKey> created, long minTs, long maxTs) {
    }

    /** Whether the block's transactions are, position by position, the ones whose leaves are {@code leaves}. */
    private static boolean sameLeaves(Block block, List<Digest> leaves) {
        List<Transaction> txs = block.transactions();
        if (txs.size() != leaves.size()) {
            return false;
        }
        long first = block.header().firstLogIndex();
        for (int i = 0; i < txs.size(); i++) {
            if (!LogLeaf.hash(first + i, txs.get(i)).equals(leaves.get(i))) {
                return false;
            }
        }
        return true;
    }

    private Validated validateTransactions(Block block, boolean ownProposal) {
        BlockHeader h = block.header();
        List<Transaction> txs = block.transactions();
        Set<Digest> stored = store.storedTransactions(txs.stream().map(Transaction::id).toList());
        Set<Digest> seen = new HashSet<>();
        Map<StateKey, VersionedValue> overlay = new HashMap<>();
        Set<StateKey> created = new HashSet<>();
        StateReader view = k -> {
            VersionedValue v = overlay.get(k);
            return v != null ? Optional.of(v) : committed.load(k);
        };
        List<Digest> leaves = new ArrayList<>(txs.size());
        List<List<SignatureCheck>> sigs = new ArrayList<>(txs.size());
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        for (int i = 0; i < txs.size(); i++) {
            Transaction tx = txs.get(i);
            long index = h.firstLogIndex() + i;
            if (stored.contains(tx.id()) || !seen.add(tx.id())) {
                throw refuse(ConsortiumReason.INVALID_TRANSACTION, "log index " + index + ": transaction already on the ledger");
            }
            Prepared p;
            try {
                p = processor.prepare(tx, view);
            } catch (LedgerException e) {
                throw refuse(ConsortiumReason.INVALID_TRANSACTION, "log index " + index + ": " + e.reason() + " " + e.getMessage());
            } catch (RuntimeException e) {
                throw refuse(ConsortiumReason.INVALID_TRANSACTION, "log index " + index + ": contract failed");
            }
            for (Map.Entry<StateKey, Bytes> w : p.readWriteSet().writes().entrySet()) {
                StateKey k = w.getKey();
                if (!overlay.containsKey(k) && committed.load(k).isEmpty()) {
                    created.add(k);
                }
                overlay.put(k, new VersionedValue(index + 1, w.getValue()));
            }
            sigs.add(p.signatures());
            leaves.add(LogLeaf.hash(index, tx));
            minTs = Math.min(minTs, tx.body().timestamp());
            maxTs = Math.max(maxTs, tx.body().timestamp());
        }
        if (!ownProposal) {
            int bad = verifySignatures(sigs);
            if (bad >= 0) {
                throw refuse(ConsortiumReason.INVALID_TRANSACTION, "log index " + (h.firstLogIndex() + bad) + ": a submitter or endorser signature does not verify");
            }
        }
        return new Validated(leaves, overlay, created, minTs, maxTs);
    }

    /** The lowest position with a signature that does not verify, or -1. */
    private int verifySignatures(List<List<SignatureCheck>> sigs) {
        List<Future<Integer>> chunks = new ArrayList<>();
        for (int from = 0; from < sigs.size(); from += SIGNATURE_CHUNK) {
            int lo = from;
            int hi = Math.min(sigs.size(), from + SIGNATURE_CHUNK);
            chunks.add(verifiers.submit(() -> {
                for (int i = lo; i < hi; i++) {
                    for (SignatureCheck c : sigs.get(i)) {
                        if (!c.verify(consortium.scheme())) {
                            return i;
                        }
                    }
                }
                return -1;
            }));
        }
        for (Future<Integer> f : chunks) {
            try {
                int r = f.get();
                if (r >= 0) {
                    return r;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "interrupted while verifying signatures");
            } catch (ExecutionException e) {
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "signature check failed to run", e.getCause());
            }
        }
        return -1;
    }

    private ConsortiumException refuse(ConsortiumReason reason, String detail) {
        LOG.warning(() -> nodeId + " refused a block: " + reason + " " + detail);
        return new ConsortiumException(reason, detail);
    }

    /** Up to {@code limit} blocks from {@code fromNumber}, each with its tree head, as this node's store holds them. */
    public List<BlockWithHead> blocks(long fromNumber, int limit) {
        List<BlockWithHead> out = new ArrayList<>();
        for (StoredBlock sb : store.blocks(fromNumber, limit)) {
            if (sb.header().isEmpty() || sb.producerSignature().isEmpty()) {
                break; // an undecodable row: serve nothing from here; the receiver's validation would refuse it anyway
            }
            BlockHeader h = sb.header().get();
            List<Transaction> txs = new ArrayList<>();
            for (StoredTransaction r : sb.rows()) {
                if (r.tx().isEmpty()) {
                    return out;
                }
                txs.add(r.tx().get());
            }
            List<SignedTreeHead> heads = store.treeHeads(h.logSize(), 1);
            if (heads.isEmpty() || heads.get(0).treeSize() != h.logSize()) {
                break;
            }
            out.add(new BlockWithHead(new Block(h, sb.producerSignature().get(), txs), heads.get(0)));
        }
        return out;
    }

    public Optional<BlockHeader> head() {
        return Optional.ofNullable(head);
    }

    public Optional<SignedTreeHead> latestTreeHead() {
        return Optional.ofNullable(latest);
    }

    /** Entries in the log. */
    public long size() {
        BlockHeader h = head;
        return h == null ? 0 : h.logSize();
    }

    /**
     * The root of this node's log at {@code size} (≤ its size). Not under the replica's lock (the
     * tree locks itself): co-signing and proofs do not wait for a block being validated; the tree
     * beyond the applied size (a block being applied, or a cut's log root) is never read.
     */
    public Digest rootAt(long size) {
        return tree.rootAt(applied(size));
    }

    private long applied(long size) {
        if (size < 0 || size > size()) {
            throw new IllegalArgumentException("tree size " + size + " beyond " + size());
        }
        return size;
    }

    public Optional<VersionedValue> state(String namespace, String key) {
        return committed.get(new StateKey(namespace, key));
    }

    /**
     * Evaluates a read-only contract function (e.g. {@code ptchk}, {@code consent.check})
     * against this node's committed state, writing nothing; a refusal throws the contract's
     * {@link org.medledger.ledger.contract.ContractException}.
     */
    public void query(String contract, String function, org.medledger.ledger.tx.Arguments args) {
        org.medledger.ledger.contract.Contract c = consortium.contracts().require(contract, function);
        if (!c.readOnlyFunctions().contains(function)) {
            throw new org.medledger.ledger.contract.ContractException(LedgerReason.UNKNOWN_CONTRACT, function + " is not a read-only function");
        }
        c.invoke(new org.medledger.ledger.contract.Invocation(Digest.ZERO, "query", org.medledger.ledger.member.Role.AUDITOR, function,
                args, clock.millis(), Map.of()), new org.medledger.ledger.state.RecordingState(committed));
    }

    public Optional<StoredTransaction> transaction(long logIndex) {
        return store.transaction(logIndex);
    }

    /**
     * The receipt of a transaction already on this node's ledger, as the leader that committed it
     * answered: its log index and leaf, its block's header and the tree head at that block.
     * Empty when it is not on the ledger (or its rows do not read back).
     */
    public Optional<Receipt> receiptOf(Digest txId) {
        Optional<LedgerStore.TxPosition> at = store.position(txId);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        List<StoredBlock> blocks = store.blocks(at.get().blockNumber(), 1);
        if (blocks.isEmpty() || blocks.get(0).header().isEmpty()) {
            return Optional.empty();
        }
        BlockHeader h = blocks.get(0).header().get();
        Optional<Digest> leaf = blocks.get(0).rows().stream().filter(r -> r.logIndex() == at.get().logIndex())
                .findFirst().flatMap(StoredTransaction::storedLeafHash);
        List<SignedTreeHead> heads = store.treeHeads(h.logSize(), 1);
        if (leaf.isEmpty() || heads.isEmpty() || heads.get(0).treeSize() != h.logSize()) {
            return Optional.empty();
        }
        return Optional.of(new Receipt(txId, at.get().logIndex(), leaf.get(), h, heads.get(0)));
    }

    public InclusionProof inclusionProof(long logIndex, long treeSize) {
        return tree.inclusionProof(logIndex, applied(treeSize));
    }

    public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
        return tree.consistencyProof(firstSize, applied(secondSize));
    }

    public LedgerStore store() {
        return store;
    }

    /** Stops the signature workers; the store stays open (its owner closes it). */
    public void close() {
        verifiers.shutdownNow();
    }
}
