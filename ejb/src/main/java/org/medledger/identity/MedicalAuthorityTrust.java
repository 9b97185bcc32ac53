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
import java.util.Arrays;
import java.util.List;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CrlStatusSource;
import org.medledger.protocol.pki.CompositeStatusSource;
import org.medledger.protocol.pki.OcspStatusSource;
import org.medledger.transport.HttpOcspTransport;

/**
 * The server's one decision on whether a doctor certificate ({@code Cert_D}) is legal: PKIX path
 * to the medical-authority CA that Keycloak also trusts, validity, key usage, clientAuth, and
 * revocation by the authority's CRL <em>and</em> its OCSP responder. Configured by
 * {@code wildfly-config/configure-medical-authority.cli}. The CA certificate and the CRL files are
 * read for every decision, so a newly published CRL takes effect at once, but parsed (and the
 * CRL's signature checked) once per content. A GOOD OCSP answer is reused for a few seconds
 * ({@link RecentGoodStatus}); a certificate's path, usage, role and identity, once checked in
 * full, for a minute ({@link CheckedCertificates}); revocation is decided at every check.
 * Anything missing or unreadable fails closed.
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

    /**
     * How long a doctor certificate that passed every check has its path, usage, role and identity
     * remembered (seconds, 0 to 600; default 60); its validity and revocation are checked every time.
     */
    static final String CHECKED_SECONDS = "medledger.ma.checked-certificate-seconds";

    private final CheckedCertificates checked = new CheckedCertificates(Duration.ofSeconds(
            Math.max(0, Math.min(600, Long.getLong(CHECKED_SECONDS, 60)))));

    /** The CA certificate and the CRL as last parsed, with the bytes they were parsed from. */
    private record Parsed<T>(byte[] raw, T value) {
    }

    private volatile Parsed<X509Certificate> parsedAnchor;
    private volatile Parsed<X509CRL> parsedCrl;

    /** A verifier for one decision (the CRL file is re-read each time); doctors only (OU=doctor). */
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
        return checked.verifier(anchor, status, clock);
    }

    public X509Certificate caCertificate() throws DomainException {
        try {
            byte[] raw = Files.readAllBytes(Path.of(required(CA_CERT)));
            Parsed<X509Certificate> p = parsedAnchor;
            if (p == null || !Arrays.equals(p.raw(), raw)) {
                p = new Parsed<>(raw, (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(raw)));
                parsedAnchor = p;
            }
            return p.value();
        } catch (IOException | CertificateException | ClassCastException e) {
            throw unavailable("the medical-authority certificate cannot be read");
        }
    }

    /** The CRL as published now; the same parsed object while its bytes stay the same (its signature is checked once). */
    private X509CRL crl() throws DomainException {
        try {
            byte[] raw = Files.readAllBytes(Path.of(required(CRL)));
            Parsed<X509CRL> p = parsedCrl;
            if (p == null || !Arrays.equals(p.raw(), raw)) {
                p = new Parsed<>(raw, (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(raw)));
                parsedCrl = p;
            }
            return p.value();
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
