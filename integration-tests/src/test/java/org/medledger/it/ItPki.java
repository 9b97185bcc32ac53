package org.medledger.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.medledger.client.pki.AuthoritySettings;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.client.pki.MedicalAuthority;
import org.medledger.client.pki.OcspResponder;
import org.medledger.client.pki.OcspSigner;

/**
 * The medical authority of the test run, made with the project's own tooling: CA, CRL, OCSP
 * responder (in this JVM), and Keycloak's TLS credentials (from the test installation's TLS authority). Paths are fixed by the failsafe
 * configuration so WildFly (which reads them from its environment) and Keycloak agree.
 */
final class ItPki {

    static final char[] PASSWORD = "it-medical-authority".toCharArray();
    static final char[] TRUST_STORE_PASSWORD = "it-trust-store".toCharArray();

    private static MedicalAuthority authority;
    private static MedicalAuthority tlsAuthority;
    private static OcspResponder responder;
    private static OcspSigner ocspSigner;

    private ItPki() {
    }

    static Path dir() {
        return Path.of(ItConfig.require("medledger.it.pki"));
    }

    static Path caPem() {
        return Path.of(ItConfig.require("medledger.it.ma.ca"));
    }

    static Path crl() {
        return Path.of(ItConfig.require("medledger.it.ma.crl"));
    }

    static int ocspPort() {
        return Integer.parseInt(ItConfig.require("medledger.it.ocsp.port"));
    }

    static Path keycloakCertificate() {
        return dir().resolve("keycloak-tls.pem");
    }

    static Path keycloakKey() {
        return dir().resolve("keycloak-tls.key");
    }

    static Path trustStore() {
        return dir().resolve("truststore.p12");
    }

    /** Creates the authority (fresh for every test JVM) and starts its OCSP responder. */
    static synchronized MedicalAuthority authority() {
        if (authority != null) {
            return authority;
        }
        try {
            ItConfig.deleteTree(dir());
            Files.createDirectories(dir());
            AuthoritySettings settings = AuthoritySettings.defaults()
                    .withOcspUrl(java.net.URI.create("http://127.0.0.1:" + ocspPort() + "/"));
            authority = MedicalAuthority.create(dir().resolve("authority"), settings, PASSWORD.clone(),
                    Clock.systemUTC(), new SecureRandom());
            authority.exportCaPem(caPem());
            authority.exportTrustStore(trustStore(), TRUST_STORE_PASSWORD.clone());
            // Keycloak's TLS certificate comes from the test installation's TLS authority, which certified the
            // test server's (certify-test-server.sh): doctors' CA issues doctors only.
            tlsAuthority = MedicalAuthority.open(Path.of(ItConfig.require("medledger.it.tls"), "authority"),
                    ItConfig.require("medledger.it.secret.tls-authority.password").toCharArray(), Clock.systemUTC(), new SecureRandom());
            IssuedCredentials tls = tlsAuthority.issueServerCredentials(List.of("127.0.0.1", "localhost"), Duration.ofDays(2));
            tls.writePem(keycloakCertificate(), keycloakKey());
            publishCrl();
            startResponder();
            Runtime.getRuntime().addShutdownHook(new Thread(ItPki::stopResponder, "ocsp-stop"));
            return authority;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the test medical authority", e);
        }
    }

    /** The authority of Keycloak's TLS certificate (what clients of Keycloak's https front trust). */
    static synchronized MedicalAuthority tlsAuthority() {
        authority();
        return tlsAuthority;
    }

    /** Publishes the CRL where WildFly reads it and where Keycloak's realm points (conf/). */
    static synchronized void publishCrl() throws IOException {
        authority.publishCrl(Duration.ofDays(1), crl());
        Path conf = Path.of(ItConfig.require("medledger.it.keycloak.home"), "conf", "medledger-ma.crl");
        Files.copy(crl(), conf, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The responder signs with a delegated key (id-kp-OCSPSigning), never with the CA key. */
    static synchronized void startResponder() throws IOException {
        if (responder == null) {
            if (ocspSigner == null) {
                ocspSigner = authority.issueOcspResponder(Duration.ofDays(2));
            }
            responder = OcspResponder.start(authority.index(), ocspSigner, new InetSocketAddress("127.0.0.1", ocspPort()),
                    Clock.systemUTC(), Duration.ofMinutes(10));
            awaitListening(ocspPort());
        }
    }

    /** A restarted responder must accept connections before the next login asks it (at most 10 s). */
    private static void awaitListening(int port) throws IOException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw new IOException("the OCSP responder does not accept connections on port " + port, e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
    }

    static synchronized void stopResponder() {
        if (responder != null) {
            responder.close();
            responder = null;
        }
    }
}
