package org.medledger.identity;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CrlStatusSource;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.pki.CompositeStatusSource;
import org.medledger.protocol.pki.DoctorRole;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/**
 * The server's one decision on whether a doctor certificate ({@code Cert_D}) is legal: PKIX path
 * to the medical-authority CA that Keycloak also trusts, validity, key usage, clientAuth, and
 * revocation by the authority's CRL <em>and</em> its OCSP responder. Configured by
 * {@code wildfly-config/configure-medical-authority.cli}; read afresh for every decision so a
 * newly published CRL takes effect at once. A GOOD OCSP answer is reused for a few seconds
 * ({@link RecentGoodStatus}); nothing else is. Anything missing or unreadable fails closed.
 */
@ApplicationScoped
public class MedicalAuthorityTrust {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(MedicalAuthorityTrust.class.getName());

    static final String CA_CERT = "medledger.ma.ca-cert";
    static final String CRL = "medledger.ma.crl";
    static final String OCSP_URL = "medledger.ma.ocsp-url";

    /** One HTTP client for every OCSP question this server asks (connect and answer within 3 s). */
    private final HttpOcspTransport ocspTransport = HttpOcspTransport.withTimeout(Duration.ofSeconds(3));

    /**
     * How long a GOOD OCSP answer is reused for the same certificate (seconds, 0 to 60; default 5):
     * one EMR search checks {@code Cert_D} three times within a second.
     */
    static final String OCSP_GOOD_SECONDS = "medledger.ma.ocsp-good-seconds";

    private final RecentGoodStatus recentGood = new RecentGoodStatus(Duration.ofSeconds(
            Math.max(0, Math.min(60, Long.getLong(OCSP_GOOD_SECONDS, 5)))));

    /** A verifier for one decision (the CRL is re-read each time); doctors only (OU=doctor). */
    public CertificateVerifier verifier(Clock clock) throws DomainException {
        X509Certificate anchor = caCertificate();
        URI ocsp;
        try {
            ocsp = URI.create(required(OCSP_URL));
        } catch (IllegalArgumentException e) {
            throw unavailable("the OCSP responder URL is malformed");
        }
        CertificateStatusSource status = CompositeStatusSource.requireAll(
                new CrlStatusSource(List.of(crl()), clock),
                recentGood.over(OcspStatusSource.builder(clock, new SecureRandom(), ocspTransport).responder(ocsp).build(), clock));
        return new PkixCertificateVerifier(anchor, List.of(), status, clock,
                PkixCertificateVerifier::subjectCommonName, DoctorRole::isPresentIn);
    }

    public X509Certificate caCertificate() throws DomainException {
        try {
            byte[] raw = Files.readAllBytes(Path.of(required(CA_CERT)));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(raw));
        } catch (IOException | CertificateException | ClassCastException e) {
            throw unavailable("the medical-authority certificate cannot be read");
        }
    }

    private X509CRL crl() throws DomainException {
        try {
            byte[] raw = Files.readAllBytes(Path.of(required(CRL)));
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(raw));
        } catch (IOException | CertificateException | CRLException | ClassCastException e) {
            throw unavailable("the medical-authority CRL cannot be read");
        }
    }

    private static String required(String property) throws DomainException {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            // the setting's name goes to the server log, never into an answer
            LOG.warning(() -> "medical authority setting missing: " + property);
            throw unavailable("the medical authority is not configured");
        }
        return v;
    }

    private static DomainException unavailable(String detail) {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "MEDICAL_AUTHORITY_UNAVAILABLE", detail);
    }
}
