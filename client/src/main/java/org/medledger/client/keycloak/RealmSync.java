package org.medledger.client.keycloak;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a realm file to a running Keycloak through its admin REST API, keeping the realm's users.
 *
 * <p>A realm that does not exist is created from the whole file. An existing realm whose file changed
 * (the SHA-256 of the file, placeholders resolved, is kept in the realm attribute {@value #STAMP}) is
 * updated in place: the realm's settings; its realm roles added when missing (existing roles and their
 * user mappings stay); the file's authentication flows rebuilt under the same aliases; the file's clients
 * and service-account users replaced. Users, their credentials and role mappings, and whatever the file
 * does not name, are left alone. {@code ${NAME}} placeholders in the file are resolved from the
 * environment given (a missing one is an error, not an empty value).
 */
public final class RealmSync {

    /** The realm attribute holding the SHA-256 of the applied realm file. */
    public static final String STAMP = "medledger.realm-file.sha256";

    /** What {@link #apply} did. */
    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");
    /** Realm representation members that the realm PUT does not take (applied by their own endpoints). */
    private static final Set<String> NOT_SETTINGS = Set.of("id", "roles", "clients", "users", "authenticationFlows",
            "authenticatorConfig", "defaultRole", "groups", "clientScopes", "components", "identityProviders");

    private final HttpClient http;
    private final String keycloak;
    private final String adminUser;
    private final char[] adminPassword;

    /** @param keycloak the server's base URL, e.g. {@code https://127.0.0.1:18443} */
    public RealmSync(HttpClient http, String keycloak, String adminUser, char[] adminPassword) {
        this.http = http;
        this.keycloak = keycloak.endsWith("/") ? keycloak.substring(0, keycloak.length() - 1) : keycloak;
        this.adminUser = adminUser;
        this.adminPassword = adminPassword.clone();
    }

    /** The file's text with every {@code ${NAME}} replaced by the environment's value, JSON-escaped. */
    public static String resolve(String realmFile, Function<String, String> env) {
        Matcher m = PLACEHOLDER.matcher(realmFile);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the realm file needs " + m.group(1) + " in the environment");
            }
            String escaped = Json.createValue(value).toString();
            m.appendReplacement(out, Matcher.quoteReplacement(escaped.substring(1, escaped.length() - 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates or updates the realm of {@code resolvedRealm} (placeholders already resolved). */
    public Outcome apply(String resolvedRealm) throws IOException, InterruptedException {
        JsonObject file = parse(resolvedRealm).asJsonObject();
        String realm = file.getString("realm");
        String stamp = sha256(resolvedRealm);
        String token = token();
        HttpResponse<String> existing = call(token, "GET", "/admin/realms/" + enc(realm), null);
        if (existing.statusCode() == 404) {
            JsonObject full = withStamp(file, file, stamp);
            expect(call(token, "POST", "/admin/realms", full.toString()), 201, "create the realm");
            return Outcome.CREATED;
        }
        expect(existing, 200, "read the realm");
        JsonObject current = parse(existing.body()).asJsonObject();
        JsonObject attributes = current.getJsonObject("attributes");
        if (attributes != null && attributes.containsKey(STAMP)
                && stamp.equals(attributes.getString(STAMP, ""))) {
            return Outcome.UNCHANGED;
        }
        String base = "/admin/realms/" + enc(realm);
        // 1. Unbind the file's flows (realm bindings to the built-in flows, client overrides cleared) and delete them.
        JsonArray fileFlows = file.getJsonArray("authenticationFlows");
        Set<String> fileAliases = new java.util.HashSet<>();
        if (fileFlows != null) {
            fileFlows.forEach(f -> fileAliases.add(f.asJsonObject().getString("alias")));
        }
        expect(call(token, "PUT", base, Json.createObjectBuilder().add("browserFlow", "browser")
                .add("directGrantFlow", "direct grant").build().toString()), 204, "unbind the realm's flows");
        Map<String, String> serverFlowIds = new HashMap<>();
        for (JsonValue v : array(expect(call(token, "GET", base + "/authentication/flows", null), 200, "list flows"))) {
            JsonObject f = v.asJsonObject();
            serverFlowIds.put(f.getString("id"), f.getString("alias"));
        }
        for (JsonValue v : array(expect(call(token, "GET", base + "/clients", null), 200, "list clients"))) {
            JsonObject c = v.asJsonObject();
            JsonObject overrides = c.getJsonObject("authenticationFlowBindingOverrides");
            if (overrides == null || overrides.isEmpty()) {
                continue;
            }
            JsonObjectBuilder cleared = Json.createObjectBuilder();
            boolean any = false;
            for (Map.Entry<String, JsonValue> o : overrides.entrySet()) {
                String alias = serverFlowIds.get(((JsonString) o.getValue()).getString());
                if (alias != null && fileAliases.contains(alias)) {
                    cleared.add(o.getKey(), "");
                    any = true;
                }
            }
            if (any) {
                expect(call(token, "PUT", base + "/clients/" + c.getString("id"), Json.createObjectBuilder()
                        .add("authenticationFlowBindingOverrides", cleared).build().toString()), 204, "unbind a client's flows");
            }
        }
        for (Map.Entry<String, String> f : serverFlowIds.entrySet()) {
            if (fileAliases.contains(f.getValue())) {
                expect(call(token, "DELETE", base + "/authentication/flows/" + f.getKey(), null), 204,
                        "delete the flow '" + f.getValue() + "'");
            }
        }
        // 2. Rebuild the file's top-level flows (each with its sub-flows, requirements and configurations).
        Map<String, JsonObject> flowsByAlias = new HashMap<>();
        Map<String, JsonObject> configs = new HashMap<>();
        if (fileFlows != null) {
            fileFlows.forEach(f -> flowsByAlias.put(f.asJsonObject().getString("alias"), f.asJsonObject()));
        }
        JsonArray fileConfigs = file.getJsonArray("authenticatorConfig");
        if (fileConfigs != null) {
            fileConfigs.forEach(c -> configs.put(c.asJsonObject().getString("alias"), c.asJsonObject()));
        }
        Map<String, String> fileFlowIdToAlias = new HashMap<>();
        Set<String> configAliases = new java.util.HashSet<>();
        for (JsonObject f : flowsByAlias.values()) {
            if (f.getBoolean("topLevel", false)) {
                if (f.containsKey("id")) {
                    fileFlowIdToAlias.put(f.getString("id"), f.getString("alias"));
                }
                expect(call(token, "POST", base + "/authentication/flows", Json.createObjectBuilder()
                        .add("alias", f.getString("alias")).add("description", f.getString("description", ""))
                        .add("providerId", f.getString("providerId", "basic-flow")).add("topLevel", true)
                        .add("builtIn", false).build().toString()), 201, "create the flow '" + f.getString("alias") + "'");
                addExecutions(token, base, f, flowsByAlias, configs, configAliases);
            }
        }
        Map<String, String> aliasToNewId = new HashMap<>();
        for (JsonValue v : array(expect(call(token, "GET", base + "/authentication/flows", null), 200, "list flows"))) {
            aliasToNewId.put(v.asJsonObject().getString("alias"), v.asJsonObject().getString("id"));
        }
        // 3. Realm roles the realm lacks (existing roles, and who holds them, stay as they are).
        JsonObject roles = file.getJsonObject("roles");
        if (roles != null && roles.containsKey("realm")) {
            partialImport(token, base, "SKIP", Json.createObjectBuilder()
                    .add("roles", Json.createObjectBuilder().add("realm", roles.getJsonArray("realm"))));
        }
        // 4. The file's clients replaced (flow overrides pointed at the rebuilt flows), then their service accounts.
        JsonArray clients = file.getJsonArray("clients");
        if (clients != null) {
            JsonArrayBuilder mapped = Json.createArrayBuilder();
            for (JsonValue v : clients) {
                JsonObject c = v.asJsonObject();
                JsonObject overrides = c.getJsonObject("authenticationFlowBindingOverrides");
                if (overrides != null) {
                    JsonObjectBuilder o = Json.createObjectBuilder();
                    for (Map.Entry<String, JsonValue> e : overrides.entrySet()) {
                        String ref = ((JsonString) e.getValue()).getString();
                        String alias = fileFlowIdToAlias.getOrDefault(ref, ref);
                        String id = aliasToNewId.get(alias);
                        if (id == null) {
                            throw new IllegalStateException("client " + c.getString("clientId") + " names an unknown flow " + ref);
                        }
                        o.add(e.getKey(), id);
                    }
                    c = Json.createObjectBuilder(c).add("authenticationFlowBindingOverrides", o).build();
                }
                mapped.add(Json.createObjectBuilder(c).remove("id"));
            }
            partialImport(token, base, "OVERWRITE", Json.createObjectBuilder().add("clients", mapped));
        }
        JsonArray users = file.getJsonArray("users");
        if (users != null) {
            JsonArrayBuilder serviceAccounts = Json.createArrayBuilder();
            users.stream().map(JsonValue::asJsonObject).filter(u -> u.containsKey("serviceAccountClientId"))
                    .forEach(serviceAccounts::add);
            partialImport(token, base, "OVERWRITE", Json.createObjectBuilder().add("users", serviceAccounts));
        }
        // 5. The realm's settings, its flow bindings and the stamp last: an interrupted update is redone next time.
        JsonObjectBuilder settings = Json.createObjectBuilder();
        file.forEach((k, v) -> {
            if (!NOT_SETTINGS.contains(k)) {
                settings.add(k, v);
            }
        });
        expect(call(token, "PUT", base, withStamp(settings.build(), current, stamp).toString()), 204, "update the realm");
        return Outcome.UPDATED;
    }

    /** Applies a partial-import overlay (e.g. the demo users) as it is. */
    public void partialImport(String realm, String overlay) throws IOException, InterruptedException {
        String token = token();
        expect(call(token, "POST", "/admin/realms/" + enc(realm) + "/partialImport", overlay), 200, "apply the overlay");
    }

    private void addExecutions(String token, String base, JsonObject flow, Map<String, JsonObject> flows,
                               Map<String, JsonObject> configs, Set<String> configAliases) throws IOException, InterruptedException {
        String path = base + "/authentication/flows/" + enc(flow.getString("alias")) + "/executions";
        JsonArray executions = flow.getJsonArray("authenticationExecutions");
        List<JsonObject> ordered = executions.stream().map(JsonValue::asJsonObject)
                .sorted(java.util.Comparator.comparingInt(e -> e.getInt("priority", 0))).toList();
        for (JsonObject e : ordered) {
            boolean subFlow = e.getBoolean("autheticatorFlow", e.getBoolean("authenticatorFlow", false));
            if (subFlow) {
                JsonObject sub = flows.get(e.getString("flowAlias"));
                if (sub == null) {
                    throw new IllegalStateException("flow " + flow.getString("alias") + " names an unknown sub-flow "
                            + e.getString("flowAlias"));
                }
                expect(call(token, "POST", path + "/flow", Json.createObjectBuilder().add("alias", sub.getString("alias"))
                        .add("type", sub.getString("providerId", "basic-flow")).add("provider", "registration-page-form")
                        .add("description", sub.getString("description", "")).build().toString()), 201,
                        "add the sub-flow '" + sub.getString("alias") + "'");
            } else {
                expect(call(token, "POST", path + "/execution", Json.createObjectBuilder()
                        .add("provider", e.getString("authenticator")).build().toString()), 201,
                        "add '" + e.getString("authenticator") + "' to '" + flow.getString("alias") + "'");
            }
            // the execution just added is the last one at this flow's own level
            JsonObject added = null;
            for (JsonValue v : array(expect(call(token, "GET", path, null), 200, "list executions"))) {
                JsonObject x = v.asJsonObject();
                if (x.getInt("level", 0) == 0 && (added == null || x.getInt("index") > added.getInt("index"))) {
                    added = x;
                }
            }
            if (added == null) {
                throw new IllegalStateException("the execution added to " + flow.getString("alias") + " is not listed");
            }
            expect(call(token, "PUT", path, Json.createObjectBuilder(added)
                    .add("requirement", e.getString("requirement")).build().toString()), 202, 204,
                    "set a requirement in '" + flow.getString("alias") + "'");
            if (e.containsKey("authenticatorConfig")) {
                JsonObject config = configs.get(e.getString("authenticatorConfig"));
                if (config == null) {
                    throw new IllegalStateException("unknown authenticator configuration " + e.getString("authenticatorConfig"));
                }
                // a configuration the file shares between executions gets one copy per execution (aliases are unique)
                String alias = config.getString("alias");
                for (int n = 2; !configAliases.add(alias); n++) {
                    alias = config.getString("alias") + "-" + n;
                }
                expect(call(token, "POST", base + "/authentication/executions/" + added.getString("id") + "/config",
                        Json.createObjectBuilder().add("alias", alias)
                                .add("config", config.getJsonObject("config")).build().toString()), 201,
                        "configure '" + e.getString("authenticator") + "'");
            }
            if (subFlow) {
                addExecutions(token, base, flows.get(e.getString("flowAlias")), flows, configs, configAliases);
            }
        }
    }

    private void partialImport(String token, String base, String ifExists, JsonObjectBuilder body)
            throws IOException, InterruptedException {
        expect(call(token, "POST", base + "/partialImport", body.add("ifResourceExists", ifExists).build().toString()),
                200, "import (" + ifExists + ")");
    }

    private static JsonObject withStamp(JsonObject rep, JsonObject attributesFrom, String stamp) {
        JsonObject attrs = attributesFrom.getJsonObject("attributes");
        JsonObjectBuilder a = attrs == null ? Json.createObjectBuilder() : Json.createObjectBuilder(attrs);
        JsonObject fileAttrs = rep.getJsonObject("attributes");
        if (fileAttrs != null) {
            fileAttrs.forEach(a::add);
        }
        return Json.createObjectBuilder(rep).add("attributes", a.add(STAMP, stamp)).build();
    }

    private String token() throws IOException, InterruptedException {
        String form = "grant_type=password&client_id=admin-cli&username=" + enc(adminUser)
                + "&password=" + enc(new String(adminPassword));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(keycloak
                        + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Keycloak refused the administrator's login (" + r.statusCode() + ")");
        }
        return parse(r.body()).asJsonObject().getString("access_token");
    }

    private HttpResponse<String> call(String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(keycloak + path))
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int status, String what) throws IOException {
        return expect(r, status, status, what);
    }

    private static HttpResponse<String> expect(HttpResponse<String> r, int status, int alternative, String what)
            throws IOException {
        if (r.statusCode() != status && r.statusCode() != alternative) {
            // Keycloak's error bodies name the resource, never a secret of this request
            String body = r.body() == null ? "" : r.body();
            throw new IOException("Keycloak: cannot " + what + " (" + r.statusCode() + " "
                    + body.substring(0, Math.min(300, body.length())) + ")");
        }
        return r;
    }

    private static JsonArray array(HttpResponse<String> r) {
        return parse(r.body()).asJsonArray();
    }

    private static JsonValue parse(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
