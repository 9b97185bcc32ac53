package org.medledger.consortium;

/** A typed refusal at the consortium boundary; the message never carries key material. */
public class ConsortiumException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ConsortiumReason reason;

    public ConsortiumException(ConsortiumReason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public ConsortiumException(ConsortiumReason reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = reason;
    }

    public ConsortiumReason reason() {
        return reason;
    }
}
