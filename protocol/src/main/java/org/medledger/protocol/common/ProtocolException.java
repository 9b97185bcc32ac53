package org.medledger.protocol.common;

import java.util.Objects;

/**
 * A protocol check failed. Carries a {@link Reason} and a short, secret-free detail.
 * Checked on purpose: every caller must decide what a refusal means at its boundary.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public ProtocolException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason is required") + ": " + Objects.requireNonNull(detail, "detail is required"));
        this.reason = reason;
    }

    public ProtocolException(Reason reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The detail without the reason prefix. */
    public String detail() {
        String m = getMessage();
        return m.substring(m.indexOf(": ") + 2);
    }
}
