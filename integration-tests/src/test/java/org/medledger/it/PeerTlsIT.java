package org.medledger.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.client.ApiProblem;
import org.medledger.client.interhospital.InterHospitalClient;
import org.medledger.client.pki.AuthoritySettings;
import org.medledger.client.pki.MedicalAuthority;
import org.medledger.protocol.interhospital.PatientVisit;
import org.medledger.protocol.interhospital.ReleaseAuthorization;

/**
 * The server's own TLS calls to other nodes trust the installation's authority and nothing else
 * (configure-tls-certificate.cli: Elytron's default SSL context, used by OutboundHttp). An
 * INTER-HOSPITAL holder reached at an address that presents a certificate from another authority
 * (for the right host name) gets no request: hospital B's fetch fails closed with 503
 * HOLDER_UNTRUSTED and nothing is written; the same referral through the holder's real address,
 * this server's own HTTPS listener with its certificate from the installation's authority, then
 * succeeds.
 */
class PeerTlsIT extends DeployedServer {

    private static final char[] ROGUE_PASSWORD = "rogue-tls-authority".toCharArray();
    private static final InterHospitalClient IH = InterHospitalServedIT.IH;

    @ArquillianResource
    ManagementClient management;

    @BeforeAll
    static void servers() throws Exception {
        ItPki.startResponder();
    }

    @Test
    void aHoldingHospitalPresentingACertificateFromAnotherAuthorityGetsNoRequest() throws Exception {
        String admin = Tokens.forUser("hospital-admin");
        String a = EmrAuthParties.unique("tls-hpa");
        String b = EmrAuthParties.unique("tls-hpb");
        IH.registerHospital(admin, a);
        IH.registerHospital(admin, b);
        InterHospitalServedIT.Pat p = InterHospitalServedIT.patient();
        String d = EmrAuthParties.doctor().token();
        PatientVisit[] v = new PatientVisit[1];
        String sa = InterHospitalServedIT.visit(p, a, v, Optional.empty())[0];
        InterHospitalServedIT.consentToTreatment(p, a);
        String dx = EmrAuthParties.unique("DX");
        byte[] fhir = EmrAuthParties.fhirBundle(p.id(), "Otitis media").getBytes(StandardCharsets.UTF_8);
        IH.issueRecord(d, a, sa, dx, fhir);
        InterHospitalServedIT.consentToTreatment(p, b);

        AtomicInteger reached = new AtomicInteger();
        HttpsServer rogue = rogueServer(reached);
        String property = "medledger.interhospital.peer." + a;
        try {
            setSystemProperty(property, "https://127.0.0.1:" + rogue.getAddress().getPort() + "/api");
            long size = InterHospitalServedIT.treeSize();
            ReleaseAuthorization auth = p.device().authorize(b, a, List.of(dx), Duration.ofHours(1));
            String sb = InterHospitalServedIT.visit(p, b, new PatientVisit[1], Optional.of(auth))[0];
            ApiProblem refused = assertThrows(ApiProblem.class, () -> IH.fetchReferred(d, b, sb));
            assertEquals(503, refused.status(), refused.getMessage());
            assertEquals("HOLDER_UNTRUSTED", refused.code(), refused.getMessage());
            assertEquals(0, reached.get(), "a request reached the server with the foreign certificate");
            assertEquals(size, InterHospitalServedIT.treeSize(), "the refused transfer wrote to the ledger");
            assertEquals(List.of(), InterHospitalServedIT.accesses(p));
        } finally {
            removeSystemProperty(property);
            rogue.stop(0);
        }

        // The holder's real address: this server's HTTPS listener, certified by the installation's authority.
        ReleaseAuthorization auth = p.device().authorize(b, a, List.of(dx), Duration.ofHours(1));
        String sb = InterHospitalServedIT.visit(p, b, new PatientVisit[1], Optional.of(auth))[0];
        List<InterHospitalClient.FetchedRecord> got = IH.fetchReferred(d, b, sb);
        assertEquals(1, got.size());
        assertArrayEquals(fhir, got.get(0).fhirJson());
        assertEquals(1, InterHospitalServedIT.accesses(p).size());
    }

    /** An HTTPS server on loopback whose certificate (for 127.0.0.1) a fresh authority of its own issued. */
    static HttpsServer rogueServer(AtomicInteger reached) throws Exception {
        Path dir = ItConfig.output().resolve("rogue-tls-authority");
        ItConfig.deleteTree(dir);
        MedicalAuthority authority = MedicalAuthority.create(dir,
                AuthoritySettings.defaults().withSubject("CN=MedLedger Test TLS Authority", "MedLedger"),
                ROGUE_PASSWORD.clone(), Clock.systemUTC(), new SecureRandom());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        X509Certificate leaf = authority.issueServerCertificate(List.of("127.0.0.1", "localhost"), key.getPublic(), Duration.ofDays(1));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("rogue", key.getPrivate(), ROGUE_PASSWORD, new Certificate[] {leaf, authority.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, ROGUE_PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", exchange -> {
            reached.incrementAndGet();
            byte[] body = "{\"code\":\"ROGUE\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(409, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        assertTrue(Files.isDirectory(dir));
        return server;
    }

    private void setSystemProperty(String name, String value) throws Exception {
        ModelNode op = new ModelNode();
        op.get("operation").set("add");
        op.get("address").add("system-property", name);
        op.get("value").set(value);
        ModelNode result = management.getControllerClient().execute(op);
        assertEquals("success", result.get("outcome").asString(), result.toString());
    }

    private void removeSystemProperty(String name) throws Exception {
        ModelNode op = new ModelNode();
        op.get("operation").set("remove");
        op.get("address").add("system-property", name);
        management.getControllerClient().execute(op);
    }
}
