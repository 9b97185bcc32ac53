package org.medledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CertificateStatusSource.Status;

class RecentGoodStatusTest {

    private static X509Certificate certificate(long serial) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair k = g.generateKeyPair();
        X500Principal name = new X500Principal("CN=dr-" + serial + ",OU=doctor");
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serial),
                Date.from(now), Date.from(now.plus(Duration.ofDays(1))), name, k.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate())));
    }

    /** A revocation source answering from a script, counting the questions. */
    static final class Scripted implements CertificateStatusSource {
        final Deque<Object> answers = new ArrayDeque<>();
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public Status status(X509Certificate certificate, X509Certificate issuer) {
            asked.incrementAndGet();
            Object a = answers.removeFirst();
            if (a instanceof RuntimeException e) {
                throw e;
            }
            return (Status) a;
        }
    }

    static final class MovableClock extends Clock {
        long millis = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void aGoodAnswerServesTheSameCertificateForItsTimeToLiveOnly() throws Exception {
        X509Certificate c = certificate(1);
        MovableClock clock = new MovableClock();
        Scripted ocsp = new Scripted();
        CertificateStatusSource s = new RecentGoodStatus(Duration.ofSeconds(5)).over(ocsp, clock);
        ocsp.answers.add(Status.GOOD);
        assertEquals(Status.GOOD, s.status(c, c));
        clock.millis += 4_000;
        assertEquals(Status.GOOD, s.status(c, c));
        assertEquals(1, ocsp.asked.get(), "the second check within 5 s asked nobody");
        // after the time to live the responder is asked again, and its REVOKED is believed at once
        clock.millis += 1_500;
        ocsp.answers.add(Status.REVOKED);
        assertEquals(Status.REVOKED, s.status(c, c));
        ocsp.answers.add(Status.REVOKED);
        assertEquals(Status.REVOKED, s.status(c, c));
        assertEquals(3, ocsp.asked.get(), "a REVOKED answer is never remembered");
    }

    @Test
    void failuresAndUnknownAreNeverRememberedAndOtherCertificatesAreAskedThemselves() throws Exception {
        X509Certificate a = certificate(2);
        X509Certificate b = certificate(3);
        MovableClock clock = new MovableClock();
        Scripted ocsp = new Scripted();
        CertificateStatusSource s = new RecentGoodStatus(Duration.ofSeconds(5)).over(ocsp, clock);
        ocsp.answers.add(new IllegalStateException("responder down"));
        assertThrows(IllegalStateException.class, () -> s.status(a, a));
        ocsp.answers.add(Status.UNKNOWN);
        assertEquals(Status.UNKNOWN, s.status(a, a));
        ocsp.answers.add(Status.GOOD);
        assertEquals(Status.GOOD, s.status(a, a));
        ocsp.answers.add(new IllegalStateException("responder down"));
        assertThrows(IllegalStateException.class, () -> s.status(b, b), "another certificate is not served by a's answer");
        assertEquals(4, ocsp.asked.get());
    }

    @Test
    void aZeroTimeToLiveAsksEveryTimeAndMoreThanAMinuteIsRefused() throws Exception {
        X509Certificate c = certificate(4);
        Scripted ocsp = new Scripted();
        CertificateStatusSource s = new RecentGoodStatus(Duration.ZERO).over(ocsp, new MovableClock());
        ocsp.answers.add(Status.GOOD);
        ocsp.answers.add(Status.GOOD);
        s.status(c, c);
        s.status(c, c);
        assertEquals(2, ocsp.asked.get());
        assertThrows(IllegalArgumentException.class, () -> new RecentGoodStatus(Duration.ofSeconds(61)));
    }
}
