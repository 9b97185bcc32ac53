package org.medledger.protocol.abe;

import java.security.SecureRandom;
import java.util.Objects;

import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;

/**
 * How the KGC hands an issued ABE-CHAIN key to its holder (the paper leaves the channel open):
 * the key's secret encoding HPKE-sealed (PROTOCOLS.md §0) to a P-256 KEM key of the holder, with
 * the holder's identity and the key's kind as associated data, so a sealed key opened under another
 * name or kind fails. The holder then decodes it, which checks it against the public parameters.
 */
public final class KeyDelivery {

    static final String LABEL = "ABE-CHAIN/key-delivery/v1";

    /** The kind of a delivered key. */
    public enum Kind {
        ATTRIBUTE, IDENTITY;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private KeyDelivery() {
    }

    public static byte[] seal(KemPublicKey holderKem, String holderId, Kind kind, byte[] encodedKey, SecureRandom random) {
        Objects.requireNonNull(encodedKey, "key is required");
        return Hpke.seal(holderKem, LABEL, aad(holderId, kind), encodedKey, random);
    }

    /** Opens and decodes an attribute key (checked against {@code pp}). */
    public static AttributeKey openAttributeKey(KemKeyPair holderKem, String holderId, PublicParameters pp, byte[] sealed)
            throws ProtocolException {
        byte[] encoded = Hpke.open(holderKem, LABEL, aad(holderId, Kind.ATTRIBUTE), sealed);
        try {
            return AttributeKey.decode(pp, encoded);
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
    }

    /** Opens and decodes an identity key (checked against {@code pp}); it must be for {@code holderId}. */
    public static IdentityKey openIdentityKey(KemKeyPair holderKem, String holderId, PublicParameters pp, byte[] sealed)
            throws ProtocolException {
        byte[] encoded = Hpke.open(holderKem, LABEL, aad(holderId, Kind.IDENTITY), sealed);
        try {
            IdentityKey k = IdentityKey.decode(pp, encoded);
            if (!k.identity().equals(AccessPolicy.foldAttribute(holderId))) {
                throw new ProtocolException(org.medledger.protocol.common.Reason.NOT_AUTHORIZED, "the key is for another identity");
            }
            return k;
        } finally {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
    }

    private static byte[] aad(String holderId, Kind kind) {
        return LabelledEncoder.of(LABEL).utf8(holderId).utf8(kind.wire()).toByteArray();
    }
}
