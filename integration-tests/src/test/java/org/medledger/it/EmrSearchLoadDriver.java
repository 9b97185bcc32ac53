package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.client.emrauth.ConsentTransactions;
import org.medledger.client.emrauth.EmrAuthClient;
import org.medledger.protocol.emrauth.DoctorEmrSearch;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.HospitalAccessRequest;

/**
 * The EMR search load driver (docs/benchmarks.md): real HTTP on loopback, real Keycloak tokens,
 * the real EAR. Doctors, each with the patient's consent, run complete searches (steps 1–7, three
 * HTTP calls, the access entry committed on the ledger before each release) against a 64 KiB FHIR
 * Bundle, at 1, 10 and 50 concurrent doctors; latencies go to an HdrHistogram per level and per
 * call. It measures and records; it asserts only that every search returned the record. Run on
 * demand: {@code -Dit.test=EmrSearchLoadDriver} (the name keeps it out of the default IT run).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class EmrSearchLoadDriver {

    static final String DEPT = "cardiology";
    static final EmrAuthClient API = EmrAuthParties.API;
    /** Concurrent doctors per level, {@code -Dmedledger.load.levels=1,10,50} (at most 50). */
    static final int[] LEVELS = java.util.Arrays.stream(System.getProperty("medledger.load.levels", "1,10,50").split(","))
            .map(String::trim).mapToInt(Integer::parseInt).map(n -> Math.max(1, Math.min(50, n))).toArray();
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("medledger.load.warmup", 10));
    static final Duration RUN = Duration.ofSeconds(Long.getLong("medledger.load.seconds", 30));

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    /** Why searches failed, by problem code or exception (printed with the report). */
    static final java.util.concurrent.ConcurrentMap<String, Long> REASONS = new java.util.concurrent.ConcurrentHashMap<>();

    record Reader(EmrAuthParties.Medic medic, String token) {
    }

    /** A FHIR R4 Bundle of about {@code bytes}: a patient and as many observations as fit. */
    static String bundle(String patient, int bytes) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[")
                .append("{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"").append(patient).append("\"}}");
        int i = 0;
        while (b.length() < bytes - 420) {
            b.append(",{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o").append(i).append("\",\"status\":\"final\",")
                    .append("\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},")
                    .append("\"subject\":{\"reference\":\"Patient/").append(patient).append("\"},")
                    .append("\"effectiveDateTime\":\"2026-11-").append(String.format(Locale.ROOT, "%02d", 1 + i % 28))
                    .append("T08:00:00Z\",\"valueQuantity\":{\"value\":").append(60 + i % 40)
                    .append(",\"unit\":\"beats/minute\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}}");
            i++;
        }
        return b.append("]}").toString();
    }

    /**
     * One complete search; returns nanoseconds [search, open, release, whole search, the doctor
     * device's own compute (steps 1, 3, 5, 7 and the record's decryption)].
     */
    static long[] search(Reader r, String patient, byte[] expected) throws Exception {
        long t0 = System.nanoTime();
        DoctorEmrSearch s = r.medic().device().startEmrSearch("pc", patient, DEPT);
        long c0 = System.nanoTime() - t0;
        var searched = API.search(r.token(), s.request());
        long c = System.nanoTime();
        HospitalAccessRequest access = s.acceptSearchResponse(searched);
        long t1 = System.nanoTime();
        c0 += t1 - c;
        EmrAuthClient.OpenedAccess opened = API.openAccess(r.token(), s.hospitalId(), access);
        c = System.nanoTime();
        EmrRequest req = s.acceptAccessResponse(opened.response());
        long t2 = System.nanoTime();
        c0 += t2 - c;
        var released = API.release(r.token(), s.hospitalId(), opened.sessionId(), req).delivery();
        c = System.nanoTime();
        byte[] emr = s.readEmr(released);
        long t3 = System.nanoTime();
        c0 += t3 - c;
        assertArrayEquals(expected, emr);
        return new long[] {t1 - t0, t2 - t1, t3 - t2, t3 - t0, c0};
    }

    /**
     * The server's ledger-append timer ({@code medledger_ledger_append_seconds}: submission to
     * committed block) as [count, sum in seconds] from the management interface; NaN if unreadable.
     */
    static double[] ledgerAppends() {
        try {
            java.util.Map<String, Double> m = MetricsIT.scrape();
            return new double[] {MetricsIT.value(m, "medledger_ledger_append_seconds_count", ""),
                    MetricsIT.value(m, "medledger_ledger_append_seconds_sum", "")};
        } catch (RuntimeException | AssertionError e) {
            return new double[] {Double.NaN, Double.NaN};
        }
    }

    @Test
    void emrSearchAtOneTenAndFiftyConcurrentDoctors() throws Exception {
        KeycloakServer.ensureStarted();
        ItPki.startResponder();
        EmrAuthParties.Patient p = EmrAuthParties.patient();
        EmrAuthParties.Medic writer = EmrAuthParties.doctor();
        String hpc = EmrAuthParties.hospital();
        byte[] record = bundle(p.id(), 64 * 1024).getBytes(StandardCharsets.UTF_8);
        grant(p, writer.id());
        API.storeVersion(writer.token(), hpc, writer.device().submitEmrVersion(hpc, p.id(), DEPT, record));
        List<Reader> readers = new ArrayList<>();
        // -Dmedledger.load.doctors=N (a quick look on a busy machine): N doctors shared by the level's threads
        int doctors = Math.min(Integer.getInteger("medledger.load.doctors", 50),
                java.util.Arrays.stream(LEVELS).max().orElse(1));
        // registered six at a time (Keycloak user, certificate, X.509 login, KGC registration, consent)
        java.util.concurrent.ExecutorService setUp = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Reader>> registered = new ArrayList<>();
            for (int i = 0; i < doctors; i++) {
                registered.add(setUp.submit(() -> {
                    EmrAuthParties.Medic m = EmrAuthParties.doctor();
                    grant(p, m.id());
                    return new Reader(m, m.token());
                }));
            }
            for (java.util.concurrent.Future<Reader> r : registered) {
                readers.add(r.get());
            }
        } finally {
            setUp.shutdownNow();
        }
        StringBuilder report = new StringBuilder();
        AtomicLong failures = new AtomicLong();
        report.append(String.format(Locale.ROOT, "record %d bytes (FHIR R4 Bundle), warm-up %ds, run %ds per level, %d doctors%n",
                record.length, WARM_UP.toSeconds(), RUN.toSeconds(), readers.size()));
        report.append("doctors  searches  per-s   p50-ms  p99-ms  max-ms | p50 search/open/release ms | p50 doctor compute ms"
                + " | mean ledger append ms\n");
        for (int level : LEVELS) {
            fresh(readers);
            System.out.printf(Locale.ROOT, "level %d: warm-up from %s%n", level, Instant.now());
            List<Reader> threads = new ArrayList<>();
            for (int i = 0; i < level; i++) {
                threads.add(readers.get(i % readers.size()));
            }
            run(threads, p.id(), record, WARM_UP, new AtomicLong());
            AtomicLong failed = new AtomicLong();
            System.out.printf(Locale.ROOT, "level %d: measured from %s%n", level, Instant.now());
            double[] appendsBefore = ledgerAppends();
            Histogram[] h = run(threads, p.id(), record, RUN, failed);
            double[] appendsAfter = ledgerAppends();
            double appendMs = 1000 * (appendsAfter[1] - appendsBefore[1]) / (appendsAfter[0] - appendsBefore[0]);
            System.out.printf(Locale.ROOT, "level %d: done at %s%n", level, Instant.now());
            failures.addAndGet(failed.get());
            report.append(String.format(Locale.ROOT, "%7d  %8d  %6.1f  %6.1f  %6.1f  %6.1f | %.1f / %.1f / %.1f | %.2f | %.2f  (failed: %d)%n",
                    level, h[3].getTotalCount(), h[3].getTotalCount() / (double) RUN.toSeconds(), ms(h[3], 50), ms(h[3], 99),
                    h[3].getMaxValue() / 1e6, ms(h[0], 50), ms(h[1], 50), ms(h[2], 50), ms(h[4], 50), appendMs, failed.get()));
        }
        report.append("failures by reason, warm-ups included: ").append(REASONS).append('\n');
        Path out = ItConfig.output().resolve("benchmarks/emr-search-load-" + System.getProperty("medledger.it.database", "h2") + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
        // Recorded first, then judged: every search must have returned the record.
        assertEquals(0, failures.get(), "every search returns the record:\n" + report);
    }

    /** New access tokens for every doctor (they live 5 minutes; a run with registration takes longer). */
    static void fresh(List<Reader> readers) throws Exception {
        java.util.concurrent.ExecutorService logins = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Reader>> f = new ArrayList<>();
            for (Reader r : readers) {
                f.add(logins.submit(() -> new Reader(r.medic(), r.medic().token())));
            }
            for (int i = 0; i < f.size(); i++) {
                readers.set(i, f.get(i).get());
            }
        } finally {
            logins.shutdownNow();
        }
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    static void grant(EmrAuthParties.Patient p, String doctor) throws Exception {
        API.submitConsent(p.token(), ConsentTransactions.grant(p.ledgerKey(), p.id(), doctor, DEPT,
                Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
    }

    static Histogram[] run(List<Reader> readers, String patient, byte[] record, Duration length, AtomicLong failures)
            throws InterruptedException {
        Recorder[] rec = {new Recorder(3), new Recorder(3), new Recorder(3), new Recorder(3), new Recorder(3)};
        long end = System.nanoTime() + length.toNanos();
        CountDownLatch done = new CountDownLatch(readers.size());
        for (Reader r : readers) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        try {
                            long[] ns = search(r, patient, record);
                            for (int i = 0; i < ns.length; i++) {
                                rec[i].recordValue(ns[i]);
                            }
                        } catch (Exception | AssertionError e) {
                            failures.incrementAndGet();
                            REASONS.merge(e instanceof org.medledger.client.ApiProblem a ? a.code() : e.getClass().getSimpleName(),
                                    1L, Long::sum);
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        Histogram[] h = new Histogram[rec.length];
        for (int i = 0; i < rec.length; i++) {
            h[i] = rec[i].getIntervalHistogram();
        }
        return h;
    }
}
