package org.medledger.client.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
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
