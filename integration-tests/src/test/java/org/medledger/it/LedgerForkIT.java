package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.medledger.it.probe.LedgerProbeServlet;

/**
 * The ledger node inside WildFly when its store is written behind its back. A doctor whose KGC
 * record was lost after the ledger commit registers again (the ledger member is adopted, not
 * refused). A block appended by another writer is a fork: the ledger's FORK crosses the EJB
 * boundary as itself, the producer stops, and later ledger writes are refused as closed.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerForkIT {

    @Deployment(name = "medledger", testable = false, order = 1)
    static EnterpriseArchive deployment() {
        return Deployments.medledgerEar();
    }

    @Deployment(name = "probe", testable = false, order = 2)
    static WebArchive probe() {
        return ShrinkWrap.create(WebArchive.class, "ledger-probe.war").addClass(LedgerProbeServlet.class);
    }

    @BeforeAll
    static void servers() {
        KeycloakServer.ensureStarted();
    }

    private static HttpResponse<String> probe(String query) {
        String base = ItConfig.api().replaceFirst("(https?://[^/]+).*", "$1");
        return Http.send(HttpRequest.newBuilder(URI.create(base + "/ledger-probe/probe?" + query)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static DoctorCertificateIT.Credentials doctor(String id) throws Exception {
        KeyPair keys = org.medledger.client.pki.MedicalAuthority.generateKeyPair(new SecureRandom());
        Instant now = Instant.now();
        X509Certificate cert = ItPki.authority().issueDoctor(org.medledger.client.pki.DoctorCertificateRequest.of(id, keys.getPublic(),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1))));
        return new DoctorCertificateIT.Credentials(keys.getPrivate(), cert, new X509Certificate[] {cert, ItPki.authority().certificate()});
    }

    private static HttpResponse<String> register(String id, DoctorCertificateIT.Credentials c) throws Exception {
        return Http.postJson(DoctorCertificateIT.PATH, Tokens.forUser("kgc-operator"),
                DoctorCertificateIT.registrationBody(id, c, c.privateKey(), Instant.now()));
    }

    private static long treeSize() {
        HttpResponse<String> r = Http.get("/ledger/tree-head", null);
        assertEquals(200, r.statusCode(), r.body());
        return Http.json(r).getJsonNumber("treeSize").longValue();
    }

    @Test
    @Order(1)
    void aRegistrationWhoseKgcRecordWasLostAfterTheLedgerCommitCompletesOnRetry() throws Exception {
        DoctorCertificateIT.Credentials c = doctor("dr-adopted");
        HttpResponse<String> first = register("dr-adopted", c);
        assertEquals(201, first.statusCode(), first.body());
        long size = treeSize();
        assertEquals("1", probe("op=forget-doctor&id=dr-adopted").body());
        HttpResponse<String> again = register("dr-adopted", c);
        assertEquals(201, again.statusCode(), again.body());
        assertEquals(size, treeSize(), "the member on the ledger was adopted, not registered twice");
    }

    @Test
    @Order(2)
    void aBlockFromAnotherWriterStopsTheProducer() throws Exception {
        long size = treeSize();
        assertEquals("1", probe("op=fork").body());
        try {
            HttpResponse<String> forked = register("dr-fork", doctor("dr-fork"));
            KgcRegistrationIT.assertProblem(forked, 503, "LEDGER_FORK");
            HttpResponse<String> after = register("dr-after", doctor("dr-after"));
            KgcRegistrationIT.assertProblem(after, 503, "LEDGER_CLOSED");
            // a node that stopped producing is not ready (nor live): the operator must look at the ledger
            HealthIT.assertReadiness(503, "ledger", "DOWN");
            assertEquals(size, treeSize(), "nothing was appended after the foreign block");
        } finally {
            // The next test class deploys anew and its node verifies the chain on open.
            assertTrue(probe("op=unfork").statusCode() == 200);
        }
    }
}
