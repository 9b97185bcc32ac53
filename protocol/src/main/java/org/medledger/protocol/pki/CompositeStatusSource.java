package org.medledger.protocol.pki;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.CertificateStatusSource;

/**
 * Several revocation sources combined. A source that throws counts as {@link Status#UNKNOWN}.
 */
public final class CompositeStatusSource implements CertificateStatusSource {

    private enum Mode { ALL, FIRST_CONCLUSIVE }

    private final List<CertificateStatusSource> sources;
    private final Mode mode;

    private CompositeStatusSource(List<CertificateStatusSource> sources, Mode mode) {
        this.sources = List.copyOf(Objects.requireNonNull(sources, "Sources are required."));
        if (this.sources.isEmpty()) {
            throw new IllegalArgumentException("At least one status source is required.");
        }
        this.mode = mode;
    }

    /**
     * Every source is asked: any REVOKED → REVOKED; else any UNKNOWN → UNKNOWN; else GOOD.
     * E.g. "CRL and OCSP must both say good".
     */
    public static CompositeStatusSource requireAll(CertificateStatusSource... sources) {
        return new CompositeStatusSource(List.of(sources), Mode.ALL);
    }

    /**
     * Sources are asked in order until one answers GOOD or REVOKED; UNKNOWN if none does.
     * E.g. "OCSP, and the CRL if the responder is down".
     */
    public static CompositeStatusSource firstConclusive(CertificateStatusSource... sources) {
        return new CompositeStatusSource(List.of(sources), Mode.FIRST_CONCLUSIVE);
    }

    @Override
    public Status status(X509Certificate certificate, X509Certificate issuer) {
        boolean unknown = false;
        for (CertificateStatusSource source : sources) {
            Status s = ask(source, certificate, issuer);
            if (s == Status.REVOKED) {
                return Status.REVOKED;
            }
            if (s == Status.GOOD && mode == Mode.FIRST_CONCLUSIVE) {
                return Status.GOOD;
            }
            unknown |= s != Status.GOOD;
        }
        return unknown || mode == Mode.FIRST_CONCLUSIVE ? Status.UNKNOWN : Status.GOOD;
    }

    private static Status ask(CertificateStatusSource source, X509Certificate certificate, X509Certificate issuer) {
        try {
            Status s = source.status(certificate, issuer);
            return s == null ? Status.UNKNOWN : s;
        } catch (RuntimeException e) {
            return Status.UNKNOWN;
        }
    }
}
