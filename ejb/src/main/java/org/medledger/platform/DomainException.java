package org.medledger.platform;

import jakarta.ejb.ApplicationException;

import java.util.Objects;

/**
 * A request the server refuses, with a stable reason code and a secret-free detail.
 * Rolls the transaction back, so a refused request changes nothing. The web layer maps
 * {@link Kind} to an HTTP status and renders an RFC 9457 problem.
 */
@ApplicationException(rollback = true)
public class DomainException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal this is; decides the HTTP status. */
    public enum Kind {
        INVALID, FORBIDDEN, NOT_FOUND, CONFLICT, UNAVAILABLE;

        /** The kind of a refusal another node answered with {@code status} (any other status: unavailable). */
        public static Kind ofStatus(int status) {
            return switch (status) {
                case 400 -> INVALID;
                case 403 -> FORBIDDEN;
                case 404 -> NOT_FOUND;
                case 409 -> CONFLICT;
                default -> UNAVAILABLE;
            };
        }
    }

    private final Kind kind;
    private final String code;

    public DomainException(Kind kind, String code, String detail) {
        super(Objects.requireNonNull(detail, "Detail is required."));
        this.kind = Objects.requireNonNull(kind, "Kind is required.");
        this.code = Objects.requireNonNull(code, "Code is required.");
    }

    public DomainException(Kind kind, String code, String detail, Throwable cause) {
        this(kind, code, detail);
        initCause(cause);
    }

    public Kind kind() {
        return kind;
    }

    /** Stable reason code, e.g. {@code INVALID_PATIENT_ID} or a protocol reason. */
    public String code() {
        return code;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // Refusals are expected outcomes, not faults: no stack trace to leak or to log.
        return this;
    }
}
