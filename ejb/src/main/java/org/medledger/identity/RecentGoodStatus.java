package org.medledger.identity;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.x500.X500Principal;

import org.medledger.protocol.common.CertificateStatusSource;

/**
 * Remembers, for a short bounded time, that a certificate's revocation source answered GOOD, so
 * the three checks of one EMR search (steps 2, 4 and 6) ask the OCSP responder once. It fails
 * closed like the source it wraps: only GOOD is remembered; REVOKED, UNKNOWN and every failure
 * (responder down, bad response) are passed on and never remembered; an entry older than the
 * time to live is asked again. The cost is bounded staleness: a revocation that only the OCSP
 * responder knows is seen at most one time-to-live late (the CRL is still read on every decision).
 */
final class RecentGoodStatus {

    /** Entries above this count are dropped when expired, then all at once. */
    static final int MAX_ENTRIES = 10_000;

    private record Key(X500Principal issuer, BigInteger serial) {
    }

    private final Map<Key, Long> goodUntil = new ConcurrentHashMap<>();
    private final Duration ttl;

    RecentGoodStatus(Duration ttl) {
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("the OCSP cache keeps a GOOD answer between 0 and 60 s");
        }
        this.ttl = ttl;
    }

    /** {@code source} asked only when no GOOD answer for the certificate is younger than the time to live. */
    CertificateStatusSource over(CertificateStatusSource source, Clock clock) {
        return (certificate, issuer) -> {
            Key key = new Key(certificate.getIssuerX500Principal(), certificate.getSerialNumber());
            long now = clock.millis();
            Long until = goodUntil.get(key);
            if (until != null && now < until) {
                return CertificateStatusSource.Status.GOOD;
            }
            CertificateStatusSource.Status status = source.status(certificate, issuer);
            if (status == CertificateStatusSource.Status.GOOD && !ttl.isZero()) {
                if (goodUntil.size() >= MAX_ENTRIES) {
                    goodUntil.values().removeIf(u -> u <= now);
                    if (goodUntil.size() >= MAX_ENTRIES) {
                        goodUntil.clear();
                    }
                }
                goodUntil.put(key, now + ttl.toMillis());
            } else {
                goodUntil.remove(key);
            }
            return status;
        };
    }

    int size() {
        return goodUntil.size();
    }
}
