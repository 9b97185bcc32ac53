package org.medledger.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust in the installation's own authority: the servers of a MedLedger installation (WildFly,
 * Keycloak) present certificates from the installation's TLS authority, not from a public CA. The
 * command-line client trusts exactly the certificates of the PEM file named by
 * {@code MEDLEDGER_CA_CERT} (e.g. bin/run's {@code .medledger/pki/tls-authority.pem}); without it, the
 * JDK's default trust. Nothing here trusts all.
 */
public final class InstallationTrust {

    /** The environment variable naming the authority's certificate (PEM). */
    public static final String CA_CERT_ENV = "MEDLEDGER_CA_CERT";

    private InstallationTrust() {
    }

    /** A TLS context whose only trust anchors are the certificates in {@code pem}. */
    public static SSLContext context(Path pem) throws IOException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException("no certificate in " + pem);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("installation-authority-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the installation's authority from " + pem + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the authority of {@code MEDLEDGER_CA_CERT} (if set) the process's default TLS trust, which
     * every HTTP client of the command line uses.
     */
    public static void installFromEnvironment(String pemPath) throws IOException {
        if (pemPath != null && !pemPath.isBlank()) {
            SSLContext.setDefault(context(Path.of(pemPath)));
        }
    }
}
