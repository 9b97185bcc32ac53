package org.medledger.protocol.pki;

import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.VerificationKey;

/**
 * Proof of possession for a doctor's registration with the KGC (seed 000, eq. 8–9 need only the
 * public {@code Cert_D}; MedLedger asks more, see docs/security.md): an ECDSA signature by the
 * private key of {@code Cert_D} over
 * <pre>  label ‖ ID_D ‖ Cert_D (DER) ‖ t (seconds since the epoch)</pre>
 * so whoever submits the registration — the doctor or a KGC operator — cannot do so without the
 * doctor's key. {@code t} must lie within {@link #MAX_SKEW} of the KGC's clock.
 */
public final class RegistrationProof {

    public static final String LABEL = "medledger/kgc/doctor-registration-proof/v1";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private RegistrationProof() {
    }

    static LabelledEncoder message(String doctorId, byte[] certificateDer, long epochSecond) {
        return LabelledEncoder.of(LABEL).utf8(doctorId).bytes(certificateDer).int64(epochSecond);
    }

    /** The doctor's side: signs with the private key of its certificate (P-256). */
    public static byte[] sign(ECPrivateKey key, String doctorId, byte[] certificateDer, Instant at)
            throws ProtocolException {
        Objects.requireNonNull(key, "Key is required.");
        CurveProfile curve = CurveProfile.p256();
        SigningKey signing = SigningKey.of(SecretScalar.of(curve, key.getS()));
        try {
            return Ecdsa.sign(signing, message(doctorId, certificateDer, at.getEpochSecond()));
        } finally {
            signing.destroy();
        }
    }

    /**
     * The KGC's side: {@code signature} is by the key of {@code certificate} over these exact
     * fields, and {@code at} is fresh.
     *
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP}, {@link Reason#BAD_POINT} or
     *                           {@link Reason#BAD_SIGNATURE}
     */
    public static void verify(X509Certificate certificate, byte[] certificateDer, String doctorId, Instant at,
                              byte[] signature, Instant now) throws ProtocolException {
        Objects.requireNonNull(certificate, "Certificate is required.");
        if (at == null || now == null || Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "the proof of possession is not fresh");
        }
        CurveProfile curve = CurveProfile.p256();
        if (!(certificate.getPublicKey() instanceof ECPublicKey ec)) {
            throw new ProtocolException(Reason.BAD_POINT, "the certificate key is not a P-256 key");
        }
        VerificationKey key;
        try {
            key = VerificationKey.of(curve, curve.curve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY()));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(Reason.BAD_POINT, "the certificate key is not a P-256 point");
        }
        Ecdsa.verify(key, message(doctorId, certificateDer, at.getEpochSecond()), signature);
    }
}
