package org.medledger.consensus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * This server's place in a consortium of hospitals, from the system properties set by
 * {@code wildfly-config/configure-consortium.cli}; absent, the server runs the single-node ledger.
 *
 * <ul>
 *   <li>{@code medledger.consortium.node-id} — this hospital's id (its block-producer certificate among the anchors)</li>
 *   <li>{@code medledger.consortium.membership} — file with the consortium's encoding (base64), the same on every node</li>
 *   <li>{@code medledger.consortium.peers} — every hospital's Raft address, {@code id=host:port,...} (this one included)</li>
 *   <li>{@code medledger.consortium.raft-dir} — the Raft log directory (default {@code <data dir>/medledger/raft})</li>
 * </ul>
 */
public record ConsortiumSettings(String nodeId, byte[] membership, Map<String, InetSocketAddress> peers, Path raftDirectory) {

    public static final String NODE_ID = "medledger.consortium.node-id";
    public static final String MEMBERSHIP = "medledger.consortium.membership";
    public static final String PEERS = "medledger.consortium.peers";
    public static final String RAFT_DIR = "medledger.consortium.raft-dir";

    /** The configured consortium, or empty when {@code node-id} is unset or blank (single-node mode). */
    public static Optional<ConsortiumSettings> fromSystemProperties() {
        String id = System.getProperty(NODE_ID, "").trim();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        String file = require(MEMBERSHIP);
        byte[] membership;
        try {
            membership = Base64.getMimeDecoder().decode(Files.readString(Path.of(file), StandardCharsets.US_ASCII).trim());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("the consortium membership file " + file + " is not readable base64");
        }
        String dir = System.getProperty(RAFT_DIR, "").trim();
        Path raft = !dir.isEmpty() ? Path.of(dir)
                : Path.of(System.getProperty("jboss.server.data.dir", "."), "medledger", "raft");
        return Optional.of(new ConsortiumSettings(id, membership, parsePeers(require(PEERS)), raft));
    }

    /** {@code id=host:port,id=host:port} in order. */
    public static Map<String, InetSocketAddress> parsePeers(String spec) {
        Map<String, InetSocketAddress> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            int colon = p.lastIndexOf(':');
            if (eq <= 0 || colon < eq + 2 || colon == p.length() - 1) {
                throw new IllegalStateException("malformed consortium peer '" + p + "' (expected id=host:port)");
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("malformed port in consortium peer '" + p + "'");
            }
            if (port < 1 || port > 65535 || m.put(p.substring(0, eq), InetSocketAddress.createUnresolved(p.substring(eq + 1, colon), port)) != null) {
                throw new IllegalStateException("bad or repeated consortium peer '" + p + "'");
            }
        }
        return m;
    }

    private static String require(String property) {
        String v = System.getProperty(property, "").trim();
        if (v.isEmpty()) {
            throw new IllegalStateException(property + " is required when " + NODE_ID + " is set");
        }
        return v;
    }
}
