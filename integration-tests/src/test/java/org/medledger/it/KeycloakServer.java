package org.medledger.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real Keycloak of the tests: the distribution unpacked and built for production mode by the build
 * ({@code build-keycloak.sh}), started once per test JVM on a fresh database with {@code start --optimized}, the
 * repository's realm applied by {@code medledger keycloak-realm} and the demo overlay added, https with client
 * certificates from the test medical authority, stopped (with its whole process tree) when the JVM exits.
 * Its database: H2 in the distribution's {@code data/} (wiped at the first start), or in the PostgreSQL run
 * ({@code medledger.it.keycloak.db.url}) the database "keycloak" of the run's cluster, which the build creates
 * afresh for each run, as {@code bin/run --db postgresql} does.
 */
final class KeycloakServer {

    private static Process process;
    private static boolean ready;
    private static Path log;
    private static boolean hookAdded;

    private KeycloakServer() {
    }

    static synchronized void ensureStarted() {
        if (process != null && process.isAlive()) {
            if (!ready) {
                // an earlier caller gave up waiting; keep waiting for the same process
                awaitReady(ItConfig.keycloakManagementPort(), log);
            }
            return;
        }
        // A fresh database each test run (the first start in this JVM); the realm file applied to it.
        start(true, Path.of(ItConfig.require("medledger.it.realm")));
    }

    /**
     * Stops Keycloak and starts it again on the same database, then applies {@code realmFile} as bin/run
     * does at every start: created if missing, else updated in place (users kept).
     */
    static synchronized void restart(Path realmFile) {
        stop();
        start(false, realmFile);
    }

    /** Applies {@code realmFile} to the running Keycloak (bin/run's {@code medledger keycloak-realm}); returns its output. */
    static String applyRealm(Path realmFile) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int rc = realmCommand(realmFile, ItConfig.tlsCa(), new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
        if (rc != 0) {
            throw new IllegalStateException("medledger keycloak-realm failed (" + rc + "): " + err);
        }
        return out.toString();
    }

    /**
     * Runs {@code medledger keycloak-realm} against Keycloak's https address trusting exactly {@code caCert}
     * ({@code --ca-cert}, as bin/run gives it the installation's TLS authority); returns its exit code.
     */
    static int realmCommand(Path realmFile, Path caCert, java.io.PrintStream out, java.io.PrintStream err) {
        Map<String, String> env = Map.of(
                "MEDLEDGER_KEYCLOAK_ADMIN_PASSWORD", KeycloakAdmin.ADMIN_PASSWORD,
                "MEDLEDGER_PORTAL_URL", ItConfig.server(),
                "MEDLEDGER_OCSP_URL", "http://127.0.0.1:" + ItPki.ocspPort() + "/",
                "MEDLEDGER_PORTAL_CLIENT_SECRET", ItConfig.require("medledger.it.portal.secret"),
                "MEDLEDGER_SERVER_CLIENT_SECRET", ItConfig.require("medledger.it.server.secret"));
        return org.medledger.client.cli.MedLedgerCli.execute(new String[] {"keycloak-realm",
                "--keycloak", ItConfig.keycloak(), "--ca-cert", caCert.toString(), "--realm-file", realmFile.toString()},
                out, err, env::get);
    }

