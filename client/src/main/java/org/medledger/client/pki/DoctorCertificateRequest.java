package org.medledger.client.pki;

import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to certify for a doctor: the doctor's own public key (the authority never sees the
 * private key), the doctor id that becomes the subject CN, and the validity period.
 * {@code notBefore} may lie in the future and {@code notAfter} in the past (test certificates).
 *
 * @param email       optional rfc822Name subject alternative name, or {@code null}
 * @param clientAuth  {@code false} only to issue a deliberately unusable test certificate
 */
public record DoctorCertificateRequest(String doctorId, PublicKey publicKey, Instant notBefore, Instant notAfter,
                                       String email, boolean clientAuth) {

    /** Letters, digits and {@code . _ @ + -}: safe in a DN and in Keycloak user names. */
    private static final Pattern DOCTOR_ID = Pattern.compile("[\\p{Alnum}._@+-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,]+@[^@\\s,]+");

    public DoctorCertificateRequest {
        Objects.requireNonNull(doctorId, "Doctor id is required.");
        if (!DOCTOR_ID.matcher(doctorId).matches()) {
            throw new IllegalArgumentException("Doctor id must be 1-64 letters, digits or . _ @ + -");
        }
        Objects.requireNonNull(publicKey, "The doctor's public key is required.");
        Objects.requireNonNull(notBefore, "notBefore is required.");
        Objects.requireNonNull(notAfter, "notAfter is required.");
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore.");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("Not an e-mail address.");
        }
    }

    public static DoctorCertificateRequest of(String doctorId, PublicKey publicKey, Instant notBefore, Instant notAfter) {
        return new DoctorCertificateRequest(doctorId, publicKey, notBefore, notAfter, null, true);
    }

    public DoctorCertificateRequest withEmail(String address) {
        return new DoctorCertificateRequest(doctorId, publicKey, notBefore, notAfter, address, clientAuth);
    }

    /** A test variant that the verifier must reject (no id-kp-clientAuth). */
    public DoctorCertificateRequest withoutClientAuth() {
        return new DoctorCertificateRequest(doctorId, publicKey, notBefore, notAfter, email, false);
    }
}
