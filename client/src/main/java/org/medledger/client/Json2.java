package org.medledger.client;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;

/** Lenient reading of response bodies: a JSON object, or {@code null} if the body is not one. */
public final class Json2 {

    /**
     * The client's JSON-P provider, looked up once ({@code Json.createReader} and the other
     * {@code Json} factories scan the class path for it at every call).
     */
    public static final JsonProvider JSON = JsonProvider.provider();

    private Json2() {
    }

    public static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonReader r = JSON.createReader(new StringReader(body))) {
            return r.readObject();
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }
}
