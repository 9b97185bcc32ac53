package org.medledger.protocol.common;

/**
 * Decides whether a presented certificate ({@code Cert_D}, {@code Cert_HPA}, {@code Cert_j})
 * is "legal" for the claimed identity (PROTOCOLS.md §0). The server plugs in its trust
 * store and revocation sources; {@link PkixCertificateVerifier} is the PKIX implementation.
 */
@FunctionalInterface
public interface CertificateVerifier {

    /**
     * @param certificateDer the DER certificate exactly as carried in the message
     * @param claimedIdentity the identity the presenter claims ({@code ID_D}, ...)
     * @throws ProtocolException {@link Reason#CERT_INVALID}, {@link Reason#CERT_REVOKED},
     *         {@link Reason#CERT_STATUS_UNKNOWN} or {@link Reason#CERT_IDENTITY_MISMATCH}
     */
    void requireLegal(byte[] certificateDer, String claimedIdentity) throws ProtocolException;
}
