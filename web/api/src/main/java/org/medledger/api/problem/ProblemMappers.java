package org.medledger.api.problem;

import jakarta.ejb.EJBAccessException;
import jakarta.ejb.EJBException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.medledger.platform.DatabaseUnavailable;
import org.medledger.platform.DomainException;

/** Maps every failure to a problem response once, here; nothing else renders errors. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    static int status(DomainException.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNAVAILABLE -> 503;
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content too large";
            case 415 -> "Unsupported media type";
            case 503 -> "Service unavailable";
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
    }

    /**
     * The problem for a bare HTTP status, as JAX-RS or the servlet container produce them (no
     * domain reason behind it): a stable code per status.
     */
    public static Problem forStatus(int status) {
        String code = switch (status) {
            case 400 -> "MALFORMED_REQUEST";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "FORBIDDEN_ROLE";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 413 -> "BODY_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> status >= 500 ? "INTERNAL" : "REFUSED";
        };
        String detail = switch (status) {
            case 401 -> "a valid bearer token for medledger-api is required";
            case 403 -> "the caller's roles do not allow this operation";
            case 404 -> "no such resource";
            default -> title(status);
        };
        return new Problem(status, code, title(status), detail);
    }

    /** Refusals from the boundary beans. */
    @Provider
    public static final class DomainMapper implements ExceptionMapper<DomainException> {
        @Override
        public Response toResponse(DomainException e) {
            int status = status(e.kind());
            LOG.info(() -> "refused: " + e.code());
            return new Problem(status, e.code(), title(status), e.getMessage()).toResponse();
        }
    }

    /** A check that needs the database could not be made: 503 with its reason, never a verdict. */
    @Provider
    public static final class DatabaseUnavailableMapper implements ExceptionMapper<DatabaseUnavailable> {
        @Override
        public Response toResponse(DatabaseUnavailable e) {
            LOG.warning(() -> "unavailable: " + e.code() + " ("
                    + (e.getCause() == null ? "no cause" : e.getCause().getClass().getName()) + ")");
            return new DomainMapper().toResponse(e.toDomain());
        }
    }

    /** Request parsing failures. */
    @Provider
    public static final class BadRequestMapper implements ExceptionMapper<BadRequest> {
        @Override
        public Response toResponse(BadRequest e) {
            return Problem.badRequest(e.code(), e.getMessage()).toResponse();
        }
    }

    /** JAX-RS's own refusals (404, 405, 406, 415, role checks) as problems too. */
    @Provider
    public static final class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            return forStatus(status).toResponse();
        }
    }

    /** A bean call denied by its own role check. */
    @Provider
    public static final class AccessMapper implements ExceptionMapper<EJBAccessException> {
        @Override
        public Response toResponse(EJBAccessException e) {
            return new Problem(403, "FORBIDDEN_ROLE", "Forbidden", "the caller's roles do not allow this operation")
                    .toResponse();
        }
    }

    /** Anything else: logged with an incident id, answered without internals. */
    @Provider
    public static final class UnexpectedMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            Throwable cause = e instanceof EJBException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof DomainException d) {
                return new DomainMapper().toResponse(d);
            }
            if (cause instanceof DatabaseUnavailable u) {
                return new DatabaseUnavailableMapper().toResponse(u);
            }
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "unexpected failure, incident " + incident, cause);
            return new Problem(500, "INTERNAL", "Internal error", "unexpected failure; incident " + incident)
                    .toResponse();
        }
    }
}
