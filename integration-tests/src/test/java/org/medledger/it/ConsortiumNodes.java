package org.medledger.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.medledger.client.cli.CliRunner;
import org.medledger.consortium.Consortium;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.P256SignatureScheme;

/**
 * Three hospital nodes of a consortium, each a real WildFly of its own with the built EAR: a copy
 * of the test distribution under {@code target/consortium-it/<id>/wildfly} prepared by
 * {@code wildfly-config/prepare-server.sh} (its own keys, credential store and H2 database), the
 * membership issued by the authority ({@code hpa}) with {@code medledger consortium-membership}
 * from the three servers' key stores, every node started with {@code configure-consortium.cli}'s
 * variables (the same path as {@code bin/run --hospitals 3}). Every node serves HTTPS only, its TLS key
 * certified by the test installation's authority (certify-test-server.sh), and calls the others over
 * HTTPS trusting that authority alone (configure-tls-certificate.cli). While the nodes exist this run also
 * holds the other IT slot's lock (the nodes are heavy on a shared machine); closing stops every
 * node and releases it.
 */
final class ConsortiumNodes implements AutoCloseable {

    static final List<String> IDS = List.of("hpa", "hpb", "hpc");
    private static final Duration START = Duration.ofMinutes(15);

    /** One node: its id, its WildFly home, its HTTPS port; its process while it runs. */
    static final class Node {
        final String id;
        final int index;
        final Path home;
        Process process;

        Node(String id, int index, Path home) {
            this.id = id;
            this.index = index;
            this.home = home;
        }

        int httpsPort() {
            return 8443 + ItConfig.consortiumPortOffset(index);
        }

        String api() {
            return "https://127.0.0.1:" + httpsPort() + "/api";
        }

        Path deployments() {
            return home.resolve("standalone/deployments");
        }
    }

    final List<Node> nodes = new ArrayList<>();
    final Path membershipFile;
    final Consortium membership;
    private final Process otherLock;
    private final Path dir;

    private ConsortiumNodes(Process otherLock, Path dir, Path membershipFile, Consortium membership, List<Node> nodes) {
        this.otherLock = otherLock;
        this.dir = dir;
        this.membershipFile = membershipFile;
        this.membership = membership;
        this.nodes.addAll(nodes);
    }

