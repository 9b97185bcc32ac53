package org.medledger.consortium.testing;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.medledger.consortium.HospitalNode;
import org.medledger.consortium.NodeSettings;

/**
 * One hospital node in its own JVM, for tests that kill it with SIGKILL:
 * {@code NodeProcess <now> <id> <dir> <hospital=port>...}. Prints {@code READY <id>} once started
 * and runs until its standard input closes (or it is killed).
 */
public final class NodeProcess {
    private NodeProcess() {
    }

    public static void main(String[] args) throws Exception {
        long now = Long.parseLong(args[0]);
        String id = args[1];
        Path dir = Path.of(args[2]);
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            addresses.put(kv[0], new InetSocketAddress("127.0.0.1", Integer.parseInt(kv[1])));
        }
        World w = new World(addresses.size(), now);
        World.Store store = World.Store.open(World.h2File(dir.resolve("db-" + id)));
        NodeSettings settings = NodeSettings.defaults(dir.resolve("raft-" + id), addresses).withElectionTimeout(Duration.ofMillis(2000));
        HospitalNode node = HospitalNode.start(w.consortium, id, w.hospitalKeys.get(id), store.store(), settings, w.clock);
        System.out.println("READY " + id);
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our input
        }
        node.close();
        store.close();
    }
}
