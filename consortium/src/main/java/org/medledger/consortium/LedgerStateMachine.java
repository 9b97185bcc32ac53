package org.medledger.consortium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.medledger.ledger.block.BlockHeader;

/**
 * The Raft state machine of a hospital node. Each committed log entry is one block
 * ({@link BlockWithHead}); applying it means {@link ReplicaLedger#apply} — full validation,
 * then one durable append to the node's own ledger store — or a deterministic refusal that
 * changes nothing. The store is the state: a snapshot is only a marker file saying "every entry
 * up to (term, index) is reflected in the store" (with the block number and hash it had then),
 * so Ratis may purge its log up to there. Entries replayed after a restart are recognised by
 * block number and hash and skipped. A follower whose missing entries were purged catches up by
 * fetching blocks from the leader and validating each one ({@link HospitalNode#catchUp}).
 */
final class LedgerStateMachine extends BaseStateMachine {
    private static final Logger LOG = Logger.getLogger(LedgerStateMachine.class.getName());

    private final HospitalNode node;
    private final ReplicaLedger replica;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    LedgerStateMachine(HospitalNode node, ReplicaLedger replica) {
        this.node = node;
        this.replica = replica;
    }

    static Message message(byte[] b) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(b));
    }

    static byte[] bytes(Message m) {
        return m.getContent().toByteArray();
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::load);
    }

    @Override
    public void pause() {
        if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
            getLifeCycle().startAndTransition(this::load);
        } else {
            load();
        }
    }

    private void load() throws IOException {
        SingleFileSnapshotInfo s = storage.loadLatestSnapshot();
        if (s != null) {
            requireStoreReaches(s);
            // The marker promises the store holds everything up to its index; entries after it are replayed (idempotently).
            setLastAppliedTermIndex(s.getTermIndex());
        }
    }

    /**
     * The Raft log before a marker may be purged, so a store that lost blocks the marker covers
     * (a database restored from an old backup, commits lost in an operating-system crash) cannot
     * be repaired from the log: the node refuses to start rather than refuse every later block.
     */
    private void requireStoreReaches(SingleFileSnapshotInfo s) throws IOException {
        String[] marker = Files.readString(s.getFile().getPath(), StandardCharsets.UTF_8).trim().split(" ");
        if (marker.length < 7 || !marker[4].matches("\\d+")) {
            return; // "... at empty": nothing promised
        }
        long number = Long.parseLong(marker[4]);
        long stored = replica.head().map(BlockHeader::number).orElse(-1L);
        if (stored < number) {
            throw new IOException(node.id() + ": the ledger store ends at block " + stored + " but the Raft snapshot marker "
                    + s.getTermIndex() + " says block " + number + " was stored; restore this node from a peer (empty its database and Raft directory)");
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || applied.getIndex() < 0) {
            return -1;
        }
        return writeMarker(applied);
    }

    /** Records that the store reflects every entry up to {@code at}; returns its index. */
    synchronized long writeMarker(TermIndex at) throws IOException {
        var file = storage.getSnapshotFile(at.getTerm(), at.getIndex());
        String head = replica.head().map(h -> h.number() + " " + h.hash().hex() + " " + h.logSize()).orElse("empty");
        Files.writeString(file.toPath(), "medledger ledger store at " + head + "\n", StandardCharsets.UTF_8);
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), at));
        return at.getIndex();
    }

    /** After catching up from a peer: the store now reflects the leader's state at {@code at}; Ratis reloads from this marker. */
    void installed(TermIndex at) throws IOException {
        writeMarker(at);
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            Wire.Envelope e = Wire.open(bytes(request.getMessage()));
            if (e.kind() != Wire.Kind.BLOCK) {
                throw new ConsortiumException(ConsortiumReason.MALFORMED, "only blocks are written to the log");
            }
            BlockWithHead b = BlockWithHead.decode(e.body());
            // Only this node's own cut (it is the leader) enters the log; anyone else's block is refused here,
            // and every node validates every block again when it is applied.
            if (!node.isOwnProposal(b.block().header().hash())) {
                throw new ConsortiumException(ConsortiumReason.NOT_LEADER, "block " + b.block().header().number()
                        + " by " + Consortium.printable(b.block().header().producer()) + " was not cut by this leader");
            }
        } catch (ConsortiumException ex) {
            LOG.warning(() -> node.id() + " refused a log write: " + ex.getMessage());
            trx.setException(ex);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex ti = TermIndex.valueOf(entry);
        ByteString data = entry.getStateMachineLogEntry().getLogData();
        byte[] reply;
        try {
            Wire.Envelope e = Wire.open(data.toByteArray());
            if (e.kind() != Wire.Kind.BLOCK) {
                throw new ConsortiumException(ConsortiumReason.MALFORMED, "log entry is not a block");
            }
            BlockWithHead b = BlockWithHead.decode(e.body());
            ReplicaLedger.Applied a = node.applyOrdered(b);
            BlockHeader h = a.header();
            reply = Wire.applied(h.hash(), h.logSize());
        } catch (ConsortiumException ex) {
            // Deterministic refusal: every honest node refuses the same entry the same way; nothing applied.
            reply = Wire.error(ex.reason(), ex.detail());
            node.refusedOrdered(data.toByteArray(), ex);
        } catch (RuntimeException ex) {
            // The store failed: this node cannot go on applying; it stops here and recovers on restart.
            LOG.log(Level.SEVERE, node.id() + " failed to apply log entry " + ti, ex);
            return CompletableFuture.failedFuture(ex);
        }
        updateLastAppliedTermIndex(ti);
        return CompletableFuture.completedFuture(message(reply));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return node.query(bytes(request)).thenApply(LedgerStateMachine::message);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        node.leaderChanged(newLeader == null ? null : newLeader.toString());
    }

    @Override
    public CompletableFuture<TermIndex> notifyInstallSnapshotFromLeader(RoleInfoProto roleInfo, TermIndex firstTermIndexInLog) {
        String leader = roleInfo.hasFollowerInfo() ? roleInfo.getFollowerInfo().getLeaderInfo().getId().getId().toStringUtf8() : null;
        return node.catchUp(leader, firstTermIndexInLog);
    }
}
