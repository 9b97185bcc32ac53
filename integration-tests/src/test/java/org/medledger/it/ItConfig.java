package org.medledger.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.medledger.client.InstallationTrust;

/**
 * Where the test servers are, as handed over by the failsafe configuration. The test server serves
 * HTTPS only, with a certificate from the test installation's TLS authority (certify-test-server.sh);
 * this JVM trusts exactly that authority as its default TLS trust, as the command-line client does
 * with {@code MEDLEDGER_CA_CERT} (the embedded CLI and every client built without a context of its
 * own use it).
 */
final class ItConfig {

    static {
        try {
            SSLContext.setDefault(InstallationTrust.context(tlsCa()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the test installation's TLS authority", e);
        }
    }

    private ItConfig() {
    }

    static String require(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests through Maven");
        }
        return v;
    }

    static int httpPort() {
        return Integer.parseInt(require("medledger.it.http.port"));
    }

    static int httpsPort() {
        return Integer.parseInt(require("medledger.it.https.port"));
    }

    /** The test server's own address (HTTPS; plain HTTP on {@link #httpPort()} only redirects there). */
    static String server() {
        return "https://127.0.0.1:" + httpsPort();
    }

    static String api() {
        return server() + "/api";
    }

    static String portal() {
        return server() + "/portal/";
    }

    /** The test installation's TLS authority's certificate: the one trust anchor of the tests' TLS clients. */
    static Path tlsCa() {
        return Path.of(require("medledger.it.tls"), "tls-authority.pem");
    }

    /** A home directory whose NSS database (.pki/nssdb) trusts that authority, for Chromium. */
    static Path chromiumHome() {
        return Path.of(require("medledger.it.tls"), "chromium-home");
    }

    /** The test server's management interface (health, metrics; its port follows the IT slot). */
    static String management() {
        return "http://127.0.0.1:" + require("medledger.it.management.port");
    }

    /**
     * The port offset of a second WildFly that a test starts beside the test server (BackupRestoreIT's
     * restored server, CrashRecoveryIT): the slot's offset plus 370, i.e. 470 in slot 1 and 570 in slot 2, colliding
     * with neither slot's test server (offsets 100 and 200) nor with the other slot's second server.
     */
    static int secondServerOffset() {
        return Integer.parseInt(require("medledger.it.port.offset")) + 370;
    }

    /** The PostgreSQL port of a second server's own cluster: 18433 in slot 1, 18533 in slot 2. */
    static int secondServerPostgresPort() {
        return 18333 + Integer.parseInt(require("medledger.it.port.offset"));
    }

    static int keycloakHttpsPort() {
        return Integer.parseInt(require("medledger.it.keycloak.https.port"));
    }

    /** Keycloak's one address: HTTPS (it has no plain-HTTP listener), certified by the test installation's TLS authority. */
    static String keycloakHttps() {
        return "https://127.0.0.1:" + keycloakHttpsPort();
    }

    /** The address every client of Keycloak uses (browsers, devices, the test server, the tools): {@link #keycloakHttps()}. */
    static String keycloak() {
        return keycloakHttps();
    }

    /** Keycloak's management interface (health only; plain HTTP on loopback). */
    static int keycloakManagementPort() {
        return Integer.parseInt(require("medledger.it.keycloak.management.port"));
    }

    /**
     * The consortium test nodes (ConsortiumServedIT): node {@code i} at port offset 300 + 10·i (HTTP
     * 8380, 8390, 8400), clear of slot 1 (offset 100), slot 2 (200), the ops tests (470) and bin/run.
     */
    static int consortiumPortOffset(int node) {
        return 300 + 10 * node;
    }

    /** The consortium test node {@code i}'s Raft (gRPC) port. */
    static int consortiumRaftPort(int node) {
        return 18771 + node;
    }

    /** The lock of the IT slot this run does not hold (a multi-node test holds both). */
    static Path otherSlotLock() {
        return Path.of(require("medledger.it.port.offset").equals("200") ? "/tmp/medledger-servers.lock" : "/tmp/medledger-servers-2.lock");
    }

    static Path output() {
        return Path.of(require("medledger.it.output"));
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
