package org.medledger.protocol.common;

import java.security.cert.X509Certificate;

/**
 * Revocation status of a certificate (CRL, OCSP, or the server's own database). Any
 * exception or {@link Status#UNKNOWN} makes the verifier fail closed with
 * {@link Reason#CERT_STATUS_UNKNOWN}.
 */
@FunctionalInterface
public interface CertificateStatusSource {

    enum Status { GOOD, REVOKED, UNKNOWN }

    Status status(X509Certificate certificate, X509Certificate issuer);
}
