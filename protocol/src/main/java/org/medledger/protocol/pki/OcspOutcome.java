package org.medledger.protocol.pki;

import org.medledger.protocol.common.CertificateStatusSource.Status;

/**
 * Why an OCSP check ended as it did. Only {@link #GOOD} and {@link #REVOKED} are conclusive;
 * every other outcome maps to {@link Status#UNKNOWN} so that the verifier fails closed.
 */
public enum OcspOutcome {
    GOOD(Status.GOOD),
    REVOKED(Status.REVOKED),
    /** The responder itself says it does not know the certificate. */
    CERT_UNKNOWN_TO_RESPONDER(Status.UNKNOWN),
    /** Neither a configured URI nor an AIA id-ad-ocsp URI. */
    NO_RESPONDER_URI(Status.UNKNOWN),
    /** Connection refused, timeout, non-200 answer, wrong media type, oversized body. */
    RESPONDER_UNREACHABLE(Status.UNKNOWN),
    /** Not a DER OCSPResponse, or not a basic response. */
    MALFORMED_RESPONSE(Status.UNKNOWN),
    /** responseStatus other than successful: malformedRequest, internalError, tryLater, sigRequired, unauthorized. */
    RESPONDER_REFUSED(Status.UNKNOWN),
    /** Signed by neither the issuer nor a responder the issuer delegated (id-kp-OCSPSigning). */
    UNTRUSTED_SIGNER(Status.UNKNOWN),
    /** The signature does not verify under the signer's key. */
    BAD_SIGNATURE(Status.UNKNOWN),
    /** Our nonce is missing from the response or differs. */
    NONCE_MISMATCH(Status.UNKNOWN),
    /** No SingleResponse for our CertID (issuer name/key hash and serial). */
    NO_MATCHING_RESPONSE(Status.UNKNOWN),
    /** thisUpdate is in the future, or nextUpdate (or the maximum age) has passed. */
    NOT_FRESH(Status.UNKNOWN),
    /** The request could not be built or the check failed unexpectedly. */
    CHECK_FAILED(Status.UNKNOWN);

    private final Status status;

    OcspOutcome(Status status) {
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
