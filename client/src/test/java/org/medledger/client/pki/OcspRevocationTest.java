package org.medledger.client.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.medledger.client.pki.PkiFixtures.NOW;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CrlStatusSource;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pki.CompositeStatusSource;
import org.medledger.protocol.pki.OcspOutcome;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;
import org.medledger.protocol.pki.OcspTransport;

/**
 * {@code Cert_D} revocation end to end: certificates from {@link MedicalAuthority}, checked
 * by {@link PkixCertificateVerifier} with {@link OcspStatusSource} against a running
 * {@link OcspResponder} (over HTTP on 127.0.0.1), or with a published CRL.
 */
class OcspRevocationTest {

    private final Clock clock = PkiFixtures.clockAt(NOW);
    private final SecureRandom random = new SecureRandom();
    private final HttpOcspTransport http = HttpOcspTransport.withTimeout(Duration.ofSeconds(2));

    @TempDir
    Path dir;

    private MedicalAuthority ca;
    private OcspResponder responder;
    private X509Certificate doctor;

    @BeforeEach
    void setUp() throws IOException {
        ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        responder = OcspResponder.start(ca, new InetSocketAddress("127.0.0.1", 0), clock);
        doctor = ca.issueDoctor("D-1", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(30));
    }

    @AfterEach
    void tearDown() {
        responder.close();
    }

    private OcspStatusSource ocsp(OcspTransport transport) {
        return OcspStatusSource.builder(clock, random, transport).responder(responder.uri()).build();
    }

    private OcspStatusSource ocsp() {
        return ocsp(http);
    }

    private PkixCertificateVerifier verifier(CertificateStatusSource status) {
        return PkixCertificateVerifier.of(ca.certificate(), status, clock);
    }

    private static Reason reasonFor(PkixCertificateVerifier v, X509Certificate c, String id) {
        return assertThrows(ProtocolException.class, () -> v.requireLegal(c.getEncoded(), id)).reason();
    }

    @Test
    void issuedDoctorCertificateIsAcceptedWithOcspFromTheRunningResponder() throws Exception {
        verifier(ocsp()).requireLegal(doctor.getEncoded(), "D-1");
        assertEquals(OcspOutcome.GOOD, ocsp().check(doctor, ca.certificate()));
    }

