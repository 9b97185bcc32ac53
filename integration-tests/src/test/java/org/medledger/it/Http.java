package org.medledger.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.medledger.client.InstallationTrust;

/**
 * A thin HTTP client for the API under test, over HTTPS trusting exactly the test installation's TLS
 * authority (hostnames verified as always; nothing trusts all).
 */
final class Http {

    private static final HttpClient CLIENT = client();

    private Http() {
    }

    /** A new client trusting the test installation's TLS authority, for the client SDK's classes. */
    static HttpClient client() {
        try {
            return HttpClient.newBuilder().sslContext(InstallationTrust.context(ItConfig.tlsCa()))
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the test installation's TLS authority", e);
        }
    }

    static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItConfig.api() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    static HttpResponse<String> postJson(String path, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItConfig.api() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("request failed", e);
        }
    }

    static JsonObject json(HttpResponse<String> r) {
        return Json.createReader(new StringReader(r.body())).readObject();
    }
}
