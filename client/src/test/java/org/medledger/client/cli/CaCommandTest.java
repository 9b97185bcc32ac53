package org.medledger.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.client.pki.AuthorityFiles;
import org.medledger.client.pki.MedicalAuthority;
import org.medledger.protocol.common.CrlStatusSource;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.pki.OcspOutcome;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/** {@code medledger ca …} round trips in a temporary directory, passwords from a fake environment. */
class CaCommandTest {

    private static final String CA_PW = "ca-secret-for-test";
    private static final String KEY_PW = "key-secret-for-test";

    @TempDir
    Path tmp;

    private final Map<String, String> env = Map.of("MEDLEDGER_CA_PASSWORD", CA_PW, "MEDLEDGER_KEY_PASSWORD", KEY_PW);
    private final Clock clock = Clock.systemUTC();

    private record Result(int code, String out, String err) {
        void requireSuccess() {
            assertEquals(0, code, err);
        }
    }

    private Result ca(Map<String, String> environment, CountDownLatch stop, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "ca";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = new MedLedgerCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment::get, clock, stop).run(all);
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(r.out.contains(CA_PW) || r.err.contains(CA_PW) || r.out.contains(KEY_PW) || r.err.contains(KEY_PW),
                "a password was printed");
        return r;
    }

    private Result ca(String... args) {
        return ca(env, new CountDownLatch(1), args);
    }

    private static String serialIn(String output) {
        Matcher m = Pattern.compile("serial\\s+([0-9a-f]+)").matcher(output);
        assertTrue(m.find(), output);
        return m.group(1);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void initIssueRevokeCrlAndListRoundTrip() throws Exception {
        String dir = tmp.resolve("authority").toString();
        ca("init", "--dir", dir, "--ocsp-url", "http://127.0.0.1:18888/", "--crl-url", "http://127.0.0.1:18889/ca.crl")
                .requireSuccess();
        for (String id : new String[] {"D-1", "D-2", "D-3"}) {
            ca("roster", "--dir", dir, "--add", id).requireSuccess();
        }
        assertEquals("rw-------", mode(tmp.resolve("authority/ca.p12")));

        Result issued = ca("issue-doctor", "--dir", dir, "--doctor-id", "D-1", "--key-out", tmp.resolve("d1.p12").toString(),
                "--days", "30");
        issued.requireSuccess();
        assertEquals("rw-------", mode(tmp.resolve("d1.p12")));
        KeyStore d1 = AuthorityFiles.readKeyStore(tmp.resolve("d1.p12"), KEY_PW.toCharArray());
        X509Certificate cert = (X509Certificate) d1.getCertificate("D-1");
        assertEquals(serialIn(issued.out()), cert.getSerialNumber().toString(16));
        assertEquals(URI.create("http://127.0.0.1:18888/"), OcspStatusSource.responderFromAia(cert).orElseThrow());
        X509Certificate caCert = AuthorityFiles.readCertificates(tmp.resolve("authority/ca.pem")).get(0);

        ca("issue-doctor", "--dir", dir, "--doctor-id", "D-2", "--key-out", tmp.resolve("d2.p12").toString()).requireSuccess();
        Result list = ca("list", "--dir", dir);
        list.requireSuccess();
        assertTrue(list.out().matches("(?s).*" + cert.getSerialNumber().toString(16) + ".*D-1.*VALID.*"), list.out());

        Result revoked = ca("revoke", "--dir", dir, "--doctor-id", "D-1", "--reason", "key-compromise");
        revoked.requireSuccess();
        assertTrue(revoked.out().contains("Revoked " + cert.getSerialNumber().toString(16)), revoked.out());
        assertEquals(2, ca("revoke", "--dir", dir, "--serial", cert.getSerialNumber().toString(16)).code(),
                "revoking twice is refused");

        ca("crl", "--dir", dir, "--out", tmp.resolve("ca.crl").toString(), "--hours", "12").requireSuccess();
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(Files.newInputStream(tmp.resolve("ca.crl")));
        crl.verify(caCert.getPublicKey());
        assertTrue(crl.isRevoked(cert));
        assertEquals(1, crl.getRevokedCertificates().size());
        assertEquals(org.medledger.protocol.common.Reason.CERT_REVOKED, org.junit.jupiter.api.Assertions.assertThrows(
                org.medledger.protocol.common.ProtocolException.class, () -> PkixCertificateVerifier.of(caCert,
                        new CrlStatusSource(List.of(crl), clock), clock).requireLegal(cert.getEncoded(), "D-1")).reason());

        // a short-lived CRL (what a frequently re-issuing publisher writes): nextUpdate = thisUpdate + 2 min
        ca("crl", "--dir", dir, "--out", tmp.resolve("short.crl").toString(), "--minutes", "2").requireSuccess();
        X509CRL shortLived = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(Files.newInputStream(tmp.resolve("short.crl")));
        assertEquals(120_000, shortLived.getNextUpdate().getTime() - shortLived.getThisUpdate().getTime());
        assertEquals(1, ca("crl", "--dir", dir, "--out", tmp.resolve("x.crl").toString(), "--minutes", "2", "--hours", "1").code());

        Result after = ca("list", "--dir", dir);
        assertTrue(after.out().contains("REVOKED (key-compromise"), after.out());
        assertTrue(after.out().matches("(?s).*D-2.*VALID.*"), after.out());
    }

    @Test
    void doctorsOwnKeyIsCertifiedFromItsCertificationRequest() throws Exception {
        String dir = tmp.resolve("authority").toString();
        ca("init", "--dir", dir).requireSuccess();
        for (String id : new String[] {"D-1", "D-2", "D-3"}) {
            ca("roster", "--dir", dir, "--add", id).requireSuccess();
        }
        KeyPair own = MedicalAuthority.generateKeyPair(new SecureRandom());
        Files.write(tmp.resolve("d3.csr"), AuthorityFiles.pem(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=whatever"), own.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(own.getPrivate()))));
        ca("issue-doctor", "--dir", dir, "--doctor-id", "D-3", "--csr", tmp.resolve("d3.csr").toString(),
                "--cert-out", tmp.resolve("d3.pem").toString(), "--email", "d3@hospital.example").requireSuccess();
        X509Certificate cert = AuthorityFiles.readCertificates(tmp.resolve("d3.pem")).get(0);
        assertEquals(own.getPublic(), cert.getPublicKey());
        assertEquals("D-3", PkixCertificateVerifier.subjectCommonName(cert));
        assertEquals(List.of(PkixCertificateVerifier.EKU_CLIENT_AUTH), cert.getExtendedKeyUsage());

        ca("issue-doctor", "--dir", dir, "--doctor-id", "D-3", "--csr", tmp.resolve("d3.csr").toString(),
                "--cert-out", tmp.resolve("d3-test.pem").toString(), "--client-auth", "false",
                "--not-before", "2020-01-01T00:00:00Z", "--not-after", "2020-02-01T00:00:00Z").requireSuccess();
        X509Certificate variant = AuthorityFiles.readCertificates(tmp.resolve("d3-test.pem")).get(0);
        assertFalse(variant.getExtendedKeyUsage().contains(PkixCertificateVerifier.EKU_CLIENT_AUTH));
        assertEquals(java.time.Instant.parse("2020-02-01T00:00:00Z"), variant.getNotAfter().toInstant());
        assertEquals(1, ca("issue-doctor", "--dir", dir, "--doctor-id", "D-3", "--csr", tmp.resolve("d3.csr").toString(),
                "--client-auth", "maybe").code());

        Files.write(tmp.resolve("d3.pub.pem"), AuthorityFiles.pem(own.getPublic()));
        ca("issue-doctor", "--dir", dir, "--doctor-id", "D-3", "--public-key", tmp.resolve("d3.pub.pem").toString(),
                "--cert-out", tmp.resolve("d3-pub.pem").toString()).requireSuccess();
        assertEquals(own.getPublic(), AuthorityFiles.readCertificates(tmp.resolve("d3-pub.pem")).get(0).getPublicKey());
        assertEquals(1, ca("issue-doctor", "--dir", dir, "--doctor-id", "D-3", "--csr", tmp.resolve("d3.csr").toString(),
                "--public-key", tmp.resolve("d3.pub.pem").toString()).code(), "one key source only");
    }

    @Test
    void keycloakExportsAreWrittenFromTheCli() throws Exception {
        String dir = tmp.resolve("authority").toString();
        ca("init", "--dir", dir).requireSuccess();
        for (String id : new String[] {"D-1", "D-2", "D-3"}) {
            ca("roster", "--dir", dir, "--add", id).requireSuccess();
        }
        ca("server-cert", "--dir", dir, "--host", "127.0.0.1", "--host", "localhost", "--out",
                tmp.resolve("kc/server.p12").toString()).requireSuccess();
        assertEquals("rw-------", mode(tmp.resolve("kc/server.p12")));
        X509Certificate server = (X509Certificate) AuthorityFiles.readKeyStore(tmp.resolve("kc/server.p12"),
                KEY_PW.toCharArray()).getCertificate("server");
        assertEquals(2, server.getSubjectAlternativeNames().size());
        ca("server-cert", "--dir", dir, "--host", "localhost", "--cert-out", tmp.resolve("kc/tls.crt").toString(),
                "--key-out", tmp.resolve("kc/tls.key").toString()).requireSuccess();
        assertEquals("rw-------", mode(tmp.resolve("kc/tls.key")));
        ca("export-trust", "--dir", dir, "--ca-pem", tmp.resolve("kc/ca.pem").toString(), "--truststore",
                tmp.resolve("kc/truststore.p12").toString()).requireSuccess();
        assertTrue(AuthorityFiles.readKeyStore(tmp.resolve("kc/truststore.p12"), KEY_PW.toCharArray())
                .isCertificateEntry("medical-authority"));
        assertEquals(AuthorityFiles.readCertificates(tmp.resolve("authority/ca.pem")),
                AuthorityFiles.readCertificates(tmp.resolve("kc/ca.pem")));
    }

    @Test
    void aServersOwnKeyIsCertifiedFromItsCertificationRequest() throws Exception {
        String dir = tmp.resolve("authority").toString();
        ca("init", "--dir", dir).requireSuccess();
        KeyPair own = MedicalAuthority.generateKeyPair(new SecureRandom());
        Files.write(tmp.resolve("server.csr"), AuthorityFiles.pem(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=127.0.0.1"), own.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(own.getPrivate()))));
        ca("server-cert", "--dir", dir, "--host", "127.0.0.1", "--host", "localhost", "--csr",
                tmp.resolve("server.csr").toString(), "--cert-out", tmp.resolve("server.pem").toString()).requireSuccess();
        List<X509Certificate> chain = AuthorityFiles.readCertificates(tmp.resolve("server.pem"));
        assertEquals(2, chain.size(), "leaf and CA");
        assertEquals(own.getPublic(), chain.get(0).getPublicKey());
        chain.get(0).verify(chain.get(1).getPublicKey());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), chain.get(0).getExtendedKeyUsage(), "serverAuth");
        assertEquals(2, chain.get(0).getSubjectAlternativeNames().size());

        // a request not signed by its own key is refused; the key never comes with the request
        KeyPair other = MedicalAuthority.generateKeyPair(new SecureRandom());
        Files.write(tmp.resolve("forged.csr"), AuthorityFiles.pem(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=127.0.0.1"), own.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()))));
        assertTrue(ca("server-cert", "--dir", dir, "--host", "127.0.0.1", "--csr", tmp.resolve("forged.csr").toString(),
                "--cert-out", tmp.resolve("forged.pem").toString()).code() != 0);
        assertFalse(Files.exists(tmp.resolve("forged.pem")));
        assertEquals(1, ca("server-cert", "--dir", dir, "--host", "127.0.0.1", "--csr", tmp.resolve("server.csr").toString(),
                "--cert-out", tmp.resolve("x.pem").toString(), "--key-out", tmp.resolve("x.key").toString()).code());
    }

    /** Runs {@code ca ocsp-responder} in a thread until {@code stop} is released; returns its URL. */
    private URI startResponder(Map<String, String> environment, CountDownLatch stop, AtomicInteger code,
                               Thread[] thread, String... extra) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("ca", "ocsp-responder", "--port", "0"));
        args.addAll(List.of(extra));
        String[] withPort = args.toArray(String[]::new);
        thread[0] = new Thread(() -> code.set(new MedLedgerCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment::get, clock, stop).run(withPort)));
        thread[0].start();
        Matcher m = Pattern.compile("listening on (\\S+)").matcher("");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!m.reset(out.toString(StandardCharsets.UTF_8)).find()) {
            assertTrue(System.nanoTime() < deadline && thread[0].isAlive(), "responder did not start: " + out + err);
            Thread.sleep(50);
        }
        return URI.create(m.group(1));
    }

    @Test
    void ocspResponderCommandAnswersUntilStopped() throws Exception {
        String dir = tmp.resolve("authority").toString();
        ca("init", "--dir", dir).requireSuccess();
        for (String id : new String[] {"D-1", "D-2", "D-3"}) {
            ca("roster", "--dir", dir, "--add", id).requireSuccess();
        }
        ca("issue-doctor", "--dir", dir, "--doctor-id", "D-1", "--key-out", tmp.resolve("d1.p12").toString()).requireSuccess();
        X509Certificate cert = (X509Certificate) AuthorityFiles.readKeyStore(tmp.resolve("d1.p12"), KEY_PW.toCharArray())
                .getCertificate("D-1");
        X509Certificate caCert = AuthorityFiles.readCertificates(tmp.resolve("authority/ca.pem")).get(0);

        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger code = new AtomicInteger(-1);
        Thread[] t = new Thread[1];
        URI uri = startResponder(env, stop, code, t, "--dir", dir);
        OcspStatusSource ocsp = OcspStatusSource.builder(clock, new SecureRandom(), HttpOcspTransport.withTimeout(Duration.ofSeconds(3))).responder(uri).build();
        assertEquals(OcspOutcome.GOOD, ocsp.check(cert, caCert));
        ca("revoke", "--dir", dir, "--serial", cert.getSerialNumber().toString(16), "--reason", "superseded").requireSuccess();
        assertEquals(OcspOutcome.REVOKED, ocsp.check(cert, caCert), "a revocation is visible to the running responder at once");
        stop.countDown();
        t[0].join(10_000);
        assertEquals(0, code.get());
        assertEquals(OcspOutcome.RESPONDER_UNREACHABLE, ocsp.check(cert, caCert));
    }

    @Test
    void delegatedResponderRunsWithoutTheCaPassword() throws Exception {
        String dir = tmp.resolve("authority").toString();
        ca("init", "--dir", dir).requireSuccess();
        for (String id : new String[] {"D-1", "D-2", "D-3"}) {
            ca("roster", "--dir", dir, "--add", id).requireSuccess();
        }
        ca("issue-doctor", "--dir", dir, "--doctor-id", "D-1", "--key-out", tmp.resolve("d1.p12").toString()).requireSuccess();
        ca("ocsp-signer", "--dir", dir, "--out", tmp.resolve("responder.p12").toString(), "--days", "7").requireSuccess();
        assertEquals("rw-------", mode(tmp.resolve("responder.p12")));
        X509Certificate cert = (X509Certificate) AuthorityFiles.readKeyStore(tmp.resolve("d1.p12"), KEY_PW.toCharArray())
                .getCertificate("D-1");
        X509Certificate caCert = AuthorityFiles.readCertificates(tmp.resolve("authority/ca.pem")).get(0);

        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger code = new AtomicInteger(-1);
        Thread[] t = new Thread[1];
        URI uri = startResponder(Map.of("MEDLEDGER_KEY_PASSWORD", KEY_PW), stop, code, t, "--dir", dir,
                "--signer", tmp.resolve("responder.p12").toString());
        try {
            OcspStatusSource ocsp = OcspStatusSource.builder(clock, new SecureRandom(), HttpOcspTransport.withTimeout(Duration.ofSeconds(3))).responder(uri).build();
            assertEquals(OcspOutcome.GOOD, ocsp.check(cert, caCert));
            // the answer is signed by the delegated responder key, not by the CA key
            KeyStore responder = AuthorityFiles.readKeyStore(tmp.resolve("responder.p12"), KEY_PW.toCharArray());
            X509Certificate responderCert = (X509Certificate) responder.getCertificate(responder.aliases().nextElement());
            org.bouncycastle.cert.ocsp.BasicOCSPResp answer = rawOcsp(uri, cert, caCert);
            assertTrue(answer.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(responderCert.getPublicKey())), "signed by the delegated responder");
            assertFalse(answer.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                    .build(caCert.getPublicKey())), "not signed by the CA key");
        } finally {
            stop.countDown();
            t[0].join(10_000);
        }
        assertEquals(0, code.get());
    }

    /** The responder's signed answer about {@code cert}, as sent over HTTP. */
    static org.bouncycastle.cert.ocsp.BasicOCSPResp rawOcsp(URI uri, X509Certificate cert, X509Certificate caCert) throws Exception {
        org.bouncycastle.cert.ocsp.CertificateID id = new org.bouncycastle.cert.ocsp.CertificateID(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build()
                        .get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1),
                new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(caCert), cert.getSerialNumber());
        byte[] request = new org.bouncycastle.cert.ocsp.OCSPReqBuilder().addRequest(id).build().getEncoded();
        java.net.http.HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/ocsp-request")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        return (org.bouncycastle.cert.ocsp.BasicOCSPResp) new org.bouncycastle.cert.ocsp.OCSPResp(r.body()).getResponseObject();
    }

    @Test
    void missingPasswordOrBadOptionsAreUsageErrors() throws Exception {
        String dir = tmp.resolve("authority").toString();
        Result noPw = ca(Map.of(), new CountDownLatch(1), "init", "--dir", dir);
        assertEquals(1, noPw.code());
        assertTrue(noPw.err().contains("MEDLEDGER_CA_PASSWORD"), noPw.err());
        assertFalse(Files.exists(tmp.resolve("authority/ca.p12")));
        assertEquals(1, ca("init").code(), "--dir is required");
        assertEquals(1, ca("init", "--dir", dir, "--password", "x").code(), "no password option exists");
        assertEquals(1, ca("bogus", "--dir", dir).code());
        ca("init", "--dir", dir).requireSuccess();
        for (String id : new String[] {"D-1", "D-2", "D-3"}) {
            ca("roster", "--dir", dir, "--add", id).requireSuccess();
        }
        assertEquals(1, ca("issue-doctor", "--dir", dir, "--doctor-id", "D-1").code(), "needs --csr or --key-out");
        assertEquals(1, ca("revoke", "--dir", dir, "--serial", "zz").code());
        assertEquals(1, ca("revoke", "--dir", dir, "--serial", "abc", "--reason", "bored").code());
        assertEquals(4, ca(Map.of("MEDLEDGER_CA_PASSWORD", "wrong"), new CountDownLatch(1), "crl", "--dir", dir,
                "--out", tmp.resolve("x.crl").toString()).code());
        assertEquals(4, ca("init", "--dir", dir).code(), "a second init never overwrites an existing authority");
    }

    @Test
    void doctorCertificatesOnlyForIdsOnTheRoster() throws Exception {
        String dir = tmp.resolve("roster-authority").toString();
        ca("init", "--dir", dir).requireSuccess();
        Result refused = ca("issue-doctor", "--dir", dir, "--doctor-id", "kgc-operator", "--key-out",
                tmp.resolve("op.p12").toString());
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("roster"), refused.err());
        assertTrue(MedicalAuthority.records(Path.of(dir)).isEmpty(), "nothing was issued");
        ca("roster", "--dir", dir, "--add", "dr.alice").requireSuccess();
        ca("issue-doctor", "--dir", dir, "--doctor-id", "dr.alice", "--key-out", tmp.resolve("alice.p12").toString())
                .requireSuccess();
        ca("roster", "--dir", dir, "--remove", "dr.alice").requireSuccess();
        assertEquals(2, ca("issue-doctor", "--dir", dir, "--doctor-id", "dr.alice", "--key-out",
                tmp.resolve("alice2.p12").toString()).code());
    }
}
