package org.medledger.kgc.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.medledger.custody.KgcKeyStore;
import org.medledger.kgc.IssuedPatientRegistration;
import org.medledger.kgc.KgcPublicKey;
import org.medledger.kgc.entity.PatientRegistrations;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.PatientRegistration;
import org.medledger.protocol.emrauth.PublicCloud;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * The KGC (EMR-AUTH's public cloud in its key-issuing role): patient registration,
 * seed 000 eq. 2–3. The arithmetic lives in {@link PublicCloud}; this bean validates input,
 * fetches the master secret for the duration of one call, and records the public result.
 */
@Stateless
public class KgcRegistrationService {

    private static final Logger LOG = Logger.getLogger(KgcRegistrationService.class.getName());

    /** Identifiers are printable, bounded and free of separators that could confuse logs. */
    public static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    public static final int MIN_BIOMETRIC_SECRET = 16;
    public static final int MAX_BIOMETRIC_SECRET = 64;

    @Inject
    KgcKeyStore keys;

    @Inject
    PatientRegistrations registrations;

    public KgcPublicKey publicKey() throws DomainException {
        MasterPublicKey pk = keys.publicKey();
        return new KgcPublicKey(pk.curve().name(), pk.encoded(), keyId(pk));
    }

    /**
     * Issues {@code (R_P1, S_P)} for {@code patientId} and records the registration.
     *
     * @param registeredBy the authenticated caller, recorded for audit
     */
    public IssuedPatientRegistration registerPatient(String patientId, byte[] biometricSecret, String registeredBy)
            throws DomainException {
        validate(patientId, biometricSecret);
        if (registrations.exists(patientId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED",
                    "patient " + patientId + " is already registered");
        }
        SecretBytes bP = SecretBytes.copyOf(biometricSecret);
        MasterSecret s = keys.masterSecret();
        try {
            Environment env = Environment.of(keys.curve(), Clock.systemUTC(), new SecureRandom());
            PublicCloud pc = new PublicCloud(env, s, (cert, id) -> {
                throw new ProtocolException(Reason.CERT_INVALID, "no certificates at patient registration");
            });
            RegistrationResponse response = pc.registerPatient(new PatientRegistration(patientId, bP));
            MasterPublicKey pk = s.publicKey();
            String keyId = keyId(pk);
            java.time.Instant now = env.clock().instant();
            registrations.add(patientId, Base64.getEncoder().encodeToString(response.encodedR()), keyId,
                    registeredBy, now);
            byte[] sP = response.encodedS();
            try {
                LOG.info(() -> "KGC registered patient " + patientId + " (by " + registeredBy + ")");
                return new IssuedPatientRegistration(patientId, response.encodedR(), sP, pk.encoded(), keyId,
                        pk.curve().name(), now);
            } finally {
                java.util.Arrays.fill(sP, (byte) 0);
                response.s().destroy();
            }
        } finally {
            s.destroy();
            bP.destroy();
        }
    }

    /** The stored, public part of a registration. */
    public IssuedPatientRegistration.Record registration(String patientId) throws DomainException {
        if (patientId == null || !PATIENT_ID.matcher(patientId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_PATIENT_ID", "malformed patient id");
        }
        return registrations.find(patientId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "NOT_REGISTERED", "patient " + patientId + " is not registered"));
    }

    static void validate(String patientId, byte[] biometricSecret) throws DomainException {
        if (patientId == null || !PATIENT_ID.matcher(patientId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_PATIENT_ID",
                    "patientId must be 1-128 characters of letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
        if (biometricSecret == null || biometricSecret.length < MIN_BIOMETRIC_SECRET
                || biometricSecret.length > MAX_BIOMETRIC_SECRET) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_BIOMETRIC_SECRET",
                    "biometricSecret must be " + MIN_BIOMETRIC_SECRET + " to " + MAX_BIOMETRIC_SECRET + " bytes");
        }
    }

    /** A short fingerprint of {@code PK}: the first 16 bytes of SHA-256 over its encoding, hex. */
    static String keyId(MasterPublicKey pk) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(pk.encoded());
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
