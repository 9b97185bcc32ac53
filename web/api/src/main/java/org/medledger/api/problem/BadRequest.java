package org.medledger.api.problem;

/** Thrown by request parsing; becomes a 400 problem with its code. */
public final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public BadRequest(String code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
