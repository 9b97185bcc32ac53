package org.medledger.client.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.client.pki.PkiFixtures.NOW;
import static org.medledger.client.pki.PkiFixtures.PASSWORD;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.pki.DoctorRole;

/** The authority's files, index, CRLs and the exports Keycloak and WildFly consume. */
class MedicalAuthorityTest {

    private final Clock clock = PkiFixtures.clockAt(NOW);
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void newAuthorityIsASelfSignedEcCaStoredWithOwnerOnlyKeyStore() throws Exception {
        MedicalAuthority ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        X509Certificate cert = ca.certificate();
        cert.verify(cert.getPublicKey());
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertEquals(0, cert.getBasicConstraints());
        assertTrue(cert.getKeyUsage()[5] && cert.getKeyUsage()[6], "keyCertSign and cRLSign");
        assertEquals(new X500Principal("CN=Medical Authority,O=MedLedger Test"), cert.getSubjectX500Principal());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.p12"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))));
        assertEquals(cert, AuthorityFiles.readCertificates(dir.resolve("ca/ca.pem")).get(0));
    }

    @Test
    void authorityRefusesToOverwriteAnExistingOne() throws Exception {
        PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        assertThrows(IOException.class, () -> PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock));
    }

    @Test
    void reopenedAuthorityKeepsItsKeyAndIndex() throws Exception {
        MedicalAuthority ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        X509Certificate d1 = ca.issueDoctor("D-1", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(1));
        MedicalAuthority again = MedicalAuthority.open(dir.resolve("ca"), PASSWORD, clock, random);
        assertEquals(ca.certificate(), again.certificate());
        X509Certificate d2 = again.issueDoctor("D-2", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(1));
        d2.verify(ca.certificate().getPublicKey());
        List<CertificateRecord> records = MedicalAuthority.records(dir.resolve("ca"));
        assertEquals(List.of(d1.getSerialNumber(), d2.getSerialNumber()), records.stream().map(CertificateRecord::serial).toList());
        assertEquals("D-2", records.get(1).subjectId());
        assertEquals(CertificateProfile.DOCTOR, records.get(1).profile());
        assertEquals(d2, AuthorityFiles.readCertificates(dir.resolve("ca/issued/" + d2.getSerialNumber().toString(16) + ".pem")).get(0));
    }

    @Test
    void wrongPasswordIsRefusedWithoutEchoingIt() throws Exception {
        PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        IOException e = assertThrows(IOException.class,
                () -> MedicalAuthority.open(dir.resolve("ca"), "guess-123".toCharArray(), clock, random));
        assertFalse(e.getMessage().contains("guess-123"));
    }

    @Test
    void revocationIsRecordedAndPublishedInNumberedCrlsWithReasons() throws Exception {
        MedicalAuthority ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        X509Certificate d1 = ca.issueDoctor("D-1", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(1));
        X509Certificate d2 = ca.issueDoctor("D-2", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(1));
        X509CRL first = ca.publishCrl(Duration.ofHours(12), dir.resolve("ca.crl"));
        assertTrue(first.getRevokedCertificates() == null || first.getRevokedCertificates().isEmpty());

        CertificateRecord r = ca.revoke(d1.getSerialNumber(), RevocationReason.KEY_COMPROMISE, NOW);
        assertTrue(r.isRevoked());
        assertThrows(IllegalStateException.class, () -> ca.revoke(d1.getSerialNumber(), RevocationReason.SUPERSEDED, NOW));
        assertThrows(IllegalArgumentException.class, () -> ca.revoke(BigInteger.TEN, RevocationReason.SUPERSEDED, NOW));

        X509CRL second = ca.publishCrl(Duration.ofHours(12), dir.resolve("ca.crl.pem"));
        second.verify(ca.certificate().getPublicKey());
        assertEquals(NOW.plus(Duration.ofHours(12)), second.getNextUpdate().toInstant());
        assertTrue(second.isRevoked(d1));
        assertFalse(second.isRevoked(d2));
        X509CRLEntry entry = second.getRevokedCertificate(d1.getSerialNumber());
        assertEquals(java.security.cert.CRLReason.KEY_COMPROMISE, entry.getRevocationReason());
        assertEquals(BigInteger.ONE.add(BigInteger.ONE), crlNumber(second));
        assertEquals(BigInteger.ONE, crlNumber(first));
        assertTrue(Files.readString(dir.resolve("ca.crl.pem")).startsWith("-----BEGIN X509 CRL-----"));
        assertEquals(second, java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(Files.newInputStream(dir.resolve("ca.crl.pem"))));
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }

    @Test
    void doctorKeyFromACertificationRequestIsCertifiedOnlyIfTheRequestIsSignedByIt() throws Exception {
        MedicalAuthority ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        KeyPair doctor = MedicalAuthority.generateKeyPair(random);
        var csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=D-1"), doctor.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(doctor.getPrivate()));
        Files.write(dir.resolve("d1.csr"), AuthorityFiles.pem(csr));
        assertEquals(doctor.getPublic(), MedicalAuthority.publicKeyFromCertificationRequest(dir.resolve("d1.csr")));

        KeyPair other = MedicalAuthority.generateKeyPair(random);
        var forged = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=D-1"), doctor.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
        Files.write(dir.resolve("forged.csr"), AuthorityFiles.pem(forged));
        assertThrows(IOException.class, () -> MedicalAuthority.publicKeyFromCertificationRequest(dir.resolve("forged.csr")));
    }

    @Test
    void generatedDoctorKeyStoreHoldsKeyAndChainAndIsOwnerOnly() throws Exception {
        MedicalAuthority ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        IssuedCredentials d = ca.issueDoctorWithNewKey("D-1", Duration.ofDays(1));
        char[] pw = "doctor-pw".toCharArray();
        d.writePkcs12(dir.resolve("d1.p12"), "D-1", pw);
        KeyStore ks = AuthorityFiles.readKeyStore(dir.resolve("d1.p12"), pw);
        assertNotNull(ks.getKey("D-1", pw));
        assertEquals(2, ks.getCertificateChain("D-1").length);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("d1.p12"))));
        assertFalse(d.toString().contains("PRIVATE"));
        assertTrue(DoctorRole.isPresentIn(d.certificate()));
    }

    @Test
    void keycloakExportsCarryTheAuthority() throws Exception {
        MedicalAuthority ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        ca.exportCaPem(dir.resolve("out/ca.pem"));
        ca.exportTrustStore(dir.resolve("out/truststore.p12"), "trust-pw".toCharArray());
        assertEquals(List.of(ca.certificate()), AuthorityFiles.readCertificates(dir.resolve("out/ca.pem")));
        KeyStore ts = AuthorityFiles.readKeyStore(dir.resolve("out/truststore.p12"), "trust-pw".toCharArray());
        assertTrue(ts.isCertificateEntry("medical-authority"));
        assertEquals(ca.certificate(), ts.getCertificate("medical-authority"));

        IssuedCredentials tls = ca.issueServerCredentials(List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        tls.writePem(dir.resolve("out/server.crt.pem"), dir.resolve("out/server.key.pem"));
        assertTrue(Files.readString(dir.resolve("out/server.key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("out/server.key.pem"))));
        assertEquals(2, AuthorityFiles.readCertificates(dir.resolve("out/server.crt.pem")).size());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), tls.certificate().getExtendedKeyUsage());
    }

    /**
     * What Keycloak does with {@code https-client-auth=request}: TLS with the exported server
     * key, the doctor presenting the p12 the tooling wrote, the server trusting the exported
     * trust store; the client checks the server name against the SAN {@code 127.0.0.1}.
     */
    @Test
    void exportedServerKeyAndTrustStoreCarryAMutualTlsHandshake() throws Exception {
        MedicalAuthority ca = MedicalAuthority.create(dir.resolve("ca"), AuthoritySettings.defaults(), PASSWORD,
                Clock.systemUTC(), random);
        char[] pw = "pw-for-test".toCharArray();
        ca.issueServerCredentials(List.of("127.0.0.1", "localhost"), Duration.ofDays(1))
                .writePkcs12(dir.resolve("server.p12"), "server", pw);
        ca.exportTrustStore(dir.resolve("truststore.p12"), pw);
        ca.issueDoctorWithNewKey("dr.bob", Duration.ofDays(1)).writePkcs12(dir.resolve("bob.p12"), "dr.bob", pw);

        SSLContext serverTls = tls(dir.resolve("server.p12"), dir.resolve("truststore.p12"), pw);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = serverTls.getDefaultSSLParameters();
                p.setWantClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", ex -> {
            String who;
            try {
                who = ((X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                who = "anonymous";
            }
            byte[] b = who.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpClient doctor = HttpClient.newBuilder().sslContext(tls(dir.resolve("bob.p12"), dir.resolve("truststore.p12"), pw)).build();
            String who = doctor.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertEquals("CN=dr.bob,OU=doctor,O=MedLedger", who);
            HttpClient nobody = HttpClient.newBuilder().sslContext(tls(null, dir.resolve("truststore.p12"), pw)).build();
            assertEquals("anonymous", nobody.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            server.stop(0);
        }
    }

    private static SSLContext tls(Path keyStore, Path trustStore, char[] pw) throws Exception {
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(AuthorityFiles.readKeyStore(keyStore, pw), pw);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(AuthorityFiles.readKeyStore(trustStore, pw));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    @Test
    void revocationReasonsParseFromCliSpellings() {
        assertEquals(RevocationReason.KEY_COMPROMISE, RevocationReason.parse("key-compromise"));
        assertEquals(RevocationReason.KEY_COMPROMISE, RevocationReason.parse("keyCompromise"));
        assertEquals(RevocationReason.CESSATION_OF_OPERATION, RevocationReason.parse("CESSATION_OF_OPERATION"));
        assertThrows(IllegalArgumentException.class, () -> RevocationReason.parse("bored"));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 9},
                java.util.Arrays.stream(RevocationReason.values()).mapToInt(RevocationReason::code).toArray());
    }
}
