package org.medledger.api.problem;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Objects;

/**
 * An RFC 9457 problem response. {@code code} is MedLedger's stable reason code; {@code detail}
 * is for people and never carries secrets or stack traces.
 */
public record Problem(int status, String code, String title, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    static final String TYPE_BASE = "urn:medledger:problem:";

    public Problem {
        Objects.requireNonNull(code, "Code is required.");
        Objects.requireNonNull(title, "Title is required.");
        Objects.requireNonNull(detail, "Detail is required.");
    }

    public static Problem badRequest(String code, String detail) {
        return new Problem(400, code, "Bad request", detail);
    }

    public String toJson() {
        return json().build().toString();
    }

    /** The problem's members, for callers that add an extension member (RFC 9457 §3.2). */
    public JsonObjectBuilder json() {
        return Json.createObjectBuilder()
                .add("type", TYPE_BASE + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .add("title", title)
                .add("status", status)
                .add("detail", detail)
                .add("code", code);
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(toJson()).build();
    }
}
