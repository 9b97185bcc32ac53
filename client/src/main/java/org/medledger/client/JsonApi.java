package org.medledger.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

import jakarta.json.JsonObject;

/**
 * The MedLedger REST API as every scheme client speaks it: JSON over HTTP with the caller's bearer token, the expected
 * status or the server's problem ({@code code}, {@code detail}) as an {@link ApiProblem}, binary fields in base64.
 */
public final class JsonApi {
    private final HttpClient http;
    private final String base;
    private final Duration timeout;

    /** @param base the API base ({@code …/api}, or a scheme's root below it); trailing slashes are dropped */
    public JsonApi(HttpClient http, URI base, Duration timeout) {
        this.http = Objects.requireNonNull(http, "HTTP client is required.");
        this.base = base.toString().replaceAll("/+$", "");
        this.timeout = timeout;
    }

    /** {@code GET base+path}; {@code token} may be {@code null} for public resources. */
    public JsonObject get(String path, String token, int expected) throws IOException, InterruptedException, ApiProblem {
        return send(request(path, token).GET(), expected);
    }

    public JsonObject post(String path, String token, JsonObject body, int expected) throws IOException, InterruptedException, ApiProblem {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)), expected);
    }

    /** A {@code POST} without a body (an action on the resource named by the path). */
    public JsonObject post(String path, String token, int expected) throws IOException, InterruptedException, ApiProblem {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.noBody()), expected);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").timeout(timeout);
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private JsonObject send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException, ApiProblem {
        return expect(http.send(request.build(), HttpResponse.BodyHandlers.ofString()), expected);
    }

    /** The body as a JSON object when the status is {@code expected}; otherwise the server's problem code. */
    public static JsonObject expect(HttpResponse<String> res, int expected) throws ApiProblem {
        JsonObject body = Json2.parseObject(res.body());
        if (res.statusCode() != expected) {
            String code = body != null && body.containsKey("code") ? body.getString("code") : "HTTP_" + res.statusCode();
            String detail = body != null && body.containsKey("detail") ? body.getString("detail")
                    : (res.statusCode() == 401 ? "not authenticated" : "unexpected response");
            throw new ApiProblem(res.statusCode(), code, detail);
        }
        if (body == null) {
            throw new ApiProblem(res.statusCode(), "BAD_RESPONSE", "the server did not answer with a JSON object");
        }
        return body;
    }

    public static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Field {@code name} of an answer, base64-decoded; a malformed field is the server's fault ({@code BAD_RESPONSE}). */
    public static byte[] b64(JsonObject o, String name) throws ApiProblem {
        try {
            return Base64.getDecoder().decode(o.getString(name));
        } catch (RuntimeException e) {
            throw new ApiProblem(200, "BAD_RESPONSE", name + " is not base64");
        }
    }

    /** A path segment: URL-encoded, spaces as {@code %20}. */
    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