    @Test
    void responderIsFoundThroughTheCertificatesAuthorityInformationAccess() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        MedicalAuthority withAia = MedicalAuthority.create(dir.resolve("aia"),
                AuthoritySettings.defaults().withOcspUrl(url), PkiFixtures.PASSWORD, clock, random);
        X509Certificate cert = withAia.issueDoctor("D-7", MedicalAuthority.generateKeyPair(random).getPublic(),
                Duration.ofDays(1));
        assertEquals(url, OcspStatusSource.responderFromAia(cert).orElseThrow());
        try (OcspResponder r = OcspResponder.start(withAia, new InetSocketAddress("127.0.0.1", port), clock)) {
            OcspStatusSource viaAia = OcspStatusSource.builder(clock, random, http).build();
            PkixCertificateVerifier.of(withAia.certificate(), viaAia, clock).requireLegal(cert.getEncoded(), "D-7");
        }
    }

    @Test
    void certificateWithoutAnyResponderUriIsUnknown() {
        OcspStatusSource noUri = OcspStatusSource.builder(clock, random, http).build();
        assertEquals(OcspOutcome.NO_RESPONDER_URI, noUri.check(doctor, ca.certificate()));
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier(noUri), doctor, "D-1"));
    }

    @Test
    void certificateRevokedAtTheAuthorityIsRejectedByOcspAtOnce() throws Exception {
        verifier(ocsp()).requireLegal(doctor.getEncoded(), "D-1");
        ca.revoke(doctor.getSerialNumber(), RevocationReason.KEY_COMPROMISE, NOW);
        assertEquals(OcspOutcome.REVOKED, ocsp().check(doctor, ca.certificate()));
        assertEquals(Reason.CERT_REVOKED, reasonFor(verifier(ocsp()), doctor, "D-1"));
    }

    @Test
    void certificateRevokedThroughThePublishedCrlIsRejected() throws Exception {
        X509Certificate other = ca.issueDoctor("D-2", MedicalAuthority.generateKeyPair(random).getPublic(),
                Duration.ofDays(30));
        ca.revokeDoctor("D-1", RevocationReason.PRIVILEGE_WITHDRAWN, NOW);
        CrlStatusSource crl = new CrlStatusSource(List.of(ca.publishCrl(Duration.ofDays(1), dir.resolve("ca.crl"))), clock);
        assertEquals(Reason.CERT_REVOKED, reasonFor(verifier(crl), doctor, "D-1"));
        verifier(crl).requireLegal(other.getEncoded(), "D-2");
    }

    @Test
    void responderDownFailsClosed() {
        responder.close();
        assertEquals(OcspOutcome.RESPONDER_UNREACHABLE, ocsp().check(doctor, ca.certificate()));
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier(ocsp()), doctor, "D-1"));
    }

    @Test
    void responseSignedByAnotherAuthorityIsUnknown() throws Exception {
        MedicalAuthority rogue = PkiFixtures.authority(dir.resolve("rogue"), "Rogue Authority", clock);
        try (OcspResponder forged = OcspResponder.start(ca, rogue.ocspSigner(), new InetSocketAddress("127.0.0.1", 0),
                clock, Duration.ofMinutes(10))) {
            OcspStatusSource s = OcspStatusSource.builder(clock, random, http).responder(forged.uri()).build();
            assertEquals(OcspOutcome.UNTRUSTED_SIGNER, s.check(doctor, ca.certificate()));
            assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier(s), doctor, "D-1"));
        }
    }

    @Test
    void responseWithACorruptedSignatureIsUnknown() {
        OcspStatusSource s = ocsp((uri, req) -> {
            byte[] resp = http.exchange(uri, req);
            resp[resp.length - 3] ^= 0x01; // inside the ECDSA signature, the last field of the response
            return resp;
        });
        OcspOutcome outcome = s.check(doctor, ca.certificate());
        assertEquals(CertificateStatusSource.Status.UNKNOWN, outcome.status(), outcome.name());
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier(s), doctor, "D-1"));
    }

    @Test
    void delegatedResponderWithOcspSigningIsAccepted() throws Exception {
        try (OcspResponder delegated = OcspResponder.start(ca, ca.issueOcspResponder(Duration.ofDays(7)),
                new InetSocketAddress("127.0.0.1", 0), clock, Duration.ofMinutes(10))) {
            OcspStatusSource s = OcspStatusSource.builder(clock, random, http).responder(delegated.uri()).build();
            verifier(s).requireLegal(doctor.getEncoded(), "D-1");
        }
    }

    @Test
    void responderCertificateWithoutOcspSigningIsNotTrusted() throws Exception {
        IssuedCredentials notAResponder = ca.issueDoctorWithNewKey("D-5", Duration.ofDays(7));
        OcspSigner impostor = OcspSigner.delegated(notAResponder.privateKey(), notAResponder.certificate());
        try (OcspResponder r = OcspResponder.start(ca, impostor, new InetSocketAddress("127.0.0.1", 0), clock,
                Duration.ofMinutes(10))) {
            OcspStatusSource s = OcspStatusSource.builder(clock, random, http).responder(r.uri()).build();
            assertEquals(OcspOutcome.UNTRUSTED_SIGNER, s.check(doctor, ca.certificate()));
        }
    }

    @Test
    void nonceMismatchIsUnknown() {
        OcspStatusSource s = ocsp((uri, req) -> {
            try {
                return http.exchange(uri, PkiFixtures.withOtherNonce(req));
            } catch (org.bouncycastle.cert.ocsp.OCSPException e) {
                throw new IOException(e);
            }
        });
        assertEquals(OcspOutcome.NONCE_MISMATCH, s.check(doctor, ca.certificate()));
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier(s), doctor, "D-1"));
    }

    @Test
    void responseWithoutNonceIsUnknown() {
        OcspStatusSource s = ocsp((uri, req) -> {
            try {
                return http.exchange(uri, PkiFixtures.withoutNonce(req));
            } catch (org.bouncycastle.cert.ocsp.OCSPException e) {
                throw new IOException(e);
            }
        });
        assertEquals(OcspOutcome.NONCE_MISMATCH, s.check(doctor, ca.certificate()));
    }

    @Test
    void goodAnswerForAnotherCertificateDoesNotVouchForThisOne() throws Exception {
        X509Certificate other = ca.issueDoctor("D-2", MedicalAuthority.generateKeyPair(random).getPublic(),
                Duration.ofDays(30));
        ca.revoke(doctor.getSerialNumber(), RevocationReason.KEY_COMPROMISE, NOW);
        OcspStatusSource s = ocsp((uri, req) -> {
            try {
                return http.exchange(uri, PkiFixtures.forSerial(req, other.getSerialNumber()));
            } catch (org.bouncycastle.cert.ocsp.OCSPException e) {
                throw new IOException(e);
            }
        });
        assertEquals(OcspOutcome.NO_MATCHING_RESPONSE, s.check(doctor, ca.certificate()));
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier(s), doctor, "D-1"));
    }

    @Test
    void staleResponseIsUnknown() {
        Clock later = PkiFixtures.clockAt(NOW.plus(Duration.ofHours(1)));
        OcspStatusSource s = OcspStatusSource.builder(later, random, http).responder(responder.uri()).build();
        assertEquals(OcspOutcome.NOT_FRESH, s.check(doctor, ca.certificate()));
    }

    @Test
    void responseFromTheFutureIsUnknown() {
        Clock earlier = PkiFixtures.clockAt(NOW.minus(Duration.ofHours(1)));
        OcspStatusSource s = OcspStatusSource.builder(earlier, random, http).responder(responder.uri()).build();
        assertEquals(OcspOutcome.NOT_FRESH, s.check(doctor, ca.certificate()));
    }

    @Test
    void tryLaterAndGarbageAreUnknown() throws Exception {
        byte[] tryLater = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
        assertEquals(OcspOutcome.RESPONDER_REFUSED, ocsp((u, r) -> tryLater).check(doctor, ca.certificate()));
        assertEquals(OcspOutcome.MALFORMED_RESPONSE,
                ocsp((u, r) -> new byte[] {0x30, 0x03, 0x0a, 0x01, 0x00}).check(doctor, ca.certificate()));
        assertEquals(OcspOutcome.MALFORMED_RESPONSE, ocsp((u, r) -> new byte[0]).check(doctor, ca.certificate()));
        assertEquals(OcspOutcome.CHECK_FAILED, ocsp((u, r) -> {
            throw new IllegalStateException("boom");
        }).check(doctor, ca.certificate()));
    }

    @Test
    void certificateOfAnotherIssuerIsRefusedByTheResponder() throws Exception {
        MedicalAuthority other = PkiFixtures.authority(dir.resolve("other"), "Other Authority", clock);
        X509Certificate foreign = other.issueDoctor("D-1", MedicalAuthority.generateKeyPair(random).getPublic(),
                Duration.ofDays(1));
        assertEquals(OcspOutcome.RESPONDER_REFUSED, ocsp().check(foreign, other.certificate()));
        assertEquals(OCSPResp.UNAUTHORIZED, new OCSPResp(responder.answer(
                PkiFixtures.withoutNonce(buildRequest(foreign, other.certificate())))).getStatus());
    }

    @Test
    void responderAnswersGetRequestsToo() throws Exception {
        byte[] req = buildRequest(doctor, ca.certificate());
        String encoded = java.net.URLEncoder.encode(java.util.Base64.getEncoder().encodeToString(req),
                java.nio.charset.StandardCharsets.US_ASCII);
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(responder.uri().resolve(encoded)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        OCSPResp resp = new OCSPResp(response.body());
        assertEquals(OCSPResp.SUCCESSFUL, resp.getStatus());
    }

    @Test
    void crlAndOcspTogetherRequireBothToBeGood() throws Exception {
        CrlStatusSource emptyCrl = new CrlStatusSource(List.of(ca.publishCrl(Duration.ofDays(1))), clock);
        verifier(CompositeStatusSource.requireAll(emptyCrl, ocsp())).requireLegal(doctor.getEncoded(), "D-1");
        responder.close();
        assertEquals(Reason.CERT_STATUS_UNKNOWN,
                reasonFor(verifier(CompositeStatusSource.requireAll(emptyCrl, ocsp())), doctor, "D-1"));
        verifier(CompositeStatusSource.firstConclusive(ocsp(), emptyCrl)).requireLegal(doctor.getEncoded(), "D-1");
    }

    /** A nonce-carrying request exactly as the client builds it, captured from its transport. */
    private byte[] buildRequest(X509Certificate cert, X509Certificate issuer) {
        byte[][] captured = new byte[1][];
        ocsp((u, r) -> {
            captured[0] = r;
            throw new IOException("captured");
        }).check(cert, issuer);
        return captured[0];
    }
}
