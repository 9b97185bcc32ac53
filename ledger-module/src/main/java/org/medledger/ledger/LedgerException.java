package org.medledger.ledger;

import java.util.Objects;

/** A ledger refusal with a stable {@link LedgerReason}. Messages never carry secrets. */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final LedgerReason reason;

    public LedgerException(LedgerReason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason is required") + ": " + detail);
        this.reason = reason;
    }

    public LedgerException(LedgerReason reason, String detail, Throwable cause) {
        this(reason, detail);
        initCause(cause);
    }

    public LedgerReason reason() {
        return reason;
    }
}
