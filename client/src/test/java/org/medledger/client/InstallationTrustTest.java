package org.medledger.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.pki.AuthoritySettings;
import org.medledger.client.pki.IssuedCredentials;
import org.medledger.client.pki.MedicalAuthority;

/** Real TLS handshakes against a local server whose certificate comes from one authority or another. */
class InstallationTrustTest {

    @TempDir
    Path tmp;

    private MedicalAuthority authority(String name) throws Exception {
        return MedicalAuthority.create(tmp.resolve(name), AuthoritySettings.defaults().withSubject("CN=" + name, "MedLedger"),
                "pw".toCharArray(), Clock.systemUTC(), new SecureRandom());
    }

    /** Handshakes with a one-shot TLS server presenting {@code server}; returns the bytes read back. */
    private static int handshake(IssuedCredentials server, SSLContext client) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", server.privateKey(), "k".toCharArray(), server.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "k".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, new SecureRandom());
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // the client refused the handshake
                }
            });
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                s.startHandshake();
                return s.getInputStream().read();
            } finally {
                accepted.get();
            }
        }
    }

    @Test
    void trustsTheInstallationsAuthorityAndNoOther() throws Exception {
        MedicalAuthority ours = authority("ours");
        MedicalAuthority other = authority("other");
        Path pem = tmp.resolve("ca.pem");
        ours.exportCaPem(pem);
        SSLContext client = InstallationTrust.context(pem);
        assertEquals(42, handshake(ours.issueServerCredentials(List.of("127.0.0.1"), Duration.ofDays(1)), client));
        assertThrows(SSLHandshakeException.class,
                () -> handshake(other.issueServerCredentials(List.of("127.0.0.1"), Duration.ofDays(1)), client));
    }

    @Test
    void aFileWithoutACertificateIsRefused() throws Exception {
        Path empty = Files.writeString(tmp.resolve("empty.pem"), "");
        assertThrows(IOException.class, () -> InstallationTrust.context(empty));
        assertThrows(IOException.class, () -> InstallationTrust.context(tmp.resolve("missing.pem")));
    }
}
