package org.medledger.protocol.common;

import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * A {@link CertificateStatusSource} over a set of CRLs: the CRL must be issued and signed by
 * the certificate's issuer and be current ({@code thisUpdate ≤ now ≤ nextUpdate});
 * otherwise the status is {@link Status#UNKNOWN}.
 */
public final class CrlStatusSource implements CertificateStatusSource {

    private final List<X509CRL> crls;
    private final Clock clock;

    public CrlStatusSource(List<X509CRL> crls, Clock clock) {
        this.crls = List.copyOf(Objects.requireNonNull(crls, "CRLs are required."));
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
    }

    @Override
    public Status status(X509Certificate certificate, X509Certificate issuer) {
        Date now = Date.from(clock.instant());
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            try {
                crl.verify(issuer.getPublicKey());
            } catch (Exception e) {
                continue;
            }
            if (crl.getThisUpdate().after(now) || crl.getNextUpdate() == null || crl.getNextUpdate().before(now)) {
                continue;
            }
            return crl.isRevoked(certificate) ? Status.REVOKED : Status.GOOD;
        }
        return Status.UNKNOWN;
    }
}
