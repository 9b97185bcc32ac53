package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The CRL stays current while the authority publishes: {@code bin/publish-crl} (what bin/run runs
 * beside the servers) re-issues a CRL valid one minute every 15 s into the files WildFly and
 * Keycloak read. Across several re-issues, past the first CRL's nextUpdate, the KGC's Cert_D checks
 * and doctors' certificate logins keep working; once the publisher stops and its last CRL passes
 * nextUpdate, the KGC refuses Cert_D (fail closed). The day-long CRL is put back afterwards.
 */
class CrlRefreshIT extends DeployedServer {

    /** Credentials of a new doctor {@code id}: a fresh key pair certified by the test authority for a day. */
    static DoctorCertificateIT.Credentials doctor(String id) throws Exception {
        KeyPair keys = org.medledger.client.pki.MedicalAuthority.generateKeyPair(new SecureRandom());
        Instant now = Instant.now();
        X509Certificate cert = ItPki.authority().issueDoctor(org.medledger.client.pki.DoctorCertificateRequest.of(id, keys.getPublic(),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))));
        return new DoctorCertificateIT.Credentials(keys.getPrivate(), cert, new X509Certificate[] {cert, ItPki.authority().certificate()});
    }

    private static java.net.http.HttpResponse<String> register(String id, DoctorCertificateIT.Credentials c) throws Exception {
        return register(ItConfig.api(), id, c);
    }

    /** Registers doctor {@code id} with the KGC of the API at {@code api} (a ledger entry), as the KGC operator. */
    static java.net.http.HttpResponse<String> register(String api, String id, DoctorCertificateIT.Credentials c) throws Exception {
        return Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + DoctorCertificateIT.PATH))
                .header("Authorization", "Bearer " + Tokens.forUser("kgc-operator"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        DoctorCertificateIT.registrationBody(id, c, c.privateKey(), Instant.now()))));
    }

    private static X509CRL published() throws Exception {
        try (InputStream in = Files.newInputStream(ItPki.crl())) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }

    private static Process publisher() throws IOException {
        Path root = Path.of(ItConfig.require("medledger.it.root"));
        Path keycloakCrl = Path.of(ItConfig.require("medledger.it.keycloak.home"), "conf", "medledger-ma.crl");
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/publish-crl").toString(),
                "--dir", ItPki.dir().resolve("authority").toString(), "--out", ItPki.crl().toString(),
                "--copy", keycloakCrl.toString(), "--minutes", "1", "--every", "15")
                .redirectErrorStream(true).redirectOutput(ItConfig.output().resolve("publish-crl.log").toFile());
        pb.environment().put("MEDLEDGER_CA_PASSWORD", new String(ItPki.PASSWORD));
        return pb.start();
    }

    private static void stop(Process p) {
        List<ProcessHandle> tree = Stream.concat(p.descendants(), Stream.of(p.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        tree.forEach(h -> h.onExit().join());
    }

    @Test
    void doctorsKeepWorkingAcrossReissuesAndAreRefusedWhenPublishingStops() throws Exception {
        ItPki.authority();
        Process publisher = publisher();
        try {
            // the first short-lived CRL is in place
            Instant until = Instant.now().plusSeconds(30);
            while (published().getNextUpdate().getTime() - published().getThisUpdate().getTime() != 60_000) {
                assertTrue(Instant.now().isBefore(until), "the publisher did not publish");
                Thread.sleep(500);
            }
            X509CRL first = published();
            Set<Long> issues = new HashSet<>();
            List<String> outcomes = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                X509CRL now = published();
                issues.add(now.getThisUpdate().getTime());
                String id = "dr-crl-" + round + "-" + System.nanoTime();
                DoctorCertificateIT.Credentials c = doctor(id);
                var r = register(id, c);
                assertEquals(201, r.statusCode(), "round " + round + ": " + r.body());
                if (round % 2 == 1) {
                    // the realm's demo doctor logs in with a new certificate of the authority
                    DoctorCertificateIT.Credentials demo = doctor("doctor");
                    DoctorLogin.Outcome login = DoctorLogin.login(demo.privateKey(), demo.chain());
                    assertTrue(login.succeeded(), "round " + round + ": " + login.body());
                }
                outcomes.add(id);
                Thread.sleep(18_000);
            }
            assertTrue(Instant.now().isAfter(first.getNextUpdate().toInstant()),
                    "the checks ran past the first CRL's nextUpdate");
            assertTrue(issues.size() >= 4, "several re-issues were used: " + issues.size());
            assertEquals(6, outcomes.size());

            stop(publisher);
            X509CRL last = published();
            long wait = last.getNextUpdate().getTime() - System.currentTimeMillis() + 2_000;
            if (wait > 0) {
                Thread.sleep(wait);
            }
            DoctorCertificateIT.Credentials late = doctor("dr-crl-late");
            KgcRegistrationIT.assertProblem(register("dr-crl-late", late), 503, "CERT_STATUS_UNKNOWN");
        } finally {
            stop(publisher);
            ItPki.publishCrl();
        }
    }
}
