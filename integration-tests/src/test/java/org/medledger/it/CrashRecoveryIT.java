package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * A kill -9 of WildFly under a mixed load, then a restart. Four clients keep registering patients
 * (EMR-AUTH registration: the KGC issues {@code R_P1, S_P}) and doctors (seed 000 eq. 8–9 against
 * {@code Cert_D}: a database row and a ledger membership), and two doctor devices keep running the
 * EMR-AUTH search protocol for a consented record (steps 1–8: search, access, release, each release
 * an access entry on the ledger), on a second server of the test's own ({@link SecondServer}); the
 * server JVM gets SIGKILL while they run. After the restart:
 * <ul>
 * <li>every record a device received has its access entry on the ledger, checked by the patient's
 * device with its inclusion proofs (a release whose entry was lost would be a record released
 * without its ledger entry);</li>
 * <li>the ledger node opened, which means it verified the whole stored chain against its
 * checkpoint (blocks, transactions, tree heads, state) — a half-written block fails that;</li>
 * <li>every acknowledged (201) registration is there, with the {@code R} value the client got;</li>
 * <li>nothing is half-written: a doctor registration stored in the database is a ledger member
 * (the record is never released without its ledger entry); the reverse (a ledger membership whose
 * registration never committed: the request died between the ledger commit and its own) is
 * counted and reported, never acknowledged to anyone;</li>
 * <li>the restarted server takes new registrations on top of the recovered ledger.</li>
 * </ul>
 */
class CrashRecoveryIT extends DeployedServer {

    private static final int CLIENTS = 4;
    private static final int SEARCHERS = 2;
    private static final String DEPT = "cardiology";

    /** One attempted registration: its id, kind and, when acknowledged, the R value the server returned. */
    record Attempt(String id, boolean doctor, String r) {
        boolean acknowledged() {
            return r != null;
        }
    }

    private static HttpResponse<String> registerPatient(String api, String id, String token) {
        return Http.send(HttpRequest.newBuilder(URI.create(api + "/kgc/registrations/patients"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KgcRegistrationIT.body(id, KgcRegistrationIT.biometric()))));
    }

