package org.medledger.consortium.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

import org.medledger.consortium.HospitalNode;
import org.medledger.consortium.NodeSettings;

/**
 * Hospital nodes of one consortium in this JVM, each with its own H2 file database and Raft
 * directory, on loopback ports. A stopped node keeps its database and Raft log for a restart.
 */
public final class Cluster implements AutoCloseable {
    public final World world;
    private final Path dir;
    private final Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
    private final Map<String, HospitalNode> nodes = new HashMap<>();
    private final Map<String, World.Store> stores = new HashMap<>();
    private final UnaryOperator<NodeSettings> tune;

    public Cluster(World world, Path dir, UnaryOperator<NodeSettings> tune) throws IOException {
        this.world = world;
        this.dir = dir;
        this.tune = tune;
        for (String h : world.hospitals) {
            addresses.put(h, new InetSocketAddress("127.0.0.1", freePort()));
        }
    }

    public static Cluster start(World world, Path dir) throws IOException {
        return start(world, dir, s -> s);
    }

    public static Cluster start(World world, Path dir, UnaryOperator<NodeSettings> tune) throws IOException {
        Cluster c = new Cluster(world, dir, tune);
        for (String h : world.hospitals) {
            c.start(h);
        }
        return c;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public HospitalNode start(String h) throws IOException {
        return start(h, (block, first) -> { });
    }

    /** Starts (or restarts) node {@code h} with {@code listener} told of every block it stores. */
    public HospitalNode start(String h, HospitalNode.AppliedListener listener) throws IOException {
        World.Store store = stores.computeIfAbsent(h, k -> World.Store.open(World.h2File(dir.resolve("db-" + k))));
        NodeSettings s = tune.apply(NodeSettings.defaults(dir.resolve("raft-" + h), addresses)
                .withElectionTimeout(Duration.ofMillis(2000)).withBlockCutting(2000, Duration.ofMillis(5)));
        HospitalNode n = HospitalNode.start(world.consortium, h, world.hospitalKeys.get(h), store.store(), s, world.clock,
                HospitalNode.DAEMON_THREADS, listener);
        nodes.put(h, n);
        return n;
    }

    /** Stops the node (Raft server, cutter, witness) and closes its database; both stay on disk. */
    public void stop(String h) {
        HospitalNode n = nodes.remove(h);
        if (n != null) {
            n.close();
        }
        World.Store s = stores.remove(h);
        if (s != null) {
            s.close();
        }
    }

    public Map<String, InetSocketAddress> addressesForTest() {
        return Map.copyOf(addresses);
    }

    public HospitalNode node(String h) {
        return nodes.get(h);
    }

    public World.Store store(String h) {
        return stores.get(h);
    }

    public List<HospitalNode> running() {
        return world.hospitals.stream().filter(nodes::containsKey).map(nodes::get).toList();
    }

    /** Waits (at most {@code max}) until a running node is leader and returns it. */
    public HospitalNode awaitLeader(Duration max) {
        await(max, () -> running().stream().anyMatch(HospitalNode::isLeader), "a leader");
        return running().stream().filter(HospitalNode::isLeader).findFirst().orElseThrow();
    }

    public Optional<HospitalNode> leader() {
        return running().stream().filter(HospitalNode::isLeader).findFirst();
    }

    /** Waits (at most {@code max}) until every running node has {@code size} log entries. */
    public void awaitSize(long size, Duration max) {
        await(max, () -> running().stream().allMatch(n -> n.replica().size() >= size), "every node at size " + size);
    }

    public static void await(Duration max, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    @Override
    public void close() {
        for (String h : List.copyOf(nodes.keySet())) {
            stop(h);
        }
        for (String h : List.copyOf(stores.keySet())) {
            stores.remove(h).close();
        }
    }
}
