package org.medledger.consortium;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one hospital node runs: its Raft directory, every hospital's Raft address (its own
 * included), block cutting, Raft timing, and how often it co-signs its latest tree head.
 *
 * @param snapshotEvery Raft entries between snapshot markers (after which Ratis purges its closed log segments)
 * @param logSegmentBytes size of a Raft log segment (the unit Ratis purges)
 * @param tls mutual TLS between the nodes ({@link NodeTls}), or null for plain gRPC
 * @param blocksInFlight blocks the leader may have proposed and not yet applied (each cut on top of the previous one)
 */
public record NodeSettings(Path raftDirectory, Map<String, InetSocketAddress> addresses, int maxBlockTransactions,
                           Duration maxBlockDelay, Duration electionTimeout, Duration witnessInterval, long snapshotEvery,
                           long logSegmentBytes, NodeTls tls, int blocksInFlight) {
    public NodeSettings {
        Objects.requireNonNull(raftDirectory);
        addresses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
        if (maxBlockTransactions < 1 || maxBlockTransactions > BlockWithHead.MAX_TRANSACTIONS || snapshotEvery < 1 || logSegmentBytes < 1024
                || blocksInFlight < 1 || blocksInFlight > 64) {
            throw new IllegalArgumentException("bad block or snapshot settings");
        }
    }

    /** Defaults: blocks of up to 2,000 transactions or 5 ms, up to 4 blocks in flight, election timeout 1–2 s, co-signing every 100 ms, a marker every 1,000 entries, 32 MB log segments. */
    public static NodeSettings defaults(Path raftDirectory, Map<String, InetSocketAddress> addresses) {
        return new NodeSettings(raftDirectory, addresses, 2000, Duration.ofMillis(5), Duration.ofSeconds(1), Duration.ofMillis(100), 1000, 32L << 20, null, 4);
    }

    public NodeSettings withSnapshotEvery(long entries) {
        return new NodeSettings(raftDirectory, addresses, maxBlockTransactions, maxBlockDelay, electionTimeout, witnessInterval, entries, logSegmentBytes, tls, blocksInFlight);
    }

    public NodeSettings withBlockCutting(int maxTransactions, Duration maxDelay) {
        return new NodeSettings(raftDirectory, addresses, maxTransactions, maxDelay, electionTimeout, witnessInterval, snapshotEvery, logSegmentBytes, tls, blocksInFlight);
    }

    public NodeSettings withLogSegmentBytes(long bytes) {
        return new NodeSettings(raftDirectory, addresses, maxBlockTransactions, maxBlockDelay, electionTimeout, witnessInterval, snapshotEvery, bytes, tls, blocksInFlight);
    }

    public NodeSettings withElectionTimeout(Duration d) {
        return new NodeSettings(raftDirectory, addresses, maxBlockTransactions, maxBlockDelay, d, witnessInterval, snapshotEvery, logSegmentBytes, tls, blocksInFlight);
    }

    /** Mutual TLS between the nodes with this hospital's key and certificate (plain gRPC without). */
    public NodeSettings withTls(NodeTls t) {
        return new NodeSettings(raftDirectory, addresses, maxBlockTransactions, maxBlockDelay, electionTimeout, witnessInterval, snapshotEvery, logSegmentBytes, t, blocksInFlight);
    }

    public NodeSettings withBlocksInFlight(int blocks) {
        return new NodeSettings(raftDirectory, addresses, maxBlockTransactions, maxBlockDelay, electionTimeout, witnessInterval, snapshotEvery, logSegmentBytes, tls, blocks);
    }
}
