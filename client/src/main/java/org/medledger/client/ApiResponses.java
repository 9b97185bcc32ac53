package org.medledger.client;

import java.net.http.HttpResponse;

import jakarta.json.JsonObject;

/** How every scheme client reads the server's JSON answer: the expected status, else its problem. */
public final class ApiResponses {

    private ApiResponses() {
    }

    /** The body as a JSON object when the status is {@code expected}; otherwise the server's problem code. */
    public static JsonObject expect(HttpResponse<String> res, int expected) throws ApiProblem {
        JsonObject body = Json2.parseObject(res.body());
        if (res.statusCode() != expected) {
            String code = body != null && body.containsKey("code") ? body.getString("code") : "HTTP_" + res.statusCode();
            String detail = body != null && body.containsKey("detail") ? body.getString("detail") : "unexpected response";
            throw new ApiProblem(res.statusCode(), code, detail);
        }
        if (body == null) {
            throw new ApiProblem(res.statusCode(), "BAD_RESPONSE", "the server did not answer with a JSON object");
        }
        return body;
    }
}
