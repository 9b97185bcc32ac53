package org.medledger.consortium;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.medledger.ledger.block.Block;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.log.LogLeaf;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.store.StoredBlock;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.verify.ChainSource;

/**
 * A client of the consortium that is not a node (an application server, an auditor, a test):
 * submits signed transactions to whichever hospital leads, and reads any hospital's chain as
 * that hospital's store serves it (to verify it or compare it with others').
 */
public final class ConsortiumClient implements AutoCloseable {
    private final RaftClient submitter;
    private final RaftClient reader;

    private ConsortiumClient(RaftClient submitter, RaftClient reader) {
        this.submitter = submitter;
        this.reader = reader;
    }

    public static ConsortiumClient connect(Consortium consortium, Map<String, InetSocketAddress> addresses) {
        var group = HospitalNode.group(consortium, addresses);
        RaftClient s = RaftClient.newBuilder().setProperties(properties(30)).setRaftGroup(group)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(40, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS))).build();
        RaftClient r = RaftClient.newBuilder().setProperties(properties(30)).setRaftGroup(group).setRetryPolicy(RetryPolicies.noRetry()).build();
        return new ConsortiumClient(s, r);
    }

    static RaftProperties properties(int timeoutSeconds) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeoutSeconds, TimeUnit.SECONDS));
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 20_000);
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("64MB"));
        return p;
    }

    public CompletableFuture<Receipt> submit(Transaction tx) {
        return submit(submitter, tx);
    }

    public Receipt submitAndWait(Transaction tx) {
        return submitAndWait(this::submit, tx);
    }

    /** {@code peer}'s whole chain as its store serves it (at most {@code maxBlocks}). */
    public List<BlockWithHead> chain(String peer, int maxBlocks) {
        List<BlockWithHead> out = new ArrayList<>();
        while (out.size() < maxBlocks) {
            Wire.Page page = fetch(reader, peer, out.size());
            if (page.blocks().isEmpty()) {
                break;
            }
            out.addAll(page.blocks());
        }
        return out;
    }

    static CompletableFuture<Receipt> submit(RaftClient client, Transaction tx) {
        return client.async().sendReadOnlyUnordered(LedgerStateMachine.message(Wire.message(Wire.Kind.SUBMIT, tx.encode())))
                .handle((reply, ex) -> {
                    if (ex != null) {
                        throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "no answer from the leader: " + rootMessage(ex));
                    }
                    return receipt(reply);
                });
    }

    /** Submits and waits (at most 60 s per attempt), trying again a few times while there is no leader; refusals are thrown. */
    static Receipt submitAndWait(Function<Transaction, CompletableFuture<Receipt>> submit, Transaction tx) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return submit.apply(tx).get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "interrupted");
            } catch (TimeoutException e) {
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "no receipt within 60 s");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof ConsortiumException ce && (ce.reason() == ConsortiumReason.NOT_LEADER || ce.reason() == ConsortiumReason.UNAVAILABLE)) {
                    last = ce;
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw ce;
                    }
                    continue;
                }
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, String.valueOf(c));
            }
        }
        throw last;
    }

    private static Receipt receipt(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "leader failed: " + reply.getException());
        }
        Wire.Envelope e = Wire.open(LedgerStateMachine.bytes(reply.getMessage()));
        if (e.kind() == Wire.Kind.RECEIPT) {
            return Wire.receipt(e.body());
        }
        if (e.kind() == Wire.Kind.ERROR) {
            throw Wire.error(e.body());
        }
        throw new ConsortiumException(ConsortiumReason.MALFORMED, "unexpected reply " + e.kind());
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    /** One page of blocks from {@code peer}'s store, from block {@code fromNumber}. */
    static Wire.Page fetch(RaftClient client, String peer, long fromNumber) {
        try {
            RaftClientReply reply = client.async().sendStaleRead(LedgerStateMachine.message(Wire.blocksRequest(fromNumber, Wire.MAX_BLOCKS_PER_PAGE)),
                    0, RaftPeerId.valueOf(peer)).get(30, TimeUnit.SECONDS);
            if (!reply.isSuccess()) {
                throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, peer + " did not answer: " + reply.getException());
            }
            Wire.Envelope e = Wire.open(LedgerStateMachine.bytes(reply.getMessage()));
            if (e.kind() == Wire.Kind.ERROR) {
                throw Wire.error(e.body());
            }
            if (e.kind() != Wire.Kind.PAGE) {
                throw new ConsortiumException(ConsortiumReason.MALFORMED, "unexpected reply " + e.kind());
            }
            return Wire.page(e.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new ConsortiumException(ConsortiumReason.UNAVAILABLE, peer + " did not answer: " + rootMessage(e));
        }
    }

    /** A chain served by a peer, as the ledger verifier reads it (ids and leaf hashes recomputed). */
    public static ChainSource chain(List<BlockWithHead> chain) {
        return new ChainSource() {
            @Override
            public List<StoredBlock> blocks(long fromNumber, int limit) {
                List<StoredBlock> out = new ArrayList<>();
                for (long n = fromNumber; n < chain.size() && out.size() < limit; n++) {
                    Block b = chain.get((int) n).block();
                    BlockHeader h = b.header();
                    List<StoredTransaction> rows = new ArrayList<>();
                    for (int i = 0; i < b.transactions().size(); i++) {
                        Transaction t = b.transactions().get(i);
                        long index = h.firstLogIndex() + i;
                        rows.add(new StoredTransaction(index, Optional.of(t), Optional.of(t.id()), Optional.of(LogLeaf.hash(index, t)), null));
                    }
                    out.add(new StoredBlock(n, Optional.of(h), Optional.of(b.producerSignature()), Optional.of(h.hash()), rows, null));
                }
                return out;
            }

            @Override
            public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
                return chain.stream().map(BlockWithHead::treeHead).filter(s -> s.treeSize() >= fromSize).limit(limit).toList();
            }

            @Override
            public List<StoredTransaction> transactions(long fromIndex, int limit) {
                return List.of(); // a served chain has no rows outside its blocks
            }

            @Override
            public boolean holdsState() {
                return false; // a peer serves blocks, not its world state
            }

            @Override
            public List<org.medledger.ledger.store.StateEntry> state(String afterNamespace, String afterKey, int limit) {
                return List.of();
            }
        };
    }

    @Override
    public void close() {
        try {
            submitter.close();
        } catch (java.io.IOException e) {
            // closing
        }
        try {
            reader.close();
        } catch (java.io.IOException e) {
            // closing
        }
    }
}
