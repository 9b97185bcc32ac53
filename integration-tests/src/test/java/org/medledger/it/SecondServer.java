package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A WildFly of a test's own beside the test server: unpacked from the distribution, prepared by
 * wildfly-config/prepare-server.sh exactly as the test server and bin/run are, with the built EAR,
 * on port offset {@link ItConfig#secondServerOffset()} and, in the PostgreSQL run, on a cluster of
 * its own ({@link ItConfig#secondServerPostgresPort()}). It shares the test run's Keycloak, medical
 * authority and credential store password (its environment is the test JVM's). HTTPS only, as every
 * MedLedger server: its TLS key is certified by the test installation's authority
 * (certify-test-server.sh) unless the test certifies it itself ({@link #prepareUncertified}).
 */
final class SecondServer implements AutoCloseable {

    static final boolean POSTGRESQL = "postgresql".equals(System.getProperty("medledger.it.database"));
    private static final String DB_PASSWORD = "second-server-database-password";

    private final Path home;
    private final Path pgDir;
    private final Path log;
    private final Map<String, String> bootEnv = new HashMap<>();
    private java.net.http.HttpClient http = Http.client();
    private Process process;

    private SecondServer(Path home, Path pgDir, Path log) {
        this.home = home;
        this.pgDir = pgDir;
        this.log = log;
        bootEnv.put("MEDLEDGER_HTTPS_PORT", Integer.toString(httpsPort()));
    }

    /**
     * Unpacks and prepares a fresh server under target/{@code name} (and its fresh cluster), its TLS
     * key certified by the test installation's authority, which this helper's client trusts.
     */
    static SecondServer prepare(String name) throws Exception {
        SecondServer server = prepareUncertified(name);
        run(Map.of("MEDLEDGER_CA_PASSWORD", ItConfig.require("medledger.it.secret.tls-authority.password")),
                ItConfig.output().resolve(name + "-certify.log"), "bash",
                root().resolve("integration-tests/certify-test-server.sh").toString(), ItConfig.require("medledger.it.cli.jar"),
                ItConfig.require("medledger.it.tls"), server.home.toString());
        return server;
    }

    /**
     * Unpacks and prepares a fresh server whose TLS key nobody certified yet: the test certifies its
     * request (medledger-tls.csr) and hands over a client trusting that authority ({@link #tls}).
     */
    static SecondServer prepareUncertified(String name) throws Exception {
        Path out = ItConfig.output();
        Path dir = out.resolve(name);
        ItConfig.deleteTree(dir);
        Files.createDirectories(dir);
        run(Map.of(), out.resolve(name + "-unzip.log"), "unzip", "-q", ItConfig.require("medledger.it.wildfly.zip"), "-d", dir.toString());
        Path home;
        try (Stream<Path> s = Files.list(dir)) {
            home = s.filter(p -> p.getFileName().toString().startsWith("wildfly-")).findFirst().orElseThrow();
        }
        Path pgDir = out.resolve(name + "-postgresql");
        Map<String, String> env = new HashMap<>(Map.of("MEDLEDGER_FRESH_DATA", "true"));
        if (POSTGRESQL) {
            ItConfig.deleteTree(pgDir);
            env.put("MEDLEDGER_DB", "postgresql");
            env.put("MEDLEDGER_PG_DRIVER_JAR", ItConfig.require("medledger.it.pg.driver"));
        }
        run(env, out.resolve(name + "-prepare.log"), "bash", root().resolve("wildfly-config/prepare-server.sh").toString(), home.toString());
        Files.copy(Path.of(ItConfig.require("medledger.it.ear")), home.resolve("standalone/deployments/medledger.ear"));
        return new SecondServer(home, pgDir, out.resolve(name + "-server.log"));
    }

    static Path root() {
        return Path.of(ItConfig.require("medledger.it.root"));
    }

    static void run(Map<String, String> env, Path log, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(log));
    }

    /** This helper talks to the server with {@code http}, a client trusting the authority that certified it. */
    SecondServer tls(java.net.http.HttpClient http) {
        this.http = http;
        return this;
    }

    Path home() {
        return home;
    }

    int httpPort() {
        return 8080 + ItConfig.secondServerOffset();
    }

    int httpsPort() {
        return 8443 + ItConfig.secondServerOffset();
    }

    String api() {
        return "https://127.0.0.1:" + httpsPort() + "/api";
    }

    /** An HTTP client for this server's API, trusting the authority that certified it. */
    java.net.http.HttpClient client() {
        return http;
    }

    /** A GET of {@code path} under {@link #api()}, with {@code token} when not null. */
    HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    /** The ledger's size (0 while it is empty: the tree head is a 404 EMPTY_LEDGER then). */
    long treeSize() {
        HttpResponse<String> r = get("/ledger/tree-head", null);
        if (r.statusCode() == 404 && r.body().contains("EMPTY_LEDGER")) {
            return 0;
        }
        org.junit.jupiter.api.Assertions.assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getJsonNumber("treeSize").longValue();
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Path serverLog() {
        return home.resolve("standalone/log/server.log");
    }

    /** Starts the server (and its cluster) and waits until the API answers. */
    void start() throws Exception {
        if (POSTGRESQL) {
            run(Map.of("MEDLEDGER_DB_PASSWORD", DB_PASSWORD), log.resolveSibling(log.getFileName() + ".pg"), "bash",
                    root().resolve("wildfly-config/postgresql.sh").toString(), "start", pgDir.toString(),
                    Integer.toString(ItConfig.secondServerPostgresPort()));
        }
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(), "-c", "standalone-medledger.xml",
                "--stability=community", "-Djboss.socket.binding.port-offset=" + ItConfig.secondServerOffset(),
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("JAVA_OPTS", "-Xmx512m -Djava.net.preferIPv4Stack=true");
        pb.environment().putAll(bootEnv);
        if (POSTGRESQL) {
            pb.environment().put("MEDLEDGER_DB_URL", "jdbc:postgresql://127.0.0.1:" + ItConfig.secondServerPostgresPort() + "/medledger");
            pb.environment().put("MEDLEDGER_DB_PASSWORD", DB_PASSWORD);
        }
        process = pb.start();
        Path failed = home.resolve("standalone/deployments/medledger.ear.failed");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            assertTrue(!Files.exists(failed), "the deployment failed; see " + serverLog());
            assertTrue(process.isAlive(), "the server exited; see " + log);
            assertTrue(Instant.now().isBefore(deadline), "the server did not deploy within 5 minutes; see " + serverLog());
            try {
                // deployed: the ledger answers with its tree head (or, before the first block, EMPTY_LEDGER)
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api() + "/ledger/tree-head")).GET());
                if (r.statusCode() == 200 || (r.statusCode() == 404 && r.body().contains("EMPTY_LEDGER"))) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
    }

    /** The server JVM itself (standalone.sh's java child). */
    private ProcessHandle jvm() {
        return process.descendants().filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no server JVM under " + process.pid()));
    }

    /** SIGKILL to the server JVM: no shutdown hook, no undeploy, no drain. */
    void kill9() throws Exception {
        ProcessHandle jvm = jvm();
        assertTrue(jvm.destroyForcibly(), "SIGKILL not sent");
        jvm.onExit().get(60, TimeUnit.SECONDS);
        process.waitFor(60, TimeUnit.SECONDS);
        process = null;
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
            tree.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
            process = null;
        }
        if (POSTGRESQL) {
            try {
                run(Map.of(), log.resolveSibling(log.getFileName() + ".pg-stop"), "bash",
                        root().resolve("wildfly-config/postgresql.sh").toString(), "stop", pgDir.toString());
            } catch (Exception | AssertionError e) {
                // reported by the assertion that failed first
            }
        }
    }
}
