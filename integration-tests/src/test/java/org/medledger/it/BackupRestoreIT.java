package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.ReleaseAuthorization;

/**
 * Backup and restore end to end with the operator's commands: {@code bin/backup} of the running
 * test server (H2, or PostgreSQL in the PostgreSQL run), more writes after it, then
 * {@code bin/restore} onto a fresh WildFly unpacked from the distribution (and, on PostgreSQL, a
 * fresh database cluster), started beside the test server (port offset
 * {@link ItConfig#secondServerOffset()}). The restored node
 * opens (verifying its chain against the restored checkpoint), serves exactly the signed tree head
 * of the backup — not the later one — over HTTPS with the restored TLS key and certificate, and takes
 * new registrations (ledger entries) on top of it. Keycloak's database is in the backup too (its H2 file,
 * or in the PostgreSQL run pg_dump of its database on the run's cluster): a user created before the
 * backup and deleted after it logs in again once the test Keycloak is stopped, restored by
 * {@code bin/restore --keycloak-home} (H2) or {@code --keycloak-pg-dir} (PostgreSQL) and started again.
 * The restored node's own outgoing HTTPS calls trust the installation's authority again
 * (configure-tls-certificate.cli, re-installed by {@code bin/restore} from the restored key store): an
 * INTER-HOSPITAL referral set up before the backup (record issued at hospital A, consent for B) is
 * fetched at B on the restored node, whose call to A's holder endpoint goes over HTTPS to its own
 * listener and is refused (503 HOLDER_UNTRUSTED) when only the JVM's default trust is left.
 */
class BackupRestoreIT extends DeployedServer {

    private static final boolean POSTGRESQL = "postgresql".equals(System.getProperty("medledger.it.database"));

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    private static Path root() {
        return Path.of(ItConfig.require("medledger.it.root"));
    }

