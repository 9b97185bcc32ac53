package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.medledger.client.pki.AuthorityFiles;
import org.medledger.client.pki.AuthoritySettings;
import org.medledger.client.pki.MedicalAuthority;

/**
 * HTTPS as a hospital deploys it, on a server of the test's own prepared by the same
 * prepare-server.sh (configure-tls.cli): the server generated its TLS key in its own key store and
 * left a certification request; the installation's authority certifies it (as bin/run does with
 * {@code medledger ca server-cert --csr}) and install-tls-certificate.sh imports the chain. Then:
 * the API and the portal answer over HTTPS to a client that trusts only that authority, with HSTS;
 * the certificate carries the key the server generated; a client that does not trust the authority
 * cannot connect (nothing trusts all); plain HTTP is redirected to HTTPS and serves nothing.
 */
class TlsIT extends DeployedServer {


    /** A TLS client whose only trust anchor is {@code ca}. */
    static HttpClient trusting(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("installation-authority", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** SHA-256 of each file (or "absent"), to show a refused step changed none of them. */
    static List<String> digests(List<Path> files) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (Path f : files) {
            out.add(f + "=" + (Files.exists(f) ? java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))) : "absent"));
        }
        return out;
    }

    @Test
    void portalAndApiOverHttpsWithTheInstallationsCertificateHstsAndNoPlainHttp() throws Exception {
        Path out = ItConfig.output();
        // the installation's authority, which also certified Keycloak (the OIDC client trusts it alone)
        MedicalAuthority authority = ItPki.tlsAuthority();
        HttpClient client = trusting(authority.certificate());

        try (SecondServer server = SecondServer.prepareUncertified("servers-tls")) {
            Path csr = server.home().resolve("standalone/configuration/medledger-tls.csr");
            assertTrue(Files.exists(csr), "prepare-server.sh left no certification request");
            PublicKey serverKey = MedicalAuthority.publicKeyFromCertificationRequest(csr);
            Path script = SecondServer.root().resolve("wildfly-config/install-tls-certificate.sh");

            // a certificate that expired (or is not valid yet) is refused and nothing is changed: installed,
            // it would only break HTTPS for every browser and node
            Path config = server.home().resolve("standalone/configuration");
            List<Path> touched = List.of(config.resolve("standalone-medledger.xml"), config.resolve("medledger-tls.p12"),
                    config.resolve("medledger-tls-trust.p12"), config.resolve("medledger-oidc-trust.p12"));
            List<String> before = digests(touched);
            Path pastDir = out.resolve("it-past-tls-authority");
            ItConfig.deleteTree(pastDir);
            Clock past = Clock.offset(Clock.systemUTC(), Duration.ofDays(-40));
            MedicalAuthority expired = MedicalAuthority.create(pastDir, AuthoritySettings.defaults().withSubject(
                    "CN=Past TLS Authority", "Then"), "it-past-tls-authority".toCharArray(), past, new SecureRandom());
            MedicalAuthority notYetValid = MedicalAuthority.open(pastDir, "it-past-tls-authority".toCharArray(),
                    Clock.offset(Clock.systemUTC(), Duration.ofDays(2)), new SecureRandom());
            for (MedicalAuthority issuer : List.of(expired, notYetValid)) {
                Path invalid = out.resolve("servers-tls-invalid-chain.pem");
                AuthorityFiles.writeCertificatePem(invalid, issuer.issueServerCertificate(List.of("127.0.0.1"), serverKey,
                        Duration.ofDays(30)), issuer.certificate());
                Process p = new ProcessBuilder("bash", script.toString(), server.home().toString(), invalid.toString())
                        .redirectErrorStream(true).start();
                String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(4, p.waitFor(), said);
                assertTrue(said.contains("not valid now") && said.contains("nothing was installed"), said);
                assertEquals(before, digests(touched), "a refused chain changed the server's configuration");
            }

            X509Certificate leaf = authority.issueServerCertificate(List.of("127.0.0.1", "localhost"), serverKey, Duration.ofDays(30));
            Path chain = out.resolve("servers-tls-chain.pem");
            AuthorityFiles.writeCertificatePem(chain, leaf, authority.certificate());
            SecondServer.run(Map.of(), out.resolve("servers-tls-install.log"), "bash", script.toString(),
                    server.home().toString(), chain.toString());

            server.tls(client).start();
            String https = "https://127.0.0.1:" + server.httpsPort();

            HttpResponse<String> health = server.send(HttpRequest.newBuilder(URI.create(https + "/api/health")).GET());
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("max-age=31536000", health.headers().firstValue("Strict-Transport-Security").orElse(null));
            // the server presents the certificate the authority issued for the key the server generated
            Certificate[] presented = health.sslSession().orElseThrow().getPeerCertificates();
            assertEquals(leaf, presented[0]);
            assertArrayEquals(serverKey.getEncoded(), presented[0].getPublicKey().getEncoded());

            HttpResponse<String> portal = server.send(HttpRequest.newBuilder(URI.create(https + "/portal/")).GET());
            assertTrue(portal.statusCode() < 400, portal.statusCode() + " " + portal.body());
            assertEquals("max-age=31536000", portal.headers().firstValue("Strict-Transport-Security").orElse(null));

            // a client that trusts another authority, not the installation's, gets no connection
            Path otherDir = out.resolve("it-other-tls-authority");
            ItConfig.deleteTree(otherDir);
            MedicalAuthority other = MedicalAuthority.create(otherDir, AuthoritySettings.defaults().withSubject(
                    "CN=Another TLS Authority", "Elsewhere"), "it-other-tls-authority".toCharArray(), Clock.systemUTC(), new SecureRandom());
            HttpClient foreign = trusting(other.certificate());
            IOException refused = assertThrows(IOException.class, () -> foreign.send(
                    HttpRequest.newBuilder(URI.create(https + "/api/health")).build(), HttpResponse.BodyHandlers.ofString()));
            assertTrue(refused instanceof SSLHandshakeException || refused.getCause() instanceof SSLHandshakeException
                    || String.valueOf(refused.getMessage()).contains("PKIX"), refused.toString());

            // plain HTTP: redirected to the same URL over HTTPS, nothing served
            String http = "http://127.0.0.1:" + server.httpPort();
            for (String path : List.of("/portal/", "/api/health", "/api/ledger/tree-head?x=1")) {
                HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create(http + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(302, plain.statusCode(), path);
                assertEquals(https + path, plain.headers().firstValue("Location").orElse(null));
                assertEquals("", plain.body(), path);
            }
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(http + "/api/kgc/registrations/patients"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(302, post.statusCode(), "a request over plain HTTP reaches no resource");
        }
    }
}
