package org.medledger.platform;

import jakarta.ejb.ApplicationException;

import java.sql.SQLException;
import java.util.Objects;

/**
 * A check that needs the database could not be made (pool timeout, connection lost, a failed
 * commit): the request is refused as unavailable ({@code 503}, with the reason code), never
 * answered as if the check had decided. Unchecked, so that it leaves the protocol core's
 * {@link org.medledger.protocol.common.ReplayGuard} calls, which answer only yes or no; it
 * passes bean boundaries as itself and rolls their transaction back.
 */
@ApplicationException(rollback = true)
public class DatabaseUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public DatabaseUnavailable(String code, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "Detail is required."), cause);
        this.code = Objects.requireNonNull(code, "Code is required.");
    }

    /** Stable reason code, e.g. {@code REPLAY_GUARD_UNAVAILABLE}. */
    public String code() {
        return code;
    }

    /** The refusal as the web layer renders it. */
    public DomainException toDomain() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, code, getMessage());
    }

    /**
     * Whether {@code failure} is a unique-key violation (SQLSTATE class 23, integrity constraint,
     * as H2 and PostgreSQL report a duplicate key), found anywhere in its causes: the one database
     * failure that is an answer (the row is already there), not an outage.
     */
    public static boolean isDuplicateKey(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException e = s; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                        return true;
                    }
                }
            }
            if (t.getClass().getName().equals("org.hibernate.exception.ConstraintViolationException")) {
                return true;
            }
        }
        return false;
    }

    /** The replay guard's answer to a database failure: unavailable, fail closed (the message is not accepted). */
    public static DatabaseUnavailable replayGuard(Throwable cause) {
        return new DatabaseUnavailable("REPLAY_GUARD_UNAVAILABLE",
                "the replay guard's database cannot be reached; the message was not accepted, retry later", cause);
    }
}
