package org.medledger.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.medledger.protocol.pki.OcspTransport;

/**
 * OCSP over HTTP POST with {@code application/ocsp-request} (RFC 6960 A.1) on
 * {@link HttpClient}: a short connect/request timeout, only 200 answers with the OCSP
 * media type, and a bounded response size so a hostile responder cannot exhaust memory.
 */
public final class HttpOcspTransport implements OcspTransport {

    public static final String REQUEST_TYPE = "application/ocsp-request";
    public static final String RESPONSE_TYPE = "application/ocsp-response";
    /** Far above any real single-certificate response. */
    public static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final HttpClient http;
    private final Duration timeout;

    public HttpOcspTransport(HttpClient http, Duration timeout) {
        this.http = Objects.requireNonNull(http, "HTTP client is required.");
        this.timeout = Objects.requireNonNull(timeout, "Timeout is required.");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Timeout must be positive.");
        }
    }

    /** A new client that connects within {@code timeout} and never follows redirects. */
    public static HttpOcspTransport withTimeout(Duration timeout) {
        return new HttpOcspTransport(HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build(), timeout);
    }

    @Override
    public byte[] exchange(URI responder, byte[] request) throws IOException, InterruptedException {
        String scheme = responder.getScheme() == null ? "" : responder.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("OCSP responder URI must be http or https");
        }
        HttpRequest post = HttpRequest.newBuilder(responder).timeout(timeout)
                .header("Content-Type", REQUEST_TYPE).header("Accept", RESPONSE_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        HttpResponse<InputStream> response = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("OCSP responder answered HTTP " + response.statusCode());
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.toLowerCase(Locale.ROOT).startsWith(RESPONSE_TYPE)) {
                throw new IOException("OCSP responder answered with an unexpected media type");
            }
            byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw new IOException("OCSP response too large");
            }
            return bytes;
        }
    }
}
