package org.medledger.protocol.common;

import java.time.Duration;
import java.util.Objects;

/**
 * A party's own signature over a registration that someone else carries to the KGC (a consortium
 * node forwarding it to the authority): by the party's signing key, over
 * <pre>  label ‖ purpose ‖ ID ‖ detail ‖ signing key ‖ KEM key ‖ ledger key ‖ t (epoch ms)</pre>
 * so that whoever carries it can substitute none of the party's public keys (proof of possession of
 * the signing key, and the party's word for the others). The KGC checks it with the signing key
 * it is asked to certify; {@link #verify} returns the signed content, the registration's replay
 * identity (never the signature bytes).
 */
public record KeyPossessionProof(String purpose, String partyId, String detail, VerificationKey signingKey, KemPublicKey kemKey,
                                 byte[] ledgerKey, long at, byte[] signature) {

    static final String LABEL = "MEDLEDGER/registration/key-possession/v1";

    /** How far the proof's time may be from the KGC's clock when the registration is made. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(2);

    public KeyPossessionProof {
        Objects.requireNonNull(purpose, "Purpose is required.");
        Objects.requireNonNull(partyId, "Party id is required.");
        Objects.requireNonNull(detail, "Detail is required.");
        Objects.requireNonNull(signingKey, "Signing key is required.");
        Objects.requireNonNull(kemKey, "KEM key is required.");
        ledgerKey = ledgerKey == null ? new byte[0] : ledgerKey.clone();
        signature = Objects.requireNonNull(signature, "Signature is required.").clone();
    }

    @Override
    public byte[] ledgerKey() {
        return ledgerKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    static LabelledEncoder message(String purpose, String partyId, String detail, VerificationKey signingKey, KemPublicKey kemKey,
                                   byte[] ledgerKey, long at) {
        return LabelledEncoder.of(LABEL).utf8(purpose).utf8(partyId).utf8(detail).bytes(signingKey.encoded()).bytes(kemKey.encoded())
                .bytes(ledgerKey == null ? new byte[0] : ledgerKey).int64(at);
    }

    /** The party's side: signs its own registration with its signing key. */
    public static KeyPossessionProof sign(PartyKeys party, String purpose, String partyId, String detail, byte[] ledgerKey, long at) {
        byte[] sig = Ecdsa.sign(party.signing(), message(purpose, partyId, detail, party.signingPublic(), party.kemPublic(), ledgerKey, at));
        return new KeyPossessionProof(purpose, partyId, detail, party.signingPublic(), party.kemPublic(), ledgerKey, at, sig);
    }

    /**
     * The KGC's side: the signature is by {@link #signingKey} over these exact fields for
     * {@code expectedPurpose}.
     *
     * @return the signed content's identity (for the replay guard)
     * @throws ProtocolException {@link Reason#BAD_SIGNATURE} if a key, the id, the detail, the
     *         purpose or the time differs from what the party signed
     */
    public ContentId verify(String expectedPurpose) throws ProtocolException {
        return Ecdsa.verify(signingKey, message(expectedPurpose, partyId, detail, signingKey, kemKey, ledgerKey, at), signature);
    }

    /** Whether {@link #at} is within {@link #MAX_SKEW} of {@code nowMillis}. */
    public boolean isFresh(long nowMillis) {
        return Math.abs(nowMillis - at) <= MAX_SKEW.toMillis();
    }

    /** Wire form: labelled encoding of every field, the signature last; decoding is strict and validates the points. */
    public byte[] encode() {
        return message(purpose, partyId, detail, signingKey, kemKey, ledgerKey, at).bytes(signature).toByteArray();
    }

    public static KeyPossessionProof decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String purpose = d.utf8();
        String partyId = d.utf8();
        String detail = d.utf8();
        VerificationKey sk = VerificationKey.decode(curve, d.bytes());
        KemPublicKey kk = KemPublicKey.decode(curve, d.bytes());
        byte[] ledgerKey = d.bytes();
        long at = d.int64();
        byte[] sig = d.bytes(Ecdsa.signatureLength(curve));
        d.finish();
        return new KeyPossessionProof(purpose, partyId, detail, sk, kk, ledgerKey, at, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPossessionProof p && java.util.Arrays.equals(p.encode(), encode());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "KeyPossessionProof[" + purpose + ", " + partyId + ", t=" + at + "]";
    }
}
