package org.medledger.client.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medledger.client.pki.PkiFixtures.NOW;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pki.DoctorRole;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/**
 * "Verify {@code Cert_D} is legal" (PROTOCOLS.md §0) for the certificates the authority
 * issues: path, validity, usage, role and identity, with OCSP as the revocation source.
 */
class DoctorCertificateLegalityTest {

    private final Clock clock = PkiFixtures.clockAt(NOW);
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    private MedicalAuthority ca;
    private OcspResponder responder;
    private PkixCertificateVerifier verifier;
    private PublicKey doctorKey;

    @BeforeEach
    void setUp() throws IOException {
        ca = PkiFixtures.authority(dir.resolve("ca"), "Medical Authority", clock);
        responder = OcspResponder.start(ca, new InetSocketAddress("127.0.0.1", 0), clock);
        verifier = new PkixCertificateVerifier(ca.certificate(), List.of(),
                OcspStatusSource.builder(clock, random, HttpOcspTransport.withTimeout(Duration.ofSeconds(3))).responder(responder.uri()).build(), clock,
                PkixCertificateVerifier::subjectCommonName, DoctorRole::isPresentIn);
        doctorKey = MedicalAuthority.generateKeyPair(random).getPublic();
    }

    @AfterEach
    void tearDown() {
        responder.close();
    }

    private Reason reasonFor(X509Certificate c, String id) {
        return assertThrows(ProtocolException.class, () -> verifier.requireLegal(c.getEncoded(), id)).reason();
    }

    @Test
    void doctorCertificateCarriesTheProfileTheVerifierAndKeycloakExpect() throws Exception {
        X509Certificate cert = ca.issueDoctor(DoctorCertificateRequest.of("dr.alice", doctorKey, NOW,
                NOW.plus(Duration.ofDays(365))).withEmail("alice@hospital.example"));
        verifier.requireLegal(cert.getEncoded(), "dr.alice");
        assertEquals("dr.alice", PkixCertificateVerifier.subjectCommonName(cert));
        assertTrue(DoctorRole.isPresentIn(cert));
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.15"), "keyUsage is critical");
        assertEquals(List.of(PkixCertificateVerifier.EKU_CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints());
        assertEquals(doctorKey, cert.getPublicKey());
        assertEquals(List.of(1, "alice@hospital.example"), List.copyOf(cert.getSubjectAlternativeNames().iterator().next()));
        assertTrue(cert.getSerialNumber().bitLength() > 64, "random 128-bit serial");
    }

    @Test
    void expiredCertificateIsInvalid() throws Exception {
        X509Certificate expired = ca.issueDoctor(DoctorCertificateRequest.of("D-1", doctorKey,
                NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))));
        assertEquals(Reason.CERT_INVALID, reasonFor(expired, "D-1"));
    }

    @Test
    void notYetValidCertificateIsInvalid() throws Exception {
        X509Certificate future = ca.issueDoctor(DoctorCertificateRequest.of("D-1", doctorKey,
                NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30))));
        assertEquals(Reason.CERT_INVALID, reasonFor(future, "D-1"));
    }

    @Test
    void certificateWithoutClientAuthIsInvalid() throws Exception {
        X509Certificate noClientAuth = ca.issueDoctor(DoctorCertificateRequest.of("D-1", doctorKey, NOW,
                NOW.plus(Duration.ofDays(30))).withoutClientAuth());
        assertEquals(Reason.CERT_INVALID, reasonFor(noClientAuth, "D-1"));
    }

    @Test
    void certificateFromAnUntrustedAuthorityIsInvalid() throws Exception {
        MedicalAuthority rogue = PkiFixtures.authority(dir.resolve("rogue"), "Medical Authority", clock);
        X509Certificate forged = rogue.issueDoctor("D-1", doctorKey, Duration.ofDays(30));
        assertEquals(ca.certificate().getSubjectX500Principal(), forged.getIssuerX500Principal(), "same name, other key");
        assertEquals(Reason.CERT_INVALID, reasonFor(forged, "D-1"));
    }

    @Test
    void certificateOfOneDoctorPresentedForAnotherIsAnIdentityMismatch() throws Exception {
        X509Certificate alice = ca.issueDoctor("D-1", doctorKey, Duration.ofDays(30));
        ca.issueDoctor("D-2", MedicalAuthority.generateKeyPair(random).getPublic(), Duration.ofDays(30));
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reasonFor(alice, "D-2"));
    }

    @Test
    void serverCertificateDoesNotCarryTheDoctorRole() throws Exception {
        X509Certificate server = ca.issueServerCredentials(List.of("localhost", "127.0.0.1"), Duration.ofDays(30))
                .certificate();
        assertFalse(DoctorRole.isPresentIn(server));
        assertEquals(Reason.CERT_INVALID, reasonFor(server, "localhost"));
    }

    @Test
    void malformedDoctorIdsAreRefusedBeforeSigning() {
        assertThrows(IllegalArgumentException.class, () -> DoctorCertificateRequest.of("D-1,OU=admin", doctorKey, NOW,
                NOW.plus(Duration.ofDays(1))));
        assertThrows(IllegalArgumentException.class, () -> DoctorCertificateRequest.of("D-1", doctorKey, NOW, NOW));
    }
}
