package org.medledger.client;

/**
 * A device-side check of what a server showed failed: a proof, a signature, an entry or a pinned trust anchor does not
 * check, so the server is not to be believed. Raised by every audit the device runs itself (EMR-AUTH accesses,
 * CLOUD-CHAIN access logs, GROUP-AGG circle entries).
 */
public final class AuditFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public AuditFailure(String message) {
        super(message);
    }
}
