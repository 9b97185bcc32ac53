package org.medledger.client.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the authority's index: what was issued to whom, and whether it is revoked.
 *
 * @param subjectId  the doctor id (subject CN) for doctor certificates, the host for server ones
 * @param revokedAt  {@code null} unless revoked
 * @param reason     {@code null} unless revoked
 */
public record CertificateRecord(BigInteger serial, CertificateProfile profile, String subjectId, String subject,
                                Instant notBefore, Instant notAfter, Instant revokedAt, RevocationReason reason) {

    public CertificateRecord {
        Objects.requireNonNull(serial, "Serial is required.");
        Objects.requireNonNull(profile, "Profile is required.");
        Objects.requireNonNull(subjectId, "Subject id is required.");
        Objects.requireNonNull(subject, "Subject is required.");
        Objects.requireNonNull(notBefore, "notBefore is required.");
        Objects.requireNonNull(notAfter, "notAfter is required.");
        if ((revokedAt == null) != (reason == null)) {
            throw new IllegalArgumentException("Revocation time and reason go together.");
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** The serial as lower-case hex, as {@code openssl} prints it. */
    public String serialHex() {
        return serial.toString(16);
    }

    CertificateRecord revoked(Instant when, RevocationReason why) {
        return new CertificateRecord(serial, profile, subjectId, subject, notBefore, notAfter,
                Objects.requireNonNull(when, "Revocation time is required."),
                Objects.requireNonNull(why, "Revocation reason is required."));
    }
}
