package org.medledger.ledger.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A private PostgreSQL cluster (the newest installed under /usr/lib/postgresql; 15 on Debian 12) for the test JVM: initdb + pg_ctl start in a directory under
 * target/, on a free port from 55432, as the {@code postgres} user when running as root.
 * Without the binaries the tests FAIL, unless {@code -Dmedledger.skipPostgres=true}.
 */
public final class PostgresCluster implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    public static final Path BIN = newestBin();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final int port;

    /** {@code /usr/lib/postgresql/<newest major>/bin} (falls back to 15's path, whose absence the tests report). */
    private static Path newestBin() {
        Path root = Path.of("/usr/lib/postgresql");
        try (java.util.stream.Stream<Path> versions = java.nio.file.Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+") && java.nio.file.Files.isExecutable(v.resolve("bin/initdb")))
                    .max(java.util.Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin")).orElse(root.resolve("15/bin"));
        } catch (java.io.IOException e) {
            return root.resolve("15/bin");
        }
    }

    private PostgresCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Fails (or aborts, when skipping is requested explicitly) if PostgreSQL is not installed. */
    public static void requireBinaries() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            Assumptions.assumeFalse(Boolean.getBoolean("medledger.skipPostgres"),
                    "PostgreSQL tests skipped on request (-Dmedledger.skipPostgres=true)");
            Assertions.fail("PostgreSQL binaries missing at " + BIN + ": apt-get install -y postgresql, or run with -Dmedledger.skipPostgres=true");
        }
    }

    public static PostgresCluster start() throws IOException, InterruptedException {
        requireBinaries();
        Path dir = Path.of("target").toAbsolutePath().resolve("pg-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Files.createDirectories(dir);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(false, "chown", "-R", "postgres:postgres", dir.toString());
        }
        int port = freePort();
        run(root, BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-E", "UTF8",
                "-A", "trust", "--no-sync");
        PostgresCluster c = new PostgresCluster(dir, port);
        c.pgStart();
        return c;
    }

    private void pgStart() throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        run(root, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w",
                "-t", "60", "start", "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir
                        + " -c max_connections=300");
    }

    /** The postmaster's process id (first line of {@code postmaster.pid}). */
    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
    }

    /**
     * Crashes the server: {@code kill -9} of the postmaster and of every backend it started, as a
     * power cut would stop them (no shutdown checkpoint); returns once all of them are gone.
     */
    public void crash() throws IOException, InterruptedException {
        ProcessHandle postmaster = ProcessHandle.of(postmasterPid()).orElseThrow(() -> new IOException("postmaster not running"));
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        postmaster.descendants().forEach(all::add);
        List<String> kill = new ArrayList<>(List.of("kill", "-9"));
        all.forEach(h -> kill.add(Long.toString(h.pid())));
        Process p = new ProcessBuilder(kill).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (ProcessHandle h : all) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (h.isAlive()) {
                throw new IOException("process " + h.pid() + " survived kill -9");
            }
        }
    }

    /** Starts the server again after {@link #crash()}: PostgreSQL replays its write-ahead log. */
    public void restart() throws IOException, InterruptedException {
        pgStart();
    }

    private static int freePort() throws IOException {
        for (int p = 55432; p < 55632; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException busy) {
                // try the next port
            }
        }
        throw new IOException("no free port for PostgreSQL");
    }

    private static void run(boolean asPostgres, String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + out);
        }
    }

    public int port() {
        return port;
    }

    /** A fresh, empty database; returns its JDBC URL. */
    public String createDatabase() {
        String name = "ledger_" + DATABASES.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database", e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?reWriteBatchedInserts=true";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            run(root, BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
