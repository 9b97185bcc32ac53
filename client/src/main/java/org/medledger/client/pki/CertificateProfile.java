package org.medledger.client.pki;

/** What an issued certificate is for. */
public enum CertificateProfile {
    /** {@code Cert_D}: digitalSignature, clientAuth, subject {@code CN=<doctor id>,OU=doctor}. */
    DOCTOR,
    /** A TLS server certificate (Keycloak's https listener). */
    SERVER,
    /** A responder the authority delegated OCSP signing to (id-kp-OCSPSigning). */
    OCSP_RESPONDER
}
