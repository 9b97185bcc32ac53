package org.medledger.protocol.common;

/**
 * Why a protocol step refused to go on. Every check of the schemes maps to one reason;
 * the code is stable and is what clients see in problem responses.
 */
public enum Reason {
    /** A field is missing, has the wrong length, an unknown name, or trailing bytes. */
    MALFORMED_MESSAGE,
    /** A received point is not on the curve, is the identity, or is badly encoded. */
    BAD_POINT,
    /** A received scalar is outside [1, n-1] or badly encoded. */
    BAD_SCALAR,
    /** A timestamp lies outside the acceptance window. */
    STALE_TIMESTAMP,
    /** A message was seen before within the acceptance window. */
    REPLAY,
    /** A signature does not verify under the expected key. */
    BAD_SIGNATURE,
    /** Authenticated decryption failed (tampered ciphertext, tag or associated data). */
    DECRYPTION_FAILED,
    /** A key-confirmation value (CHK, MAC, M_ap, session-key echo) does not match. */
    KEY_CONFIRMATION_FAILED,
    /** A KGC-issued partial key does not satisfy S·P = R + h·PK. */
    BAD_PARTIAL_KEY,
    /** A certificate is not a valid medical-authority certificate for this use. */
    CERT_INVALID,
    /** A certificate has been revoked. */
    CERT_REVOKED,
    /** Revocation status could not be determined; we fail closed. */
    CERT_STATUS_UNKNOWN,
    /** A certificate belongs to a different identity than the one claimed. */
    CERT_IDENTITY_MISMATCH,
    /** The party or identity is not registered. */
    UNKNOWN_PARTY,
    /** The party is registered but not authorized (no consent, no authorization letter). */
    NOT_AUTHORIZED,
    /** A smartcard password check failed. */
    WRONG_PASSWORD,
    /** The smartcard is locked after repeated failures. */
    CARD_LOCKED,
    /** A parameter (group, curve, policy, attribute set) is invalid. */
    BAD_PARAMETER,
    /** An access policy could not be parsed or is not satisfiable by the given key. */
    POLICY_NOT_SATISFIED,
    /** An unexpected internal state; never carries secret material. */
    INTERNAL
}
