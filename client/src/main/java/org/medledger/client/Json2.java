package org.medledger.client;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;

/** Lenient reading of response bodies: a JSON object, or {@code null} if the body is not one. */
public final class Json2 {

    private Json2() {
    }

    public static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readObject();
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }
}