    private static void start(boolean freshDatabase, Path realmFile) {
        int httpsPort = ItConfig.keycloakHttpsPort();
        int management = ItConfig.keycloakManagementPort();
        requireFree(httpsPort);
        requireFree(management);
        if (freshDatabase) {
            requireFree(ItPki.ocspPort());
        }
        Path home = Path.of(ItConfig.require("medledger.it.keycloak.home"));
        try {
            if (!Files.isRegularFile(home.resolve("lib/quarkus/medledger-build.sha256"))) {
                throw new IllegalStateException("Keycloak at " + home + " is not built for production mode:"
                        + " run wildfly-config/keycloak/build-keycloak.sh (the build does it before the tests)");
            }
            String dbUrl = System.getProperty("medledger.it.keycloak.db.url");
            if (freshDatabase) {
                ItConfig.deleteTree(home.resolve("data"));
            }
            // TLS with optional client certificates from the test medical authority; CRL and OCSP as configured.
            ItPki.authority();
            log = ItConfig.output().resolve("keycloak.log");
            // Production mode, built once (keycloak.conf: database, health, client certificates requested).
            // HTTPS only (keycloak.conf: http-enabled=false): every client, the test server's OpenID Connect
            // client included, uses the https address; health on the loopback management port.
            List<String> command = new java.util.ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                    "--https-port=" + httpsPort,
                    "--https-certificate-file=" + ItPki.keycloakCertificate(),
                    "--https-certificate-key-file=" + ItPki.keycloakKey(),
                    "--https-trust-store-file=" + ItPki.trustStore(),
                    "--truststore-paths=" + ItPki.caPem(),
                    "--hostname=https://127.0.0.1:" + httpsPort,
                    "--http-management-port=" + management));
            if (dbUrl != null) {
                command.addAll(List.of("--db-url=" + dbUrl, "--db-username=keycloak"));
            }
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(freshDatabase ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()));
            // Keycloak's own secrets only: the first administrator and the trust store's password. The realm's
            // client secrets go to the realm command, not to Keycloak's environment.
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("MEDLEDGER_"));
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakAdmin.ADMIN_PASSWORD);
            env.put("KC_HTTPS_TRUST_STORE_PASSWORD", new String(ItPki.TRUST_STORE_PASSWORD));
            if (dbUrl != null) {
                // its database role's password, in the environment as bin/run gives it (never on the command line)
                env.put("KC_DB_PASSWORD", ItConfig.require("medledger.it.keycloak.db.password"));
            }
            env.put("JAVA_OPTS_APPEND", "-Xmx512m");
            process = pb.start();
            if (!hookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(KeycloakServer::stop, "keycloak-stop"));
                hookAdded = true;
            }
            awaitReady(management, log);
            applyRealm(realmFile);
            // The repository's realm has no users; the demo users come from the overlay bin/run applies.
            if (freshDatabase) {
                KeycloakAdmin.applyDemoOverlay();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Keycloak from " + home, e);
        }
    }

    private static void awaitReady(int management, Path log) {
        HttpClient http = HttpClient.newHttpClient();
        URI readiness = URI.create("http://127.0.0.1:" + management + "/health/ready");
        // The first start augments the distribution: about 90 s on two idle cores, much more under load.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(600));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited during start-up; see " + log);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    ready = true;
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(1000);
        }
        throw new IllegalStateException("Keycloak was not ready within 600 s; see " + log);
    }

    /**
     * Freezes ({@code SIGSTOP}) or thaws ({@code SIGCONT}) Keycloak's processes: while frozen, it
     * accepts connections and answers nothing, as an unreachable server would.
     */
    static synchronized void freeze(boolean frozen) {
        if (process == null) {
            throw new IllegalStateException("Keycloak is not running");
        }
        List<String> kill = new java.util.ArrayList<>(List.of("kill", frozen ? "-STOP" : "-CONT"));
        Stream.concat(Stream.of(process.toHandle()), process.descendants()).forEach(h -> kill.add(Long.toString(h.pid())));
        try {
            Process p = new ProcessBuilder(kill).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", kill) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal Keycloak", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The TCP ports Keycloak's processes listen on, read from {@code /proc} (the sockets among their open
     * files that {@code /proc/net/tcp} and {@code tcp6} list in state LISTEN), each with its local address as
     * the kernel shows it (hex): what a port scan of the machine would find open, whatever the configuration claims.
     */
    static synchronized Map<Integer, String> listeningPorts() throws IOException {
        if (process == null) {
            throw new IllegalStateException("Keycloak is not running");
        }
        java.util.Set<String> sockets = new java.util.HashSet<>();
        for (ProcessHandle h : Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList()) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(h.pid()), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            sockets.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException e) {
                // the process ended meanwhile (kc.sh's shell)
            }
        }
        Map<Integer, String> ports = new java.util.TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            List<String> lines = Files.readAllLines(t);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                if (f.length > 9 && "0A".equals(f[3]) && sockets.contains(f[9])) {
                    ports.put(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16), table + " " + f[1]);
                }
            }
        }
        return ports;
    }

    static synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        process = null;
        ready = false;
    }

    private static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is in use: stop whatever listens there before the tests");
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