    Node node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    /** Prepares three servers, issues the membership, starts all three and waits for their deployments. */
    static ConsortiumNodes start() throws Exception {
        Process lock = acquire(ItConfig.otherSlotLock());
        try {
            Path dir = ItConfig.output().resolve("consortium-it");
            ItConfig.deleteTree(dir);
            Path dist = Path.of(ItConfig.require("jboss.home"));
            List<Node> nodes = new ArrayList<>();
            List<Process> preparing = new ArrayList<>();
            for (int i = 0; i < IDS.size(); i++) {
                Node n = new Node(IDS.get(i), i, dir.resolve(IDS.get(i)).resolve("wildfly"));
                copyDistribution(dist, n.home);
                nodes.add(n);
                ProcessBuilder pb = new ProcessBuilder("bash", Path.of(ItConfig.require("medledger.it.root"), "wildfly-config/prepare-server.sh")
                        .toString(), n.home.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve(n.id).resolve("prepare.log").toFile());
                pb.environment().put("MEDLEDGER_FRESH_DATA", "true");
                preparing.add(pb.start());
            }
            for (int i = 0; i < preparing.size(); i++) {
                Process p = preparing.get(i);
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("prepare-server.sh failed for " + IDS.get(i) + "; see " + dir.resolve(IDS.get(i)));
                }
            }
            for (Node n : nodes) {
                certify(n, dir.resolve(n.id).resolve("certify.log"));
            }
            // The authority issues the membership from its KGC key store and each hospital's producer certificate.
            Path membershipFile = dir.resolve("membership.b64");
            String hospitals = nodes.stream().map(n -> n.id + "=" + n.home.resolve("standalone/configuration"))
                    .collect(Collectors.joining(","));
            CliRunner.Result issued = CliRunner.run(Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD",
                            ItConfig.require("medledger.it.secret.credential-store.password")), "consortium-membership",
                    "--kgc-keystore", nodes.get(0).home.resolve("standalone/configuration").toString(), "--hospitals", hospitals,
                    "--out", membershipFile.toString());
            if (issued.code() != 0) {
                throw new IllegalStateException("consortium-membership failed: " + issued.err());
            }
            Consortium membership = Consortium.decode(Base64.getMimeDecoder().decode(
                    Files.readString(membershipFile, StandardCharsets.US_ASCII).trim()), ContractRegistry.of(), P256SignatureScheme.INSTANCE);
            ConsortiumNodes c = new ConsortiumNodes(lock, dir, membershipFile, membership, nodes);
            try {
                for (Node n : nodes) {
                    Files.copy(Path.of(ItConfig.require("medledger.it.ear")), n.deployments().resolve("medledger.ear"),
                            StandardCopyOption.REPLACE_EXISTING);
                    c.launch(n);
                }
                for (Node n : nodes) {
                    c.awaitDeployed(n);
                }
                return c;
            } catch (Exception | Error e) {
                c.close();
                throw e;
            }
        } catch (Exception | Error e) {
            release(lock);
            throw e;
        }
    }

    /** Starts node {@code n} (again) with the consortium's variables; its deployment marker is cleared first. */
    void launch(Node n) throws IOException {
        Files.deleteIfExists(n.deployments().resolve("medledger.ear.deployed"));
        Files.deleteIfExists(n.deployments().resolve("medledger.ear.failed"));
        ProcessBuilder pb = new ProcessBuilder(n.home.resolve("bin/standalone.sh").toString(), "-c", "standalone-medledger.xml",
                "--stability=community", "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + ItConfig.consortiumPortOffset(n.index))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(n.id).resolve("console.log").toFile()));
        Map<String, String> env = pb.environment();
        // small heaps: three servers beside the suite's own on a shared machine
        env.put("JAVA_OPTS", "-Xms64m -Xmx384m -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=256m -Djava.net.preferIPv4Stack=true "
                + "-Djava.awt.headless=true -Djboss.modules.system.pkgs=org.jboss.byteman");
        env.put("MEDLEDGER_HTTPS_PORT", Integer.toString(n.httpsPort()));
        env.put("MEDLEDGER_CONSORTIUM_NODE", n.id);
        env.put("MEDLEDGER_CONSORTIUM_MEMBERSHIP", membershipFile.toString());
        env.put("MEDLEDGER_CONSORTIUM_PEERS", nodes.stream().map(m -> m.id + "=127.0.0.1:" + ItConfig.consortiumRaftPort(m.index))
                .collect(Collectors.joining(",")));
        env.put("MEDLEDGER_HOSPITAL_URLS", nodes.stream().map(m -> m.id + "=" + m.api()).collect(Collectors.joining(",")));
        env.put("MEDLEDGER_CONSORTIUM_AUTHORITY_URL", nodes.get(0).api());
        n.process = pb.start();
    }

    /** The node's TLS key certified by the test installation's authority, as the test server's. */
    private static void certify(Node n, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of(ItConfig.require("medledger.it.root"), "integration-tests/certify-test-server.sh")
                .toString(), ItConfig.require("medledger.it.cli.jar"), ItConfig.require("medledger.it.tls"), n.home.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MEDLEDGER_CA_PASSWORD", ItConfig.require("medledger.it.secret.tls-authority.password"));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("certify-test-server.sh failed for " + n.id + "; see " + log);
        }
    }

    void awaitDeployed(Node n) {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(n.deployments().resolve("medledger.ear.deployed"))) {
                return;
            }
            if (Files.exists(n.deployments().resolve("medledger.ear.failed"))) {
                throw new IllegalStateException("the EAR failed to deploy on " + n.id + "; see " + n.home.resolve("standalone/log/server.log"));
            }
            if (!n.process.isAlive()) {
                throw new IllegalStateException(n.id + " exited during start-up; see " + dir.resolve(n.id).resolve("console.log"));
            }
            sleep(1000);
        }
        throw new IllegalStateException(n.id + " did not deploy within " + START + "; see " + n.home.resolve("standalone/log/server.log"));
    }

    /** Stops node {@code n} as an operator would (SIGTERM to the server, which undeploys and closes the node). */
    void stop(Node n) {
        if (n.process == null) {
            return;
        }
        List<ProcessHandle> tree = Stream.concat(n.process.descendants(), Stream.of(n.process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(90, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        n.process = null;
    }

    /** What node {@code n} logged (its server.log). */
    String serverLog(Node n) throws IOException {
        Path log = n.home.resolve("standalone/log/server.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() {
        nodes.forEach(this::stop);
        release(otherLock);
    }

    /**
     * Holds {@code lock} with flock(1) (the lock the run commands take) in a child process, until
     * {@link #release}: its stdin closing (also when this JVM exits) ends it and frees the lock.
     */
    private static Process acquire(Path lock) throws IOException, InterruptedException {
        if (heldByAncestor(lock)) {
            // the command that started this run holds it already (e.g. both slot locks around a full run)
            return new ProcessBuilder("cat").start();
        }
        Process p = new ProcessBuilder("flock", lock.toString(), "-c", "echo held; exec cat").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"held".equals(line)) {
            p.destroy();
            throw new IllegalStateException("cannot take " + lock + ": " + line);
        }
        return p;
    }

    /** Whether a process this JVM descends from holds {@code lock} with flock(1) (read from /proc/locks). */
    static boolean heldByAncestor(Path lock) throws IOException {
        if (!Files.exists(lock) || !Files.isReadable(Path.of("/proc/locks"))) {
            return false;
        }
        long inode = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
        java.util.Set<Long> ancestors = new java.util.HashSet<>();
        for (Optional<ProcessHandle> h = ProcessHandle.current().parent(); h.isPresent(); h = h.get().parent()) {
            ancestors.add(h.get().pid());
        }
        for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
            // "1: FLOCK  ADVISORY  WRITE 12345 fe:00:2146448 0 EOF"; a waiter's line reads "1: -> FLOCK ..."
            String[] f = line.trim().split("\\s+");
            if (f.length > 5 && f[1].equals("FLOCK")) {
                String[] dev = f[5].split(":");
                if (dev.length == 3 && Long.parseLong(dev[2]) == inode && ancestors.contains(Long.parseLong(f[4]))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void release(Process lock) {
        try {
            lock.getOutputStream().close();
            lock.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            lock.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lock.destroy();
        }
    }

    /** The test distribution without its server's state: no data, logs, deployments, keys, credential store or prepared configuration. */
    private static void copyDistribution(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path rel = from.relativize(p);
                String r = rel.toString().replace('\\', '/');
                if (r.startsWith("standalone/data") || r.startsWith("standalone/log") || r.startsWith("standalone/tmp")
                        || (r.startsWith("standalone/deployments/") && r.contains("medledger"))
                        || r.startsWith("standalone/configuration/standalone_xml_history")
                        || r.startsWith("standalone/configuration/medledger-")
                        || r.equals("standalone/configuration/standalone-medledger.xml")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