    /** A doctor registration (seed 000, eq. 8–9) with the operator's token the client holds. */
    private static HttpResponse<String> registerDoctor(String api, String id, String token) throws Exception {
        DoctorCertificateIT.Credentials c = CrlRefreshIT.doctor(id);
        return Http.send(HttpRequest.newBuilder(URI.create(api + DoctorCertificateIT.PATH))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(DoctorCertificateIT.registrationBody(id, c, c.privateKey(), Instant.now()))));
    }

    /**
     * One doctor device: complete EMR-AUTH searches for {@code patient}'s record until {@code stop};
     * counts the records received (checked against {@code record}); a failed run ends it.
     */
    private static void searcher(org.medledger.client.emrauth.EmrAuthClient emr, EmrAuthParties.Medic m, String token, String patient,
                                 byte[] record, AtomicBoolean stop, java.util.concurrent.atomic.AtomicInteger received) {
        while (!stop.get()) {
            try {
                org.medledger.protocol.emrauth.DoctorEmrSearch s = m.device().startEmrSearch("pc", patient, DEPT);
                org.medledger.protocol.emrauth.HospitalAccessRequest access = s.acceptSearchResponse(emr.search(token, s.request()));
                var opened = emr.openAccess(token, s.hospitalId(), access);
                var request = s.acceptAccessResponse(opened.response());
                byte[] got = s.readEmr(emr.release(token, s.hospitalId(), opened.sessionId(), request).delivery());
                if (!java.util.Arrays.equals(record, got)) {
                    return;
                }
                received.incrementAndGet();
            } catch (Exception e) {
                return; // the server died under this run
            }
        }
    }

    private static HttpResponse<String> get(String url, String token) {
        return Http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET());
    }

    /**
     * One client: registers until {@code stop}, alternating patients and doctors, with one operator
     * token for the whole run (a login per request would trip Keycloak's brute-force detection);
     * a failed request ends it.
     */
    private static void client(String api, int n, String token, AtomicBoolean stop, Map<String, Attempt> attempts) {
        for (int i = 0; !stop.get(); i++) {
            boolean doctor = i % 2 == 1;
            String id = (doctor ? "dr-crash-" : "p-crash-") + n + "-" + i;
            attempts.put(id, new Attempt(id, doctor, null));
            try {
                HttpResponse<String> r = doctor ? registerDoctor(api, id, token) : registerPatient(api, id, token);
                if (r.statusCode() != 201) {
                    return; // the server is going down (503 while suspending) or gone
                }
                JsonObject body = Http.json(r);
                attempts.put(id, new Attempt(id, doctor, body.getString(doctor ? "rD1" : "rP1")));
            } catch (Exception e) {
                return; // connection refused or reset: the server died under this request
            }
        }
    }

    @Test
    void everyAcknowledgedRegistrationSurvivesAKillNineAndTheLedgerVerifies() throws Exception {
        Map<String, Attempt> attempts = new ConcurrentHashMap<>();
        try (SecondServer server = SecondServer.prepare("servers-crash")) {
            server.start();
            String api = server.api();
            // The EMR-AUTH parties on this server: a hospital cloud holding one record of a patient,
            // who consented to two doctors.
            ItPki.startResponder();
            var emr = EmrAuthParties.client(api);
            String hpc = EmrAuthParties.hospital(api);
            EmrAuthParties.Patient patient = EmrAuthParties.patient(api);
            byte[] record = EmrAuthParties.fhirBundle(patient.id(), "Crash recovery").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            List<EmrAuthParties.Medic> medics = new ArrayList<>();
            List<String> medicTokens = new ArrayList<>();
            for (int i = 0; i < SEARCHERS; i++) {
                EmrAuthParties.Medic m = EmrAuthParties.doctor(api, java.time.Clock.systemUTC());
                emr.submitConsent(patient.token(), org.medledger.client.emrauth.ConsentTransactions.grant(patient.ledgerKey(), patient.id(),
                        m.id(), DEPT, Instant.now().plus(Duration.ofDays(1)).toEpochMilli()));
                medics.add(m);
                medicTokens.add(m.token());
            }
            emr.storeVersion(medicTokens.get(0), hpc, medics.get(0).device().submitEmrVersion(hpc, patient.id(), DEPT, record));

            AtomicBoolean stop = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
            String operator = Tokens.forUser("kgc-operator");
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + SEARCHERS);
            List<Future<?>> clients = new ArrayList<>();
            for (int n = 0; n < CLIENTS; n++) {
                int id = n;
                clients.add(pool.submit(() -> client(api, id, operator, stop, attempts)));
            }
            for (int i = 0; i < SEARCHERS; i++) {
                EmrAuthParties.Medic m = medics.get(i);
                String token = medicTokens.get(i);
                clients.add(pool.submit(() -> searcher(emr, m, token, patient.id(), record, stop, received)));
            }
            // Let the load build up, then kill the JVM while requests are in flight.
            Instant until = Instant.now().plus(Duration.ofSeconds(60));
            while ((attempts.values().stream().filter(Attempt::acknowledged).count() < 12 || received.get() < 4)
                    && Instant.now().isBefore(until)) {
                Thread.sleep(200);
            }
            server.kill9();
            stop.set(true);
            pool.shutdown();
            assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES), "the clients did not stop");
            for (Future<?> f : clients) {
                f.get();
            }
            List<Attempt> acknowledged = attempts.values().stream().filter(Attempt::acknowledged).toList();
            assertTrue(acknowledged.size() >= 12, "too little load before the kill: " + acknowledged.size());
            assertTrue(acknowledged.stream().anyMatch(Attempt::doctor) && acknowledged.stream().anyMatch(a -> !a.doctor()),
                    "both kinds of registration ran");
            assertTrue(received.get() >= 4, "too few protocol runs before the kill: " + received.get());

            long logBefore = Files.size(server.serverLog());
            server.start();
            // Opening the node verified the stored chain against the checkpoint (else no deployment).
            byte[] log = Files.readAllBytes(server.serverLog());
            String sinceRestart = new String(log, (int) logBefore, log.length - (int) logBefore, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(java.util.regex.Pattern.compile("Ledger node .* open at size \\d+").matcher(sinceRestart).find(),
                    "the restarted node did not report its verified open");
            long size = Http.json(Http.send(HttpRequest.newBuilder(URI.create(api + "/ledger/tree-head")).GET()))
                    .getJsonNumber("treeSize").longValue();

            String checker = Tokens.forUser("kgc-operator"); // a fresh token: the first may be near its end
            long doctorsAcknowledged = 0;
            int orphanLedgerEntries = 0;
            for (Attempt a : attempts.values()) {
                String path = a.doctor() ? "/kgc/registrations/doctors/" : "/kgc/registrations/patients/";
                HttpResponse<String> stored = get(api + path + a.id(), checker);
                if (a.acknowledged()) {
                    assertEquals(200, stored.statusCode(), "acknowledged " + a.id() + " lost: " + stored.body());
                    assertEquals(a.r(), Http.json(stored).getString(a.doctor() ? "rD1" : "rP1"), a.id());
                } else {
                    assertTrue(stored.statusCode() == 200 || stored.statusCode() == 404, a.id() + ": " + stored.body());
                }
                if (a.doctor()) {
                    HttpResponse<String> member = get(api + "/ledger/members/" + a.id(), checker);
                    assertEquals(200, member.statusCode(), member.body());
                    boolean onLedger = Http.json(member).getBoolean("registered");
                    if (stored.statusCode() == 200) {
                        assertTrue(onLedger, a.id() + " is registered in the database without its ledger entry");
                        doctorsAcknowledged += a.acknowledged() ? 1 : 0;
                    } else if (onLedger) {
                        orphanLedgerEntries++;
                    }
                }
            }
            assertTrue(size >= doctorsAcknowledged, "tree size " + size + " below the acknowledged ledger writes " + doctorsAcknowledged);

            // Every record received has its access entry: the patient's device verifies each entry's
            // inclusion in the recovered ledger; a run cut short may have an entry and no delivery.
            var audit = org.medledger.client.emrauth.AccessAudit.verify(emr.accesses(Tokens.forUser(patient.id()), 0), patient.id(),
                    null, 0, null);
            long releasedEntries = audit.accesses().stream()
                    .filter(a -> a.holderId().equals(hpc) && "released".equals(a.outcome())).count();
            assertTrue(releasedEntries >= received.get(), received.get() + " records received but only " + releasedEntries
                    + " release entries on the recovered ledger");
            System.out.printf("CrashRecoveryIT: %d attempts, %d acknowledged, %d records received by %d doctor devices, "
                    + "%d release entries, tree size %d after restart, %d ledger memberships whose registration did not commit%n",
                    attempts.size(), acknowledged.size(), received.get(), SEARCHERS, releasedEntries, size, orphanLedgerEntries);

            // Work continues on the recovered ledger.
            String next = "dr-crash-after";
            assertEquals(201, registerDoctor(api, next, checker).statusCode());
            long after = Http.json(Http.send(HttpRequest.newBuilder(URI.create(api + "/ledger/tree-head")).GET()))
                    .getJsonNumber("treeSize").longValue();
            assertTrue(after > size, "no new ledger entry after the restart");
        }
    }
}
