package org.medledger.protocol.emrauth;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.VerificationKey;

/**
 * Proof of possession for the renewal of a KGC partial key {@code (R, S)} under a newer master
 * key generation (docs/protocols/kgc-key-rotation.md; not in the papers): an ECDSA signature by
 * {@code S} over
 * <pre>  label ‖ role ‖ ID ‖ keyId ‖ R ‖ t (seconds since the epoch)</pre>
 * verified against the party's implicit key {@code S·P = R + h·PK_keyId} (eq. 4 for a patient,
 * eq. 10 for a doctor), so only the holder of the partial key issued under {@code keyId} renews it.
 * {@code t} must lie within {@link #MAX_SKEW} of the KGC's clock; the KGC refuses a signed content
 * it has seen (the replay identity is {@link #verify}'s content id, never the signature bytes).
 */
public final class PartialKeyRenewal {

    public static final String LABEL = "medledger/kgc/partial-key-renewal/v1";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private PartialKeyRenewal() {
    }

    static LabelledEncoder message(CurveProfile curve, String role, String partyId, String keyId, ECPoint r,
                                   long epochSecond) {
        return LabelledEncoder.of(LABEL).utf8(role).utf8(partyId).utf8(keyId).point(curve, r).int64(epochSecond);
    }

    /** The party's side: signs with its partial key {@code S} issued under {@code keyId} with point {@code R}. */
    public static byte[] sign(SecretScalar s, String role, String partyId, String keyId, ECPoint r, Instant at) {
        Objects.requireNonNull(s, "Partial key is required.");
        SigningKey signing = SigningKey.of(s.copy());
        try {
            return Ecdsa.sign(signing, message(s.curve(), role, partyId, keyId, r, at.getEpochSecond()));
        } finally {
            signing.destroy();
        }
    }

    /** A patient's implicit key {@code R_P1 + H(ID_P‖B_P‖R_P1)·PK} (seed 000, eq. 4). */
    public static VerificationKey patientKey(MasterPublicKey pk, String idP, SecretBytes bP, ECPoint rP1)
            throws ProtocolException {
        return implicitKey(pk, rP1, EmrAuthHashes.patient(pk.curve(), idP, bP, rP1));
    }

    /** A doctor's implicit key {@code R_D1 + H(ID_D‖Cert_D‖R_D1)·PK} (seed 000, eq. 10). */
    public static VerificationKey doctorKey(MasterPublicKey pk, String idD, byte[] certD, ECPoint rD1)
            throws ProtocolException {
        return implicitKey(pk, rD1, EmrAuthHashes.doctor(pk.curve(), idD, certD, rD1));
    }

    /** A hospital private cloud's implicit key {@code R_HPC1 + h(ID_HPC‖R_HPC1)·PK} (seed 000, eq. 7). */
    public static VerificationKey hospitalCloudKey(MasterPublicKey pk, String idHpc, ECPoint rHpc1) throws ProtocolException {
        return implicitKey(pk, rHpc1, EmrAuthHashes.hospitalCloud(pk.curve(), idHpc, rHpc1));
    }

    private static VerificationKey implicitKey(MasterPublicKey pk, ECPoint r, BigInteger h) throws ProtocolException {
        pk.curve().requireValid(r);
        return VerificationKey.of(pk.curve(), pk.implicitKey(r, h));
    }

    /**
     * The KGC's side: {@code signature} is by the partial key whose implicit key is {@code key},
     * over these exact fields, and {@code at} is fresh.
     *
     * @return the signed content's id, the replay identity
     * @throws ProtocolException {@link Reason#STALE_TIMESTAMP} or {@link Reason#BAD_SIGNATURE}
     */
    public static ContentId verify(VerificationKey key, String role, String partyId, String keyId, ECPoint r, Instant at,
                                   byte[] signature, Instant now) throws ProtocolException {
        Objects.requireNonNull(key, "Key is required.");
        if (at == null || now == null || Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "the renewal proof is not fresh");
        }
        if (signature == null) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "no renewal proof");
        }
        return Ecdsa.verify(key, message(key.curve(), role, partyId, keyId, r, at.getEpochSecond()), signature);
    }
}
