package org.medledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medledger.identity.RecentGoodStatusTest.MovableClock;
import org.medledger.identity.RecentGoodStatusTest.Scripted;
import org.medledger.protocol.common.CertificateStatusSource.Status;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * The remembered part of a {@code Cert_D} decision (path, usage, role, identity) never lets a
 * certificate pass what is decided again at every check: revocation, the claimed identity and the
 * validity period. The status source counts the questions, so these tests also show that every
 * check asked it.
 */
class CheckedCertificatesTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static KeyPair caKeys;
    static X509Certificate ca;
    static X509Certificate doctor;
    static X509Certificate otherCa;
    static X509Certificate doctorOfOtherCa;

    @BeforeAll
    static void pki() throws Exception {
        caKeys = keys();
        ca = caCertificate("CN=Medical Authority", caKeys);
        doctor = doctorCertificate("dr-alice", 7, caKeys, ca, NOW.plus(Duration.ofHours(1)));
        KeyPair other = keys();
        otherCa = caCertificate("CN=Medical Authority", other);
        doctorOfOtherCa = doctorCertificate("dr-alice", 7, other, otherCa, NOW.plus(Duration.ofHours(1)));
    }

    static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    static X509Certificate caCertificate(String name, KeyPair k) throws Exception {
        X500Name n = new X500Name(name);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(n, BigInteger.ONE, Date.from(NOW.minus(Duration.ofDays(30))),
                Date.from(NOW.plus(Duration.ofDays(365))), n, k.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
    }

    static X509Certificate doctorCertificate(String id, long serial, KeyPair caKeys, X509Certificate ca, Instant notAfter)
            throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(ca.getSubjectX500Principal().getName()),
                BigInteger.valueOf(serial), Date.from(NOW.minus(Duration.ofDays(1))), Date.from(notAfter),
                new X500Name("CN=" + id + ",OU=doctor"), keys().getPublic());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
    }

    static Reason refusal(CertificateVerifier v, X509Certificate c, String id) {
        return assertThrows(ProtocolException.class, () -> v.requireLegal(c.getEncoded(), id)).reason();
    }

    @Test
    void aDoctorRevokedAfterTheCertificateWasRememberedIsRefusedAtTheNextCheck() throws Exception {
        MovableClock clock = new MovableClock();
        Scripted status = new Scripted();
        CheckedCertificates checked = new CheckedCertificates(Duration.ofSeconds(60));
        CertificateVerifier v = checked.verifier(ca, status, clock);
        status.answers.add(Status.GOOD);
        v.requireLegal(doctor.getEncoded(), "dr-alice");
        assertEquals(1, checked.size());
        status.answers.add(Status.GOOD);
        v.requireLegal(doctor.getEncoded(), "dr-alice");
        status.answers.add(Status.REVOKED);
        assertEquals(Reason.CERT_REVOKED, refusal(v, doctor, "dr-alice"));
        status.answers.add(Status.UNKNOWN);
        assertEquals(Reason.CERT_STATUS_UNKNOWN, refusal(v, doctor, "dr-alice"));
        status.answers.add(new IllegalStateException("responder down"));
        assertEquals(Reason.CERT_STATUS_UNKNOWN, refusal(v, doctor, "dr-alice"));
        assertEquals(5, status.asked.get(), "revocation is asked at every check");
    }

    @Test
    void aRememberedCertificateStillSpeaksOnlyForItsOwnIdentity() throws Exception {
        MovableClock clock = new MovableClock();
        Scripted status = new Scripted();
        CertificateVerifier v = new CheckedCertificates(Duration.ofSeconds(60)).verifier(ca, status, clock);
        status.answers.add(Status.GOOD);
        v.requireLegal(doctor.getEncoded(), "dr-alice");
        assertEquals(Reason.CERT_IDENTITY_MISMATCH, refusal(v, doctor, "dr-bob"));
    }

    @Test
    void aRememberedCertificateIsRefusedOnceItExpired() throws Exception {
        MovableClock clock = new MovableClock();
        Scripted status = new Scripted();
        CheckedCertificates checked = new CheckedCertificates(Duration.ofMinutes(10));
        CertificateVerifier v = checked.verifier(ca, status, clock);
        X509Certificate shortLived = doctorCertificate("dr-carol", 9, caKeys, ca, NOW.plus(Duration.ofSeconds(30)));
        status.answers.add(Status.GOOD);
        v.requireLegal(shortLived.getEncoded(), "dr-carol");
        clock.millis += Duration.ofSeconds(31).toMillis();
        assertEquals(Reason.CERT_INVALID, refusal(v, shortLived, "dr-carol"));
    }

    @Test
    void theSameBytesUnderAnotherAnchorAreCheckedInFull() throws Exception {
        MovableClock clock = new MovableClock();
        Scripted status = new Scripted();
        CheckedCertificates checked = new CheckedCertificates(Duration.ofSeconds(60));
        status.answers.add(Status.GOOD);
        checked.verifier(ca, status, clock).requireLegal(doctor.getEncoded(), "dr-alice");
        // a certificate of another authority, and this authority's certificate under the other anchor: no path
        assertEquals(Reason.CERT_INVALID, refusal(checked.verifier(ca, status, clock), doctorOfOtherCa, "dr-alice"));
        assertEquals(Reason.CERT_INVALID, refusal(checked.verifier(otherCa, status, clock), doctor, "dr-alice"));
    }

    @Test
    void nothingIsRememberedFromARefusal() throws Exception {
        Scripted status = new Scripted();
        CheckedCertificates checked = new CheckedCertificates(Duration.ofSeconds(60));
        status.answers.add(Status.REVOKED);
        assertEquals(Reason.CERT_REVOKED, refusal(checked.verifier(ca, status, new MovableClock()), doctor, "dr-alice"));
        assertEquals(0, checked.size());
    }

    @Test
    void anotherCertificateWithTheSameNameAndSerialIsCheckedInFull() throws Exception {
        Scripted status = new Scripted();
        CheckedCertificates checked = new CheckedCertificates(Duration.ofSeconds(60));
        CertificateVerifier v = checked.verifier(ca, status, new MovableClock());
        status.answers.add(Status.GOOD);
        v.requireLegal(doctor.getEncoded(), "dr-alice");
        // same issuer name, subject and serial, signed by a key that is not the authority's
        X509Certificate forged = doctorCertificate("dr-alice", 7, keys(), ca, NOW.plus(Duration.ofHours(1)));
        assertEquals(Reason.CERT_INVALID, refusal(v, forged, "dr-alice"));
        assertEquals(1, status.asked.get());
    }

    @Test
    void aTimeToLiveOfZeroRemembersNothing() throws Exception {
        Scripted status = new Scripted();
        CheckedCertificates checked = new CheckedCertificates(Duration.ZERO);
        status.answers.add(Status.GOOD);
        checked.verifier(ca, status, new MovableClock()).requireLegal(doctor.getEncoded(), "dr-alice");
        assertEquals(0, checked.size());
    }
}
