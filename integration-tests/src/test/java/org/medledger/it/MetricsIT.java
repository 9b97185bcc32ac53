package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * MedLedger's metrics as Prometheus scrapes them from WildFly's management interface
 * ({@code /metrics}, configure-metrics.cli): a registration, a refused unauthenticated call and a
 * refused call with a reason code move exactly the series they should, beside WildFly's own.
 */
class MetricsIT extends DeployedServer {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) (\\S+)$", Pattern.MULTILINE);

    /** One scrape: series (name with its labels as printed) -> value. */
    static Map<String, Double> scrape() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(ItConfig.management() + "/metrics")).GET());
        assertEquals(200, r.statusCode(), r.body());
        // Prometheus text format (WildFly sends it without a Content-Type header)
        assertTrue(r.body().contains("# TYPE "), r.body().lines().limit(5).toList().toString());
        Map<String, Double> series = new HashMap<>();
        Matcher m = SAMPLE.matcher(r.body());
        while (m.find()) {
            series.put(m.group(1).replaceAll(",?[a-z_]+=\"\"", ""), Double.parseDouble(m.group(3)));
        }
        return series;
    }

    /** The value of the series whose name is {@code name} and whose labels include {@code label} ("" for none). */
    static double value(Map<String, Double> series, String name, String label) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{") && e.getKey().contains(label))
                .mapToDouble(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(name + " " + label + " not scraped; have " + series.keySet().stream()
                        .filter(k -> k.startsWith("medledger")).toList()));
    }

    @Test
    void registrationsRefusalsAndTheLedgerShowInTheScrape() throws Exception {
        Map<String, Double> before = scrape();
        assertTrue(before.keySet().stream().anyMatch(k -> !k.startsWith("medledger")), "WildFly's own metrics are served too");
        for (String outcome : new String[] {"released", "refused"}) {
            assertTrue(value(before, "medledger_accesses_total", "outcome=\"" + outcome + "\"") >= 0);
        }
        assertTrue(value(before, "medledger_registrations_total", "role=\"doctor\"") >= 0);
        assertTrue(value(before, "medledger_registrations_total", "role=\"hospital\"") >= 0);

        HttpResponse<String> created = Http.postJson(KgcRegistrationIT.PATH, Tokens.forUser("kgc-operator"),
                KgcRegistrationIT.body(KgcRegistrationIT.freshId(), KgcRegistrationIT.biometric()));
        assertEquals(201, created.statusCode(), created.body());
        String doctorId = "dr-metrics-" + System.nanoTime();
        HttpResponse<String> doctor = CrlRefreshIT.register(ItConfig.api(), doctorId, CrlRefreshIT.doctor(doctorId));
        assertEquals(201, doctor.statusCode(), doctor.body());
        assertEquals(401, Http.postJson(KgcRegistrationIT.PATH, null, "{}").statusCode());
        HttpResponse<String> foreign = Http.postJson(KgcRegistrationIT.PATH, Tokens.forUser("patient"),
                KgcRegistrationIT.body(KgcRegistrationIT.freshId(), KgcRegistrationIT.biometric()));
        KgcRegistrationIT.assertProblem(foreign, 403, "NOT_OWN_IDENTITY");

        Map<String, Double> after = scrape();
        assertEquals(value(before, "medledger_registrations_total", "role=\"patient\"") + 1,
                value(after, "medledger_registrations_total", "role=\"patient\""));
        assertEquals(value(before, "medledger_registrations_total", "role=\"doctor\"") + 1,
                value(after, "medledger_registrations_total", "role=\"doctor\""));
        assertTrue(value(after, "medledger_ledger_height", "") > value(before, "medledger_ledger_height", ""),
                "the doctor's registration was appended to the ledger");
        assertTrue(value(after, "medledger_ledger_append_seconds_count", "") > value(before, "medledger_ledger_append_seconds_count", ""));
        assertTrue(value(after, "medledger_ledger_append_seconds_sum", "") > 0);
        assertEquals(value(before, "medledger_authentication_failures_total", "") + 1,
                value(after, "medledger_authentication_failures_total", ""));
        assertEquals(before.getOrDefault(problem("NOT_OWN_IDENTITY", after), 0.0) + 1,
                value(after, "medledger_problems_total", "code=\"NOT_OWN_IDENTITY\""));
        assertTrue(value(after, "medledger_problems_total", "code=\"UNAUTHENTICATED\"") >= 1);
    }

    /** The scraped key of the problems series with {@code code}. */
    private static String problem(String code, Map<String, Double> series) {
        return series.keySet().stream().filter(k -> k.startsWith("medledger_problems_total{") && k.contains("code=\"" + code + "\""))
                .findFirst().orElse("");
    }
}
