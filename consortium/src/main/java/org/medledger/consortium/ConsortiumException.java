package org.medledger.consortium;

/** A typed refusal at the consortium boundary; the message never carries key material. */
public class ConsortiumException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ConsortiumReason reason;
    private final String detail;

    public ConsortiumException(ConsortiumReason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
        this.detail = detail;
    }

    public ConsortiumException(ConsortiumReason reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = reason;
        this.detail = detail;
    }

    /** The message without the reason code. */
    public String detail() {
        return detail;
    }

    public ConsortiumReason reason() {
        return reason;
    }
}
