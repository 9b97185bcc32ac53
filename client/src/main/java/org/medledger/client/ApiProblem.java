package org.medledger.client;

/** The server refused a request: HTTP status plus the problem's reason code and detail. */
public final class ApiProblem extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public ApiProblem(int status, String code, String detail) {
        super(status + " " + code + ": " + detail);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
