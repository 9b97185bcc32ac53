package org.medledger.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.medledger.protocol.common.CertificateStatusSource;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.PkixCertificateVerifier;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pki.DoctorRole;

/**
 * The {@code Cert_D} decision with the checks that cannot change for the same certificate bytes
 * under the same trust anchor done once per time to live: the PKIX path (the authority's
 * signature), key usage, clientAuth, the doctor role and the identity the certificate names. One
 * EMR search checks {@code Cert_D} three times (steps 2, 4 and 6) and a doctor searches again and
 * again with the same certificate. Remembered only after a complete check passed (revocation
 * included), keyed by the SHA-256 of the exact DER and of the anchor. Everything that can change
 * is decided again every time: the claimed identity, the validity period at the clock and the
 * revocation status from the current CRL and the OCSP responder, so a doctor revoked after the
 * entry was made is refused at the next check. An entry lives at most its time to live and never
 * past the certificate's notAfter; a time to live of zero checks everything every time.
 */
final class CheckedCertificates {

    /** Entries above this count are dropped when expired, then all at once. */
    static final int MAX_ENTRIES = 10_000;

    private record Checked(X509Certificate certificate, String identity, long until) {
    }

    private final Map<String, Checked> entries = new ConcurrentHashMap<>();
    private final Duration ttl;

    CheckedCertificates(Duration ttl) {
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("a checked certificate is remembered between 0 and 600 s");
        }
        this.ttl = ttl;
    }

    /** The doctor-certificate verifier under {@code anchor}, revocation from {@code status}, at {@code clock}. */
    CertificateVerifier verifier(X509Certificate anchor, CertificateStatusSource status, Clock clock) {
        PkixCertificateVerifier complete = new PkixCertificateVerifier(anchor, List.of(), status, clock,
                PkixCertificateVerifier::subjectCommonName, DoctorRole::isPresentIn);
        String anchorId = digest(encoded(anchor));
        return (der, claimedIdentity) -> {
            if (der == null || der.length == 0 || ttl.isZero()) {
                complete.requireLegal(der, claimedIdentity);
                return;
            }
            String key = anchorId + digest(der);
            long now = clock.millis();
            Checked c = entries.get(key);
            if (c == null || now >= c.until()) {
                complete.requireLegal(der, claimedIdentity);
                X509Certificate cert = PkixCertificateVerifier.parse(der);
                remember(key, new Checked(cert, PkixCertificateVerifier.subjectCommonName(cert),
                        Math.min(now + ttl.toMillis(), cert.getNotAfter().getTime())), now);
                return;
            }
            if (!c.identity().equals(claimedIdentity)) {
                throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "certificate is for another identity");
            }
            try {
                c.certificate().checkValidity(new Date(now));
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                entries.remove(key);
                throw new ProtocolException(Reason.CERT_INVALID, "certificate path does not validate");
            }
            requireNotRevoked(c.certificate(), anchor, status);
        };
    }

    /** As {@link PkixCertificateVerifier}: only GOOD passes; a failing source is UNKNOWN (fail closed). */
    private static void requireNotRevoked(X509Certificate cert, X509Certificate issuer, CertificateStatusSource status)
            throws ProtocolException {
        CertificateStatusSource.Status s;
        try {
            s = status.status(cert, issuer);
        } catch (RuntimeException e) {
            s = CertificateStatusSource.Status.UNKNOWN;
        }
        if (s == CertificateStatusSource.Status.REVOKED) {
            throw new ProtocolException(Reason.CERT_REVOKED, "certificate revoked");
        }
        if (s != CertificateStatusSource.Status.GOOD) {
            throw new ProtocolException(Reason.CERT_STATUS_UNKNOWN, "revocation status unknown");
        }
    }

    private void remember(String key, Checked c, long now) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> e.until() <= now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key, c);
    }

    int size() {
        return entries.size();
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the trust anchor does not encode", e);
        }
    }

    private static String digest(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
