package org.medledger.identity;

import java.time.Clock;

import org.medledger.protocol.common.CertificateStatusSource;

/** OCSP status for the medical authority's responder. */
final class OcspSources {

    private OcspSources() {
    }

    static CertificateStatusSource forResponder(String url, Clock clock) {
        // Replaced by the protocol's OCSP client once available; until then nothing is GOOD.
        return (cert, issuer) -> CertificateStatusSource.Status.UNKNOWN;
    }
}
