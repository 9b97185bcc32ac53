package org.medledger.protocol.common;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;

/**
 * Proof of possession for the renewal of a KGC partial key {@code (R, S)} under a newer master
 * key generation (docs/protocols/kgc-key-rotation.md; not in the papers), one mechanism for every
 * scheme whose parties hold partial keys {@code S = r + h·s}: an ECDSA signature by {@code S} over
 * <pre>  label ‖ scheme ‖ role ‖ ID ‖ keyId ‖ R ‖ t (seconds since the epoch)</pre>
 * verified against the party's implicit key {@code S·P = R + h·PK_keyId} ({@link #implicitKey},
 * with the scheme's {@code h}), so only the holder of the partial key issued under {@code keyId}
 * renews it. {@code t} must lie within {@link #MAX_SKEW} of the KGC's clock; the KGC refuses a
 * signed content it has seen (the replay identity is {@link #verify}'s content id, never the
 * signature bytes). The party kinds are named instances of {@link Kind} in their schemes
 * ({@code EmrAuthRenewal}, {@code InterHospitalRenewal}).
 */
public final class PartialKeyRenewal {

    public static final String LABEL = "medledger/kgc/partial-key-renewal/v2";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** A kind of party holding a KGC partial key: its scheme and role, both inside the signed content. */
    public record Kind(String scheme, String role) {
        public Kind {
            Objects.requireNonNull(scheme, "Scheme is required.");
            Objects.requireNonNull(role, "Role is required.");
        }

        /** {@code scheme/role/partyId}, the holder named on the ledger's renewal entry. */
        public String holder(String partyId) {
            return scheme + "/" + role + "/" + partyId;
        }
    }

    private PartialKeyRenewal() {
    }

    static LabelledEncoder message(CurveProfile curve, Kind kind, String partyId, String keyId, ECPoint r, long epochSecond) {
        return LabelledEncoder.of(LABEL).utf8(kind.scheme()).utf8(kind.role()).utf8(partyId).utf8(keyId).point(curve, r)
                .int64(epochSecond);
    }

    /** The party's side: signs with its partial key {@code S} issued under {@code keyId} with point {@code R}. */
    public static byte[] sign(Kind kind, SecretScalar s, String partyId, String keyId, ECPoint r, Instant at) {
        Objects.requireNonNull(kind, "Kind is required.");
        Objects.requireNonNull(s, "Partial key is required.");
        SigningKey signing = SigningKey.of(s.copy());
        try {
            return Ecdsa.sign(signing, message(s.curve(), kind, partyId, keyId, r, at.getEpochSecond()));
        } finally {
            signing.destroy();
        }
    }

    /** The implicit key {@code R + h·PK} of a partial key under {@code pk}, {@code R} validated first. */
    public static VerificationKey implicitKey(MasterPublicKey pk, ECPoint r, BigInteger h) throws ProtocolException {
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
    public static ContentId verify(Kind kind, VerificationKey key, String partyId, String keyId, ECPoint r, Instant at,
                                   byte[] signature, Instant now) throws ProtocolException {
        Objects.requireNonNull(kind, "Kind is required.");
        Objects.requireNonNull(key, "Key is required.");
        if (at == null || now == null || Duration.between(at, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new ProtocolException(Reason.STALE_TIMESTAMP, "the renewal proof is not fresh");
        }
        if (signature == null) {
            throw new ProtocolException(Reason.BAD_SIGNATURE, "no renewal proof");
        }
        return Ecdsa.verify(key, message(key.curve(), kind, partyId, keyId, r, at.getEpochSecond()), signature);
    }
}
