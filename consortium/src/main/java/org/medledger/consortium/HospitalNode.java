package org.medledger.consortium;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.codec.Digest;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.node.Prepared;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.store.LedgerStore;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.verify.LedgerVerifier;
import org.medledger.ledger.verify.VerificationReport;

/**
 * One hospital's node of the consortium: a Ratis server whose state machine applies ordered
 * blocks to this hospital's own ledger store after validating them, a client through which
 * submissions reach the leader, the leader's block cutter, and the witness that co-signs
 * every tree head this node has validated and gossips co-signatures with the other hospitals.
 */
public final class HospitalNode implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HospitalNode.class.getName());
    private static final SizeInBytes MAX_MESSAGE = SizeInBytes.valueOf("64MB");

    private final String id;
    private final Signer key;
    private final Consortium consortium;
    private final ReplicaLedger replica;
    private final NodeSettings settings;
    private final Clock clock;
    private final WitnessBook book;
    private final LedgerStateMachine stateMachine;
    private final RaftGroup group;
    private final RaftServer server;
    /** Submissions to the leader (unordered: each waits for its own block). */
    private final RaftClient client;
    /** The leader's block proposals (ordered: Ratis keeps one client's async requests in sequence). */
    private final RaftClient proposer;
    /** Blocks proposed and not yet settled (applied, refused or failed), at most {@code blocksInFlight}. */
    private final java.util.concurrent.Semaphore proposals;
    /** The leader term the cutter last cut in (cutter thread only): a new term starts from the applied chain. */
    private long cutTerm = -1;
    private final RaftClient peers;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Admitted and not yet settled, by transaction id: a repeated submission (a client's retry) joins the first. */
    private final Map<Digest, CompletableFuture<Receipt>> pendingById = new ConcurrentHashMap<>();
    private final Map<Digest, List<Pending>> inFlight = new ConcurrentHashMap<>();
    /**
     * Receipts of recently settled submissions, by transaction id: a client's retry that arrives
     * after its first attempt committed gets that receipt back instead of a duplicate refusal.
     */
    private final Map<Digest, Receipt> settled = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Receipt> eldest) {
            return size() > SETTLED_RECEIPTS;
        }
    });
    private static final int SETTLED_RECEIPTS = 65_536;
    private final Thread cutter;
    private final ScheduledExecutorService witness;
    private final ExecutorService background;
    private volatile boolean running = true;
    private volatile long lastCosigned = -1;
    private final java.util.concurrent.atomic.AtomicLong caughtUpBlocks = new java.util.concurrent.atomic.AtomicLong();

    private record Pending(Prepared prepared, CompletableFuture<Receipt> done) {
    }

    private HospitalNode(Consortium consortium, String id, Signer key, LedgerStore store, NodeSettings settings, Clock clock,
                         java.util.concurrent.ThreadFactory threads) throws IOException {
        this.id = id;
        this.key = key;
        this.consortium = consortium;
        this.settings = settings;
        this.clock = clock;
        this.replica = ReplicaLedger.open(store, consortium, id, key, clock, threads);
        this.book = new WitnessBook(consortium, id, size -> size <= replica.size() ? Optional.of(replica.rootAt(size)) : Optional.empty());
        this.group = group(consortium, settings.addresses());
        this.stateMachine = new LedgerStateMachine(this, replica);
        Files.createDirectories(settings.raftDirectory());
        // Mutual TLS between the nodes when configured: the same key and membership trust for the
        // Raft server and for every client of this node (submissions, proposals, peers).
        org.apache.ratis.conf.Parameters tls = new org.apache.ratis.conf.Parameters();
        if (settings.tls() != null) {
            org.apache.ratis.grpc.GrpcTlsConfig conf = settings.tls().config(consortium, clock);
            GrpcConfigKeys.Server.setTlsConf(tls, conf);
            GrpcConfigKeys.Client.setTlsConf(tls, conf);
            GrpcConfigKeys.Admin.setTlsConf(tls, conf);
            GrpcConfigKeys.TLS.setConf(tls, conf);
        }
        this.server = RaftServer.newBuilder().setGroup(group).setProperties(serverProperties(settings, id)).setParameters(tls)
                .setServerId(RaftPeerId.valueOf(id)).setStateMachine(stateMachine)
                .setOption(RaftStorage.StartupOption.RECOVER).build();
        this.client = RaftClient.newBuilder().setProperties(clientProperties(30)).setParameters(tls).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(40, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
        this.proposer = RaftClient.newBuilder().setProperties(clientProperties(30)).setParameters(tls).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(5, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build();
        this.peers = RaftClient.newBuilder().setProperties(clientProperties(3)).setParameters(tls).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.noRetry()).build();
        this.background = Executors.newCachedThreadPool(r -> named(threads, r, "consortium-" + id));
        this.proposals = new java.util.concurrent.Semaphore(settings.blocksInFlight());
        this.cutter = named(threads, this::cutLoop, "consortium-cutter-" + id);
        this.witness = Executors.newSingleThreadScheduledExecutor(r -> named(threads, r, "consortium-witness-" + id));
    }

    /** Daemon threads of this JVM: what a node outside a container runs on. */
    public static final java.util.concurrent.ThreadFactory DAEMON_THREADS = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };

    private static Thread named(java.util.concurrent.ThreadFactory threads, Runnable r, String name) {
        Thread t = threads.newThread(r);
        t.setName(name);
        return t;
    }

    /**
     * Opens this hospital's replica over {@code store} and joins the consortium's Raft group at
     * the address configured for {@code id}. {@code key} must match the hospital's certificate.
     */
    public static HospitalNode start(Consortium consortium, String id, Signer key, LedgerStore store, NodeSettings settings, Clock clock)
            throws IOException {
        return start(consortium, id, key, store, settings, clock, DAEMON_THREADS);
    }

    /**
     * {@link #start(Consortium, String, Signer, LedgerStore, NodeSettings, Clock)} with the node's own
     * threads (block cutter, witness loop, catch-up and co-signature exchange) made by {@code threads},
     * e.g. a container's managed thread factory. Ratis' own threads (gRPC transport, log workers,
     * election) are made by Ratis and cannot be handed a factory.
     */
    public static HospitalNode start(Consortium consortium, String id, Signer key, LedgerStore store, NodeSettings settings, Clock clock,
                                     java.util.concurrent.ThreadFactory threads) throws IOException {
        return start(consortium, id, key, store, settings, clock, threads, (block, first) -> { });
    }

    /** ... and {@code listener} told of every block this node stores from the start on (replay and catch-up included). */
    public static HospitalNode start(Consortium consortium, String id, Signer key, LedgerStore store, NodeSettings settings, Clock clock,
                                     java.util.concurrent.ThreadFactory threads, AppliedListener listener) throws IOException {
        if (!consortium.isHospital(id) || !settings.addresses().keySet().equals(Set.copyOf(consortium.hospitals()))) {
            throw new ConsortiumException(ConsortiumReason.UNKNOWN_NODE, "addresses must name exactly the consortium's hospitals");
        }
        if (settings.tls() != null) {
            settings.tls().requireOwn(consortium, id, clock.millis());
        }
        HospitalNode n = new HospitalNode(consortium, id, key, store, settings, clock, threads);
        n.appliedListener = java.util.Objects.requireNonNull(listener);
        n.storedThrough(n.replica.size());
        n.server.start();
        n.cutter.start();
        long every = Math.max(10, settings.witnessInterval().toMillis());
        n.witness.scheduleWithFixedDelay(n::witnessTick, every, every, TimeUnit.MILLISECONDS);
        return n;
    }

    static RaftGroup group(Consortium consortium, Map<String, InetSocketAddress> addresses) {
        List<RaftPeer> ps = new ArrayList<>();
        for (String h : consortium.hospitals()) {
            InetSocketAddress a = addresses.get(h);
            ps.add(RaftPeer.newBuilder().setId(h).setAddress(a.getHostString() + ":" + a.getPort()).build());
        }
        return RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(consortium.encode())), ps);
    }

    private static RaftProperties serverProperties(NodeSettings s, String id) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(s.raftDirectory().toFile()));
        InetSocketAddress own = s.addresses().get(id);
        GrpcConfigKeys.Server.setHost(p, own.getHostString());
        GrpcConfigKeys.Server.setPort(p, own.getPort());
        GrpcConfigKeys.setMessageSizeMax(p, MAX_MESSAGE);
        long t = s.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(t, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2 * t, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(Math.max(3000, 2 * t), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf("40MB"));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(s.logSegmentBytes()));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("32MB"));
        RaftServerConfigKeys.Log.setQueueByteLimit(p, SizeInBytes.valueOf("256MB"));
        // The ledger store is the state: a snapshot is a marker, after which the Raft log may be purged;
        // a follower that needs purged entries fetches and validates blocks itself (notifyInstallSnapshotFromLeader).
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotEvery());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, s.snapshotEvery()));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, false);
        return p;
    }

    private static RaftProperties clientProperties(int timeoutSeconds) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeoutSeconds, TimeUnit.SECONDS));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 20_000);
        GrpcConfigKeys.setMessageSizeMax(p, MAX_MESSAGE);
        return p;
    }

    public String id() {
        return id;
    }

    public ReplicaLedger replica() {
        return replica;
    }

    public WitnessBook witnesses() {
        return book;
    }

    public Consortium consortium() {
        return consortium;
    }

    /** Blocks this node has fetched from a peer and applied (catch-up after the Raft log was purged). */
    public long caughtUpBlocks() {
        return caughtUpBlocks.get();
    }

    /** Whether the node runs (false once closed). */
    public boolean isRunning() {
        return running;
    }

    /** Whether this node is the Raft leader now. */
    public boolean isLeader() {
        try {
            return server.getDivision(group.getGroupId()).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /** The leader this node knows of, if any. */
    public Optional<String> leader() {
        try {
            RaftPeerId l = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
            return Optional.ofNullable(l).map(RaftPeerId::toString);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- submissions

    /**
     * Submits a signed transaction to the consortium: the leader admits it (the ledger's
     * rules), orders it in a block, and answers once that block is applied on the leader —
     * committed by a majority of the hospitals' Raft logs and durable in the leader's store.
     * Refusals: {@link LedgerException} (the ledger's reason) or {@link ConsortiumException}.
     */
    public CompletableFuture<Receipt> submit(Transaction tx) {
        if (!running) {
            return CompletableFuture.failedFuture(new ConsortiumException(ConsortiumReason.UNAVAILABLE, "node closed"));
        }
        return ConsortiumClient.submit(client, tx);
    }

    /**
     * {@link #submit} and wait (at most 60 s), retrying a few times while there is no leader;
     * refusals are thrown. The receipt is returned once the block is also stored on this node and
     * its {@link AppliedListener} told (at most {@link #APPLIED_HERE} more): what a caller wrote
     * through this node, this node's reads already show, even when another node leads.
     */
    public Receipt submitAndWait(Transaction tx) {
        Receipt r = ConsortiumClient.submitAndWait(this::submit, tx);
        if (!awaitStoredHere(r.logIndex(), APPLIED_HERE)) {
            throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "committed at log index " + r.logIndex()
                    + " but not yet stored on " + id + " within " + APPLIED_HERE.toSeconds() + " s");
        }
        return r;
    }

    /** How long {@link #submitAndWait} waits for a block the leader applied to reach this node. */
    static final Duration APPLIED_HERE = Duration.ofSeconds(30);

    /** Guards {@link #storedSize}: the log size through which blocks are stored here and the listener told. */
    private final Object stored = new Object();
    private long storedSize;

    private void storedThrough(long size) {
        synchronized (stored) {
            if (size > storedSize) {
                storedSize = size;
            }
            stored.notifyAll();
        }
    }

    /** Waits (at most {@code max}) until the entry at {@code logIndex} is stored on this node and the listener told. */
    boolean awaitStoredHere(long logIndex, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (stored) {
            while (storedSize <= logIndex) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !running) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(stored, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- requests from peers and clients

    /** Read-only requests (Ratis queries): SUBMIT (leader only), BLOCKS and COSIGN (any node). */
    CompletableFuture<byte[]> query(byte[] request) {
        try {
            Wire.Envelope e = Wire.open(request);
            return switch (e.kind()) {
                case SUBMIT -> onSubmit(e.body());
                case BLOCKS -> CompletableFuture.completedFuture(onBlocks(e.body()));
                case COSIGN -> CompletableFuture.completedFuture(onCosign(e.body()));
                default -> throw new ConsortiumException(ConsortiumReason.MALFORMED, "unexpected request " + e.kind());
            };
        } catch (ConsortiumException e) {
            LOG.warning(() -> id + " refused a request: " + e.getMessage());
            return CompletableFuture.completedFuture(Wire.error(e.reason(), e.detail()));
        }
    }

    private CompletableFuture<byte[]> onSubmit(byte[] body) {
        Transaction tx;
        try {
            tx = Transaction.decode(body);
        } catch (RuntimeException e) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "transaction does not decode");
        }
        if (!running || !isLeader()) {
            throw new ConsortiumException(ConsortiumReason.NOT_LEADER, id + " is not the leader");
        }
        Digest txId = tx.id();
        Receipt already = settled.get(txId);
        if (already != null) {
            return CompletableFuture.completedFuture(Wire.receipt(already));
        }
        CompletableFuture<Receipt> done = new CompletableFuture<>();
        CompletableFuture<Receipt> earlier = pendingById.putIfAbsent(txId, done);
        if (earlier != null) {
            return earlier.handle(HospitalNode::reply);
        }
        Prepared p;
        try {
            p = replica.admit(tx);
        } catch (LedgerException e) {
            pendingById.remove(txId, done);
            if (e.reason() == LedgerReason.DUPLICATE_TRANSACTION) {
                // A client's retry of a transaction an earlier leader committed (its answer lost with
                // that leader): the same receipt, not a refusal of what is on the ledger.
                Optional<Receipt> committed = replica.receiptOf(txId);
                if (committed.isPresent()) {
                    return CompletableFuture.completedFuture(Wire.receipt(committed.get()));
                }
            }
            return CompletableFuture.completedFuture(Wire.error(e));
        } catch (RuntimeException e) {
            pendingById.remove(txId, done);
            throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "admission failed");
        }
        done.whenComplete((r, ex) -> pendingById.remove(txId, done)); // until settled, a retry joins this one
        queue.add(new Pending(p, done));
        return done.handle(HospitalNode::reply);
    }

    private static byte[] reply(Receipt r, Throwable ex) {
        if (ex == null) {
            return Wire.receipt(r);
        }
        Throwable c = ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null ? ex.getCause() : ex;
        if (c instanceof LedgerException le) {
            return Wire.error(le);
        }
        if (c instanceof ConsortiumException ce) {
            return Wire.error(ce.reason(), ce.detail());
        }
        return Wire.error(ConsortiumReason.UNAVAILABLE, "block not committed");
    }

    private byte[] onBlocks(byte[] body) {
        long from;
        int limit;
        try {
            var r = new org.medledger.ledger.codec.CanonicalReader(body);
            from = r.u64();
            limit = (int) Math.min(Wire.MAX_BLOCKS_PER_PAGE, Math.max(1, r.u64()));
            r.expectEnd();
        } catch (RuntimeException e) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "bad blocks request");
        }
        TermIndex applied = stateMachine.getLastAppliedTermIndex();
        long term = applied == null ? 0 : applied.getTerm();
        long index = applied == null ? -1 : applied.getIndex();
        return Wire.page(term, Math.max(index, 0), replica.blocks(from, limit));
    }

    private byte[] onCosign(byte[] body) {
        Cosignature c;
        try {
            c = Cosignature.decode(body);
        } catch (RuntimeException e) {
            throw new ConsortiumException(ConsortiumReason.MALFORMED, "co-signature does not decode");
        }
        book.accept(c);
        return Wire.cosigned(cosignIfVerified(c.treeSize()));
    }

    /** This node's co-signature for {@code size} if its own validated log has a block boundary there. */
    private Optional<Cosignature> cosignIfVerified(long size) {
        Optional<Cosignature> own = book.own(size);
        if (own.isPresent() || size > replica.size() || size == 0) {
            return own;
        }
        List<SignedTreeHead> heads = replica.store().treeHeads(size, 1);
        if (heads.isEmpty() || heads.get(0).treeSize() != size) {
            return Optional.empty();
        }
        Cosignature mine = Cosignature.sign(id, size, replica.rootAt(size), clock.millis(), key);
        book.accept(mine);
        return Optional.of(mine);
    }

    // ---------------------------------------------------------------- ordering

    boolean isOwnProposal(Digest blockHash) {
        return inFlight.containsKey(blockHash);
    }

    /**
     * Told of every block this node stores, in log order, after it is stored (Raft apply and
     * catch-up alike): for indexes an application keeps beside the ledger. Its failures are logged
     * and change nothing on the ledger.
     */
    public interface AppliedListener {
        void applied(Block block, long firstLogIndex);
    }

    private volatile AppliedListener appliedListener = (block, first) -> { };

    private void tellApplied(Block block, ReplicaLedger.Applied a) {
        if (a.receipts().isEmpty()) {
            return;
        }
        try {
            appliedListener.applied(block, a.receipts().get(0).logIndex());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, id + ": a listener of applied blocks failed at block " + block.header().number(), e);
        }
    }

    /** Called by the state machine for each committed block entry, in log order. */
    ReplicaLedger.Applied applyOrdered(BlockWithHead b) {
        Digest hash = b.block().header().hash();
        boolean own = inFlight.containsKey(hash);
        ReplicaLedger.Applied a = replica.apply(b.block(), b.treeHead(), own);
        if (!a.alreadyApplied()) {
            tellApplied(b.block(), a);
            List<Pending> waiting = inFlight.remove(hash);
            if (waiting != null) {
                Map<Digest, Receipt> byId = new HashMap<>();
                a.receipts().forEach(r -> byId.put(r.txId(), r));
                for (Pending p : waiting) {
                    Receipt r = byId.get(p.prepared().tx().id());
                    if (r != null) {
                        settled.put(r.txId(), r);
                        p.done().complete(r);
                    } else {
                        p.done().completeExceptionally(new ConsortiumException(ConsortiumReason.UNAVAILABLE, "not in the applied block"));
                    }
                }
            }
            book.caughtUpTo(a.header().logSize());
        }
        storedThrough(replica.size());
        return a;
    }

    /** A committed entry every node refused: nothing applied; if this node cut it, its submitters learn why. */
    void refusedOrdered(byte[] entry, ConsortiumException why) {
        try {
            Wire.Envelope e = Wire.open(entry);
            Digest hash = BlockWithHead.decode(e.body()).block().header().hash();
            List<Pending> waiting = inFlight.remove(hash);
            if (waiting != null) {
                waiting.forEach(p -> p.done().completeExceptionally(why));
            }
        } catch (RuntimeException ignored) {
            // not a decodable block: nobody waits for it
        }
    }

    void leaderChanged(String newLeader) {
        LOG.info(() -> id + ": leader is now " + newLeader);
    }

    private void cutLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running) {
            boolean permit = false;
            try {
                // A free proposal slot first: while every slot is taken, submissions gather for the next block.
                if (!proposals.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                permit = true;
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + settings.maxBlockDelay().toNanos();
                while (batch.size() < settings.maxBlockTransactions()) {
                    queue.drainTo(batch, settings.maxBlockTransactions() - batch.size());
                    long wait = deadline - System.nanoTime();
                    if (batch.size() >= settings.maxBlockTransactions() || wait <= 0) {
                        break;
                    }
                    Pending next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                permit = !cutAndPropose(batch); // a proposal sent keeps its slot until it settles
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, id + ": block proposal failed", e);
                replica.discardPipeline();
                fail(batch, new ConsortiumException(ConsortiumReason.UNAVAILABLE, "block proposal failed"));
            } finally {
                if (permit) {
                    proposals.release();
                }
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new ConsortiumException(ConsortiumReason.UNAVAILABLE, "node closed"));
            pendingById.remove(p.prepared().tx().id(), p.done());
        }
    }

    /**
     * Cuts a block from {@code batch} on top of the blocks already proposed in this term and
     * sends it to the Raft log without waiting for it; returns whether a proposal was sent (it
     * then holds a proposal slot until it is applied, refused or failed). Submitters are
     * answered by the state machine when the block is applied on this node.
     */
    private boolean cutAndPropose(List<Pending> batch) {
        long term = awaitLeaderReady();
        if (term < 0) {
            fail(batch, new ConsortiumException(ConsortiumReason.NOT_LEADER, id + " is no longer the leader"));
            return false;
        }
        if (term != cutTerm) {
            replica.discardPipeline(); // anything cut in an earlier term was applied or is lost
            cutTerm = term;
        }
        Optional<ReplicaLedger.Proposal> cut = replica.cut(batch.stream().map(Pending::prepared).toList());
        List<Pending> accepted = new ArrayList<>();
        Map<Digest, LedgerException> refused = cut.map(ReplicaLedger.Proposal::refused).orElse(Map.of());
        for (Pending p : batch) {
            LedgerException e = refused.get(p.prepared().tx().id());
            if (e != null) {
                p.done().completeExceptionally(e);
            } else if (cut.isPresent()) {
                accepted.add(p);
            }
        }
        if (cut.isEmpty()) {
            return false;
        }
        Block block = cut.get().block();
        Digest hash = block.header().hash();
        inFlight.put(hash, accepted);
        byte[] entry = Wire.message(Wire.Kind.BLOCK, new BlockWithHead(block, cut.get().treeHead()).encode());
        proposer.async().send(LedgerStateMachine.message(entry)).orTimeout(60, TimeUnit.SECONDS).whenComplete((reply, ex) -> {
            try {
                // Applied (or refused) blocks were settled by the state machine; anything still here has an unknown outcome.
                List<Pending> left = inFlight.remove(hash);
                if (left != null) {
                    String why = ex != null ? ConsortiumClient.rootMessage(ex) : reply.isSuccess() ? "not applied" : String.valueOf(reply.getException());
                    LOG.warning(() -> id + ": block " + block.header().number() + " not applied here: " + why);
                    replica.discardPipeline(); // the next block is cut on the applied chain, not on this one
                    fail(left, new ConsortiumException(ConsortiumReason.UNAVAILABLE, "block not committed (outcome unknown): " + why));
                }
            } finally {
                proposals.release();
            }
        });
        return true;
    }

    /**
     * The leader cuts only once every entry of earlier terms is applied here (its own term's first
     * entry is); returns that term, or -1 when this node is not (or no longer) the leader.
     */
    private long awaitLeaderReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running && System.nanoTime() < deadline) {
            DivisionInfo info;
            try {
                info = server.getDivision(group.getGroupId()).getInfo();
            } catch (IOException e) {
                return -1;
            }
            if (!info.isLeader()) {
                return -1;
            }
            TermIndex applied = stateMachine.getLastAppliedTermIndex();
            if (info.isLeaderReady() && applied != null && applied.getTerm() == info.getCurrentTerm()) {
                return info.getCurrentTerm();
            }
            sleep(2);
        }
        return -1;
    }

    private static void fail(List<Pending> ps, RuntimeException e) {
        ps.forEach(p -> p.done().completeExceptionally(e));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- witnessing

    private void witnessTick() {
        try {
            Optional<SignedTreeHead> h = replica.latestTreeHead();
            if (h.isEmpty() || h.get().treeSize() <= lastCosigned) {
                return;
            }
            long size = h.get().treeSize();
            Optional<Cosignature> mine = cosignIfVerified(size);
            if (mine.isEmpty()) {
                return;
            }
            lastCosigned = size;
            gossip(mine.get());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, id + ": co-signing failed", e);
        }
    }

    /** Sends {@code c} to every other hospital; each answers with its own co-signature of that size if it has verified it. */
    private void gossip(Cosignature c) {
        byte[] msg = Wire.message(Wire.Kind.COSIGN, c.encode());
        for (String peer : consortium.hospitals()) {
            if (peer.equals(id)) {
                continue;
            }
            peers.async().sendStaleRead(LedgerStateMachine.message(msg), 0, RaftPeerId.valueOf(peer)).whenComplete((reply, ex) -> {
                if (ex != null || !reply.isSuccess()) {
                    return; // peer down: it will co-sign later sizes
                }
                try {
                    Wire.Envelope e = Wire.open(LedgerStateMachine.bytes(reply.getMessage()));
                    if (e.kind() == Wire.Kind.COSIGNED) {
                        Wire.cosigned(e.body()).ifPresent(book::accept);
                    }
                } catch (RuntimeException bad) {
                    LOG.warning(() -> id + ": reply of " + peer + " refused: " + bad.getMessage());
                }
            });
        }
    }

    /** The latest tree head with a quorum of co-signatures from hospitals this node still counts. */
    public Optional<WitnessedTreeHead> witnessedHead() {
        Optional<Long> size = book.latestWitnessedSize();
        if (size.isEmpty()) {
            return Optional.empty();
        }
        List<SignedTreeHead> heads = replica.store().treeHeads(size.get(), 1);
        if (heads.isEmpty() || heads.get(0).treeSize() != size.get()) {
            return Optional.empty();
        }
        return Optional.of(new WitnessedTreeHead(heads.get(0), book.cosignatures(size.get())));
    }

    /** A tree head shown to this node by anyone (a client, an auditor): checked against this node's log. */
    public void observe(SignedTreeHead h) {
        book.observe(h);
    }

    // ---------------------------------------------------------------- catch-up and audit

    /** Blocks from {@code peer}'s store, from {@code fromNumber} (one page). */
    Wire.Page fetchBlocks(String peer, long fromNumber) {
        return ConsortiumClient.fetch(peers, peer, fromNumber);
    }

    /**
     * Brings this node's store up to the leader's (the entries it needs were purged from the Raft
     * log): fetches blocks page by page and applies each after full validation; returns the
     * leader's applied (term, index) the store now covers, recorded as this node's snapshot marker.
     */
    CompletableFuture<TermIndex> catchUp(String leaderId, TermIndex firstInLeaderLog) {
        return CompletableFuture.supplyAsync(() -> {
            if (leaderId == null) {
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "no leader to catch up from");
            }
            long started = System.nanoTime();
            long blocks = 0;
            for (int pages = 0; pages < 1_000_000 && running; pages++) {
                long from = replica.head().map(h -> h.number() + 1).orElse(0L);
                Wire.Page page = fetchBlocks(leaderId, from);
                if (page.blocks().isEmpty()) {
                    TermIndex at = TermIndex.valueOf(page.appliedTerm(), page.appliedIndex());
                    if (at.getIndex() < firstInLeaderLog.getIndex() - 1) {
                        throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "leader has not applied its own log yet");
                    }
                    try {
                        stateMachine.installed(at);
                    } catch (IOException e) {
                        throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "snapshot marker not written", e);
                    }
                    long n = blocks;
                    LOG.info(() -> id + " caught up " + n + " blocks from " + leaderId + " in " + (System.nanoTime() - started) / 1_000_000 + " ms, at " + at);
                    return at;
                }
                for (BlockWithHead b : page.blocks()) {
                    ReplicaLedger.Applied a = replica.apply(b.block(), b.treeHead(), false);
                    if (!a.alreadyApplied()) {
                        tellApplied(b.block(), a);
                    }
                    blocks++;
                    caughtUpBlocks.incrementAndGet();
                    storedThrough(replica.size());
                }
                book.caughtUpTo(replica.size());
            }
            throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "catch-up did not finish");
        }, background);
    }

    /**
     * Audits {@code peer}: fetches its whole chain as its store serves it and replays it with the
     * ledger verifier against this node's latest witnessed head (and compares every block with
     * this node's own). A failure refuses the peer as a witness and is returned in the report.
     */
    public VerificationReport audit(String peer) {
        consortium.hospital(peer, clock.millis());
        List<BlockWithHead> chain = new ArrayList<>();
        for (int pages = 0; pages < 100_000; pages++) {
            Wire.Page page = fetchBlocks(peer, chain.size());
            if (page.blocks().isEmpty()) {
                break;
            }
            chain.addAll(page.blocks());
        }
        Optional<WitnessedTreeHead> checkpoint = witnessedHead();
        VerificationReport report = new LedgerVerifier(consortium.anchors(), consortium.contracts(), consortium.scheme())
                .verify(ConsortiumClient.chain(chain), checkpoint.map(WitnessedTreeHead::head));
        String detail = report.failure().map(Object::toString).orElse(null);
        if (detail == null) {
            for (BlockWithHead b : chain) {
                BlockHeader h = b.block().header();
                List<StoredBlock> mine = replica.store().blocks(h.number(), 1);
                if (!mine.isEmpty() && mine.get(0).storedHash().isPresent() && !mine.get(0).storedHash().get().equals(h.hash())) {
                    detail = "block " + h.number() + " differs from this node's";
                    break;
                }
            }
        }
        if (detail != null) {
            book.refuse(new Evidence(peer, ConsortiumReason.REFUSED_WITNESS, "audit failed: " + detail, List.of(), List.of()));
        }
        return report;
    }

    /** Stops the node: Raft server, clients, cutter and witness. The store stays open (its owner closes it). */
    @Override
    public void close() {
        running = false;
        storedThrough(0); // wakes submitters waiting for a block to reach this node
        witness.shutdownNow();
        try {
            cutter.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(client);
        closeQuietly(proposer);
        closeQuietly(peers);
        closeQuietly(server);
        inFlight.values().forEach(ps -> fail(ps, new ConsortiumException(ConsortiumReason.UNAVAILABLE, "node closed")));
        inFlight.clear();
        background.shutdownNow();
        replica.close();
    }

    private void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, id + ": close", e);
        }
    }
}
