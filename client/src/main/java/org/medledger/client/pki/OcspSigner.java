package org.medledger.client.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;

/**
 * The key that signs OCSP responses and the certificate that speaks for it: the CA itself,
 * or a responder the CA delegated to with id-kp-OCSPSigning (RFC 6960 §4.2.2.2), in which
 * case the responder certificate travels in the response. Prints no key material.
 */
public final class OcspSigner {

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final boolean delegated;

    private OcspSigner(PrivateKey key, X509Certificate certificate, boolean delegated) {
        this.key = Objects.requireNonNull(key, "Signing key is required.");
        this.certificate = Objects.requireNonNull(certificate, "Signer certificate is required.");
        this.delegated = delegated;
    }

    /** Responses signed directly by the issuing CA. */
    public static OcspSigner issuer(PrivateKey caKey, X509Certificate caCertificate) {
        return new OcspSigner(caKey, caCertificate, false);
    }

    /** Responses signed by a delegated responder; its certificate is included in each response. */
    public static OcspSigner delegated(PrivateKey responderKey, X509Certificate responderCertificate) {
        return new OcspSigner(responderKey, responderCertificate, true);
    }

    /** Loads a delegated responder from the PKCS#12 written by {@link #writePkcs12}. */
    public static OcspSigner loadDelegated(Path file, char[] password) throws IOException {
        KeyStore ks = AuthorityFiles.readKeyStore(file, password);
        try {
            for (String alias : Collections.list(ks.aliases())) {
                Key k = ks.getKey(alias, password);
                if (k instanceof PrivateKey && ks.getCertificate(alias) instanceof X509Certificate) {
                    return delegated((PrivateKey) k, (X509Certificate) ks.getCertificate(alias));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the responder key cannot be read", e);
        }
        throw new IOException("no responder key in " + file.getFileName());
    }

    /** Key and certificate as PKCS#12 (mode 600), alias {@code ocsp-responder}. */
    public void writePkcs12(Path file, char[] password) throws IOException {
        AuthorityFiles.writeKeyStore(file, "ocsp-responder", key, new X509Certificate[] {certificate}, password);
    }

    PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public boolean isDelegated() {
        return delegated;
    }

    @Override
    public String toString() {
        return "OcspSigner[" + certificate.getSubjectX500Principal().getName() + (delegated ? ", delegated]" : "]");
    }
}
