package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document the server generates describes every operation of the EMR-AUTH, identity,
 * consent, audit, relay and ledger endpoints with a summary and a description.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OpenApiIT {

    /** The path prefixes (under /api) whose every operation must be described. */
    static final List<String> DESCRIBED = List.of("/emr-auth/", "/kgc/", "/consents", "/audit/", "/relay/", "/ledger/",
            "/health");

    static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @Test
    void everyProtocolEndpointHasASummaryAndADescription() {
        HttpResponse<String> o = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.server()
                + "/openapi?format=JSON")).GET());
        assertEquals(200, o.statusCode(), o.body());
        JsonObject paths = Http.json(o).getJsonObject("paths");
        List<String> undescribed = new ArrayList<>();
        int checked = 0;
        for (String path : paths.keySet()) {
            String relative = path.startsWith("/api/") ? path.substring(4) : path;
            if (DESCRIBED.stream().noneMatch(relative::startsWith)) {
                continue;
            }
            for (var op : paths.getJsonObject(path).entrySet()) {
                if (!METHODS.contains(op.getKey()) || op.getValue().getValueType() != JsonValue.ValueType.OBJECT) {
                    continue;
                }
                checked++;
                JsonObject operation = op.getValue().asJsonObject();
                if (operation.getString("summary", "").isBlank() || operation.getString("description", "").isBlank()) {
                    undescribed.add(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path);
                }
            }
        }
        assertTrue(checked >= 23, "the document lists the protocol endpoints: " + paths.keySet());
        assertEquals(List.of(), undescribed, "operations without a summary and a description");
    }
}
