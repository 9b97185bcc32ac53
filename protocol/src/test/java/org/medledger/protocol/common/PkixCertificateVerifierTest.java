package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Fixtures;
import org.medledger.protocol.testkit.TestPki;

class PkixCertificateVerifierTest {

    private final TestPki pki = new TestPki("Medical Authority", 31);
    private final Fixtures.MutableClock clock = Fixtures.clockAt(Fixtures.NOW);
    private final X509Certificate good = pki.issue("D-1");
    private final X509Certificate revoked = pki.issue("D-2");
    private final PkixCertificateVerifier verifier =
            PkixCertificateVerifier.of(pki.caCertificate(), new CrlStatusSource(List.of(pki.crl(List.of(revoked))), clock), clock);

    private Reason reasonFor(CertificateVerifier v, X509Certificate c, String id) {
        return assertThrows(ProtocolException.class, () -> v.requireLegal(c.getEncoded(), id)).reason();
    }

    @Test
    void legalDoctorCertificateIsAccepted() throws Exception {
        verifier.requireLegal(good.getEncoded(), "D-1");
    }

    @Test
    void revokedCertificateIsRejected() {
        assertEquals(Reason.CERT_REVOKED, reasonFor(verifier, revoked, "D-2"));
    }

    @Test
    void missingRevocationInformationFailsClosed() {
        PkixCertificateVerifier noCrl = PkixCertificateVerifier.of(pki.caCertificate(), new CrlStatusSource(List.of(), clock), clock);
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(noCrl, good, "D-1"));
        PkixCertificateVerifier throwing = PkixCertificateVerifier.of(pki.caCertificate(), (c, i) -> {
            throw new IllegalStateException("OCSP responder down");
        }, clock);
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(throwing, good, "D-1"));
    }

    @Test
    void staleCrlFailsClosed() {
        clock.advanceMillis(Duration.ofDays(2).toMillis());
        X509Certificate longLived = good;
        assertEquals(Reason.CERT_STATUS_UNKNOWN, reasonFor(verifier, longLived, "D-1"));
    }

    @Test
    void certificateFromAnotherAuthorityIsRejected() {
        TestPki other = new TestPki("Rogue Authority", 32);
        assertEquals(Reason.CERT_INVALID, reasonFor(verifier, other.issue("D-1"), "D-1"));
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRejected() {
        X509Certificate expired = pki.issue("D-1", Fixtures.NOW.minus(Duration.ofDays(30)), Fixtures.NOW.minus(Duration.ofDays(1)), true, true);
        X509Certificate future = pki.issue("D-1", Fixtures.NOW.plus(Duration.ofDays(1)), Fixtures.NOW.plus(Duration.ofDays(30)), true, true);
        assertEquals(Reason.CERT_INVALID, reasonFor(verifier, expired, "D-1"));
        assertEquals(Reason.CERT_INVALID, reasonFor(verifier, future, "D-1"));
    }

    @Test
    void wrongKeyUsageOrExtendedKeyUsageIsRejected() {
        X509Certificate noSig = pki.issue("D-1", Fixtures.NOW.minus(Duration.ofDays(1)), Fixtures.NOW.plus(Duration.ofDays(30)), false, true);
        X509Certificate serverAuth = pki.issue("D-1", Fixtures.NOW.minus(Duration.ofDays(1)), Fixtures.NOW.plus(Duration.ofDays(30)), true, false);
        assertEquals(Reason.CERT_INVALID, reasonFor(verifier, noSig, "D-1"));
        assertEquals(Reason.CERT_INVALID, reasonFor(verifier, serverAuth, "D-1"));
    }

    @Test
    void certificateOfAnotherDoctorIsAnIdentityMismatch() {
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, reasonFor(verifier, good, "D-9"));
    }

    @Test
    void roleCheckIsApplied() {
        PkixCertificateVerifier nurseOnly = new PkixCertificateVerifier(pki.caCertificate(), List.of(),
                new CrlStatusSource(List.of(pki.crl(List.of())), clock), clock,
                PkixCertificateVerifier::subjectCommonName, c -> c.getSubjectX500Principal().getName().contains("OU=nurse"));
        assertEquals(Reason.CERT_INVALID, reasonFor(nurseOnly, good, "D-1"));
    }

    @Test
    void garbageIsNotACertificate() {
        assertEquals(Reason.CERT_INVALID, assertThrows(ProtocolException.class,
                () -> verifier.requireLegal(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, "D-1")).reason());
        assertEquals(Reason.CERT_INVALID, assertThrows(ProtocolException.class,
                () -> verifier.requireLegal(new byte[0], "D-1")).reason());
    }
}
