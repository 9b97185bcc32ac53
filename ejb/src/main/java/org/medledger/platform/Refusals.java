package org.medledger.platform;

import org.medledger.protocol.common.ProtocolException;

/**
 * Protocol refusals as {@link DomainException}s, in one place for every scheme: the protocol's
 * reason is the stable problem code; the kind decides the HTTP status.
 */
public final class Refusals {

    private Refusals() {
    }

    public static DomainException of(ProtocolException e) {
        DomainException.Kind kind = switch (e.reason()) {
            case CERT_STATUS_UNKNOWN -> DomainException.Kind.UNAVAILABLE;
            case REPLAY -> DomainException.Kind.CONFLICT;
            case UNKNOWN_PARTY -> DomainException.Kind.NOT_FOUND;
            case CERT_INVALID, CERT_REVOKED, CERT_IDENTITY_MISMATCH, NOT_AUTHORIZED, POLICY_NOT_SATISFIED,
                 BAD_SIGNATURE, KEY_CONFIRMATION_FAILED, BAD_PARTIAL_KEY -> DomainException.Kind.FORBIDDEN;
            default -> DomainException.Kind.INVALID;
        };
        return new DomainException(kind, e.reason().name(), e.detail());
    }
}