    private static JsonObject treeHead(String api) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(api + "/ledger/tree-head")).GET());
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r);
    }

    /** A doctor registration: the KGC appends the doctor's membership to the ledger. */
    private static int registerDoctor(String api) throws Exception {
        String id = "dr-backup-" + System.nanoTime();
        return CrlRefreshIT.register(api, id, CrlRefreshIT.doctor(id)).statusCode();
    }

    private static void run(Map<String, String> env, Path log, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + Files.readString(log));
    }

    @Test
    void aBackupRestoredOntoAFreshServerServesItsTreeHeadAndTakesNewWork() throws Exception {
        String api = ItConfig.api();
        assertEquals(201, registerDoctor(api));
        // A hospital user (Keycloak's database) created before the backup.
        String user = "backup-user-" + System.nanoTime();
        String password = "backup-" + java.util.UUID.randomUUID();
        KeycloakAdmin.createUser(user, "patient");
        KeycloakAdmin.setPassword(user, password);
        assertEquals(200, Tokens.passwordGrant("medledger-cli", user, password, null).statusCode());
        // An INTER-HOSPITAL referral ready to be fetched: a record issued at hospital A, the patient's
        // consent for B (its fetch at B happens on the restored node).
        String admin = Tokens.forUser("hospital-admin");
        String hospitalA = EmrAuthParties.unique("bk-hpa");
        String hospitalB = EmrAuthParties.unique("bk-hpb");
        InterHospitalClient ih = InterHospitalServedIT.IH;
        ih.registerHospital(admin, hospitalA);
        ih.registerHospital(admin, hospitalB);
        InterHospitalServedIT.Pat patient = InterHospitalServedIT.patient();
        EmrAuthParties.Medic doctor = EmrAuthParties.doctor();
        String atA = InterHospitalServedIT.visit(patient, hospitalA, new PatientVisit[1], Optional.empty())[0];
        InterHospitalServedIT.consentToTreatment(patient, hospitalA);
        String dx = EmrAuthParties.unique("DX");
        byte[] fhir = EmrAuthParties.fhirBundle(patient.id(), "Otitis media").getBytes(StandardCharsets.UTF_8);
        ih.issueRecord(doctor.token(), hospitalA, atA, dx, fhir);
        InterHospitalServedIT.consentToTreatment(patient, hospitalB);
        Thread.sleep(1500); // H2 writes a commit to its file within half a second
        Path keycloakHome = Path.of(ItConfig.require("medledger.it.keycloak.home"));
        JsonObject atBackup = treeHead(api);
        Path out = ItConfig.output();
        Path archive = out.resolve("backup-it.tar.gz");
        Files.deleteIfExists(archive);
        List<String> backup = new ArrayList<>(List.of("bash", root().resolve("bin/backup").toString(),
                "--jboss-home", ItConfig.require("jboss.home"), "--management", "127.0.0.1:" + ItConfig.require("medledger.it.management.port"), "--api", api,
                "--cacert", ItConfig.tlsCa().toString(), "--keycloak-home", keycloakHome.toString(), "--out", archive.toString()));
        if (POSTGRESQL) {
            backup.addAll(List.of("--pg-dir", ItConfig.require("medledger.it.pg.dir"), "--pg-port", ItConfig.require("medledger.it.pg.port")));
        }
        run(Map.of(), out.resolve("backup-it.log"), backup.toArray(String[]::new));
        assertTrue(Files.size(archive) > 0);
        assertFalse(Files.readString(out.resolve("backup-it.log")).contains(ItConfig.require("medledger.it.secret.credential-store.password")));

        assertTrue(Files.readString(out.resolve("backup-it.log")).contains("with the Keycloak database ("
                + (POSTGRESQL ? "postgres" : "h2") + ")"));

        // Work after the backup: the restore must not have it.
        assertEquals(201, registerDoctor(api));
        assertEquals(204, KeycloakAdmin.send("DELETE", "/users/" + KeycloakAdmin.userId(user), null).statusCode());
        assertNotEquals(200, Tokens.passwordGrant("medledger-cli", user, password, null).statusCode(), "the deleted user cannot log in");
        JsonObject later = treeHead(api);
        assertNotEquals(atBackup.getJsonNumber("treeSize"), later.getJsonNumber("treeSize"));

        // A fresh WildFly from the distribution, and on PostgreSQL a fresh cluster.
        Path fresh = out.resolve("servers-restore");
        ItConfig.deleteTree(fresh);
        Files.createDirectories(fresh);
        run(Map.of(), out.resolve("restore-unzip.log"), "unzip", "-q", ItConfig.require("medledger.it.wildfly.zip"), "-d", fresh.toString());
        Path home;
        try (Stream<Path> s = Files.list(fresh)) {
            home = s.filter(p -> p.getFileName().toString().startsWith("wildfly-")).findFirst().orElseThrow();
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of("MEDLEDGER_CREDENTIAL_STORE_PASSWORD", ItConfig.require("medledger.it.secret.credential-store.password")));
        List<String> restore = new ArrayList<>(List.of("bash", root().resolve("bin/restore").toString(), archive.toString(),
                "--jboss-home", home.toString(), "--keycloak-home", keycloakHome.toString()));
        Path pgDir = out.resolve("it-postgresql-restore");
        int pgPort = ItConfig.secondServerPostgresPort();
        if (POSTGRESQL) {
            ItConfig.deleteTree(pgDir);
            env.put("MEDLEDGER_DB_PASSWORD", "restored-database-password");
            env.put("MEDLEDGER_PG_DRIVER_JAR", ItConfig.require("medledger.it.pg.driver"));
            restore.addAll(List.of("--pg-dir", pgDir.toString(), "--pg-port", Integer.toString(pgPort)));
            // Keycloak's database back into the run's cluster, where the test Keycloak keeps it
            restore.addAll(List.of("--keycloak-pg-dir", ItConfig.require("medledger.it.pg.dir"),
                    "--keycloak-pg-port", ItConfig.require("medledger.it.pg.port")));
        }
        // Keycloak's database goes back to the backup's: the test Keycloak stops for the restore and starts again.
        KeycloakServer.stop();
        try {
            run(env, out.resolve("restore-it.log"), restore.toArray(String[]::new));
        } finally {
            KeycloakServer.restart(Path.of(ItConfig.require("medledger.it.realm")));
        }
        assertEquals(200, Tokens.passwordGrant("medledger-cli", user, password, null).statusCode(),
                "the user created before the backup logs in after the restore");

        Process server = null;
        try {
            if (POSTGRESQL) {
                run(Map.of("MEDLEDGER_DB_PASSWORD", "restored-database-password"), out.resolve("restore-pg.log"), "bash",
                        root().resolve("wildfly-config/postgresql.sh").toString(), "start", pgDir.toString(), Integer.toString(pgPort));
            }
            Files.copy(Path.of(ItConfig.require("medledger.it.ear")), home.resolve("standalone/deployments/medledger.ear"));
            ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/standalone.sh").toString(), "-c", "standalone-medledger.xml",
                    "--stability=community", "-Djboss.socket.binding.port-offset=" + ItConfig.secondServerOffset(), "-b", "127.0.0.1", "-bmanagement", "127.0.0.1")
                    .redirectErrorStream(true).redirectOutput(out.resolve("restored-server.log").toFile());
            pb.environment().put("JAVA_OPTS", "-Xmx512m -Djava.net.preferIPv4Stack=true");
            // HTTPS only with the restored TLS key and the certificate the test authority issued for it
            pb.environment().put("MEDLEDGER_HTTPS_PORT", Integer.toString(8443 + ItConfig.secondServerOffset()));
            if (POSTGRESQL) {
                pb.environment().put("MEDLEDGER_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/medledger");
                pb.environment().put("MEDLEDGER_DB_PASSWORD", "restored-database-password");
            }
            server = pb.start();
            Path deployed = home.resolve("standalone/deployments/medledger.ear.deployed");
            Path failed = home.resolve("standalone/deployments/medledger.ear.failed");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
            while (!Files.exists(deployed)) {
                assertFalse(Files.exists(failed), "the restored deployment failed; see " + home.resolve("standalone/log/server.log"));
                assertTrue(server.isAlive() && Instant.now().isBefore(deadline), "the restored server did not deploy");
                Thread.sleep(1000);
            }
            String restoredApi = "https://127.0.0.1:" + (8443 + ItConfig.secondServerOffset()) + "/api";
            // The node verified its chain on open and serves the backup's signed tree head, not the later one.
            assertEquals(atBackup, treeHead(restoredApi));
            assertTrue(Files.readString(home.resolve("standalone/log/server.log")).contains("open at size " + atBackup.getJsonNumber("treeSize")));
            // Work continues on the restored node.
            assertEquals(201, registerDoctor(restoredApi));
            assertTrue(treeHead(restoredApi).getJsonNumber("treeSize").longValue() > atBackup.getJsonNumber("treeSize").longValue());
            // The referral at B on the restored node: B's call to A's holder endpoint (this node's own HTTPS
            // listener) must trust the installation's authority, as before the backup.
            InterHospitalClient restoredIh = new InterHospitalClient(Http.client(), URI.create(restoredApi), EmrAuthParties.CURVE);
            String patientToken = Tokens.forUser(patient.id());
            ReleaseAuthorization auth = patient.device().authorize(hospitalB, hospitalA, List.of(dx), Duration.ofHours(1));
            PatientVisit visitB = patient.device().visit(hospitalB);
            InterHospitalClient.OpenedVisit opened = restoredIh.openVisit(patientToken, hospitalB, visitB.hello());
            restoredIh.confirmVisit(patientToken, hospitalB, opened.sessionId(),
                    visitB.acceptChallenge(opened.challenge(), InterHospitalServedIT.SYMPTOMS, Optional.of(auth)));
            List<InterHospitalClient.FetchedRecord> fetched = List.of();
            try {
                fetched = restoredIh.fetchReferred(doctor.token(), hospitalB, opened.sessionId());
            } catch (ApiProblem e) {
                fail("the restored node's call to the holding hospital failed: " + e.status() + " " + e.code()
                        + " (its outgoing TLS trust is not configured)");
            }
            assertEquals(1, fetched.size());
            assertArrayEquals(fhir, fetched.get(0).fhirJson());
        } finally {
            if (server != null) {
                List<ProcessHandle> tree = Stream.concat(server.descendants(), Stream.of(server.toHandle())).toList();
                tree.forEach(ProcessHandle::destroy);
                for (ProcessHandle h : tree) {
                    try {
                        h.onExit().get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                }
            }
            if (POSTGRESQL) {
                try {
                    run(Map.of(), out.resolve("restore-pg-stop.log"), "bash", root().resolve("wildfly-config/postgresql.sh").toString(), "stop",
                            pgDir.toString());
                } catch (IOException | AssertionError e) {
                    // reported by the assertion that failed first
                }
            }
        }
    }
}
