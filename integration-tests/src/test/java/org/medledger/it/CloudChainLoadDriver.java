package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.client.cloudchain.CloudChainClient;
import org.medledger.protocol.cloudchain.CardIssuance;
import org.medledger.protocol.cloudchain.Patient;
import org.medledger.protocol.cloudchain.PatientAuthentication;
import org.medledger.protocol.cloudchain.Smartcard;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.common.VerificationKey;

/**
 * The CLOUD-CHAIN load driver (docs/benchmarks.md): every server-side phase over real HTTP on
 * loopback with real Keycloak tokens and the real EAR, timed per HTTP call (the device's work is
 * done outside the timed section): center registration, card issuance, card key on the ledger,
 * authentication step 2, contract on the ledger, EHR store (a 48 KiB FHIR Bundle through the
 * cloud server), EHR request (access-log committed before release), the last also with 10
 * concurrent centers. It measures and records; it asserts only that every request returned the
 * record. Run on demand: {@code -Dit.test=CloudChainLoadDriver}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CloudChainLoadDriver {

    static final CloudChainClient API = CloudChainParties.API;
    static final int N = Integer.getInteger("medledger.load.count", 40);
    static final int CENTERS = 10;

    @Deployment(testable = false)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @BeforeAll
    static void servers() throws Exception {
        KeycloakServer.ensureStarted();
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    static double ms(Histogram h, double p) {
        return h.getValueAtPercentile(p) / 1e6;
    }

    interface Call {
        void run() throws Exception;
    }

    static void timed(Histogram h, Call c) throws Exception {
        long t = System.nanoTime();
        c.run();
        h.recordValue(System.nanoTime() - t);
    }

    @Test
    void everyServerSidePhase() throws Exception {
        Histogram center = histogram();
        List<CloudChainParties.Center> centers = new ArrayList<>();
        for (int i = 0; i < CENTERS; i++) {
            String id = EmrAuthParties.unique("cc-load-center");
            KeycloakAdmin.createUser(id, "medical-center");
            KeycloakAdmin.setPassword(id, id + "-demo");
            String admin = Tokens.forUser("network-admin");
            CloudChainClient.CenterRegistration[] r = new CloudChainClient.CenterRegistration[1];
            timed(center, () -> r[0] = API.registerCenter(admin, id));
            centers.add(new CloudChainParties.Center(id, r[0]));
        }
        String patientId = EmrAuthParties.unique("cc-load-patient");
        KeycloakAdmin.createUser(patientId, "patient");
        KeycloakAdmin.setPassword(patientId, patientId + "-demo");
        String token = Tokens.forUser(patientId);
        MasterPublicKey pk = KgcRegistrationIT.publicKey();
        VerificationKey certifier = EmrAuthParties.API.trust(token).certifierKey();
        Environment env = Environment.of(CloudChainParties.CURVE, Clock.systemUTC(), EmrAuthParties.RANDOM);
        TrustContext trust = new TrustContext(pk, certifier, API.directory(token), (c, i) -> {
            throw new ProtocolException(Reason.CERT_INVALID, "none");
        });

        // Card issuance and the card's key on the ledger: one patient account per card (one card each).
        Histogram issue = histogram();
        Histogram key = histogram();
        Patient patient = null;
        Smartcard card = null;
        for (int i = 0; i < Math.max(5, N / 4); i++) {
            String id = i == 0 ? patientId : EmrAuthParties.unique("cc-load-card");
            if (i > 0) {
                KeycloakAdmin.createUser(id, "patient");
                KeycloakAdmin.setPassword(id, id + "-demo");
            }
            String t = i == 0 ? token : Tokens.forUser(id);
            Patient p = new Patient(env, trust, id);
            Patient.Registration reg = p.beginRegistration();
            CardIssuance[] issued = new CardIssuance[1];
            timed(issue, () -> issued[0] = API.registerPatient(t, reg.enrolment().hidI()));
            // One PBKDF2 iteration: the device's password cost is not the server's phase.
            Smartcard c = reg.complete(issued[0], CloudChainParties.pw("pw"), 1, 3);
            timed(key, () -> API.registerPatientKey(t, reg.enrolment().hidI(), reg.patientKey()));
            if (i == 0) {
                patient = p;
                card = c;
            }
        }

        // Authentication step 2 and the contract, against every center in turn.
        Histogram auth = histogram();
        Histogram contract = histogram();
        String hid = null;
        for (int i = 0; i < N; i++) {
            CloudChainParties.Center mc = centers.get(i % CENTERS);
            PatientAuthentication a = patient.authenticate(card, CloudChainParties.pw("pw"), mc.pid());
            CloudChainClient.Authenticated[] r = new CloudChainClient.Authenticated[1];
            timed(auth, () -> r[0] = API.authenticate(token, mc.pid(), a.request()));
            a.acceptResponse(r[0].response());
            hid = org.bouncycastle.util.encoders.Hex.toHexString(a.hid());
            if (i < CENTERS) {
                timed(contract, () -> API.contract(token, mc.pid(), r[0].sessionId(), a.contractUpload()));
            }
        }

        // EHR store (48 KiB FHIR Bundle) and request by one center, then requests by 10 centers at once.
        // 48 KiB: the API refuses bodies over 64 KiB (configure-api-limits.cli), the JSON wrapper included.
        String record = EmrSearchLoadDriver.bundle(patientId, 48 * 1024);
        String h = hid;
        CloudChainParties.Center first = centers.get(0);
        String firstToken = first.token();
        Histogram store = histogram();
        Histogram request = histogram();
        for (int i = 0; i < N; i++) {
            timed(store, () -> API.storeEhr(firstToken, first.pid(), h, record));
        }
        for (int i = 0; i < N; i++) {
            timed(request, () -> assertEquals(record, API.requestEhr(firstToken, first.pid(), h).record()));
        }
        Histogram concurrent = histogram();
        ExecutorService pool = Executors.newFixedThreadPool(CENTERS);
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (CloudChainParties.Center mc : centers) {
                String t = mc.token();
                all.add(pool.submit(() -> {
                    for (int i = 0; i < N / 4; i++) {
                        long t0 = System.nanoTime();
                        assertEquals(record, API.requestEhr(t, mc.pid(), h).record());
                        synchronized (concurrent) {
                            concurrent.recordValue(System.nanoTime() - t0);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "CLOUD-CHAIN server-side phases over HTTP (ms per call; record %d bytes)%n%-44s %6s %7s %7s %7s%n",
                record.length(), "phase", "n", "p50", "p99", "max"));
        row(report, "MC registration (NA: Cert_j, member, KMS_j)", center);
        row(report, "card issuance (NA: x_i, V_i)", issue);
        row(report, "card key PK_i on the ledger (NA)", key);
        row(report, "authentication step 2 (MC)", auth);
        row(report, "contract Sc on the ledger (MC + NA)", contract);
        row(report, "EHR store (MC -> CS, at rest)", store);
        row(report, "EHR request (MC -> CS, access-log first)", request);
        row(report, "EHR request, " + CENTERS + " centers at once", concurrent);
        report.append(String.format(Locale.ROOT, "throughput with %d centers at once: %.1f requests/s%n", CENTERS,
                concurrent.getTotalCount() / seconds));
        Path out = ItConfig.output().resolve("benchmarks/cloud-chain-load.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    static void row(StringBuilder b, String name, Histogram h) {
        b.append(String.format(Locale.ROOT, "%-44s %6d %7.1f %7.1f %7.1f%n", name, h.getTotalCount(), ms(h, 50), ms(h, 99),
                h.getMaxValue() / 1e6));
    }
}
