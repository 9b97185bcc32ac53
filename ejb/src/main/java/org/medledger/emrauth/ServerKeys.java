package org.medledger.emrauth;

import java.math.BigInteger;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.HashToScalar;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;

/**
 * The public cloud's own keys, derived from the KGC master secret {@code s} (held in the KGC key
 * store) with distinct labels, so nothing more has to be stored: its EMR-AUTH signing and KEM
 * keys and the directory certification key that signs every party's directory entry. The
 * derivation is one-way; none of these keys reveals {@code s} or another.
 */
public final class ServerKeys {

    static final String PC_SIGNING = "MEDLEDGER/EMR-AUTH/PC/signing-key";
    static final String PC_KEM = "MEDLEDGER/EMR-AUTH/PC/kem-key";
    static final String DIRECTORY_CERTIFIER = "MEDLEDGER/directory/certifier-key";

    private ServerKeys() {
    }

    static PartyKeys publicCloud(MasterSecret s) {
        return new PartyKeys(SigningKey.of(scalar(s, PC_SIGNING)), KemKeyPair.of(scalar(s, PC_KEM)));
    }

    public static SigningKey directoryCertifier(MasterSecret s) {
        return SigningKey.of(scalar(s, DIRECTORY_CERTIFIER));
    }

    /** A non-zero scalar from {@code s}'s HKDF output under {@code label} (RFC 9380 hash to scalar). */
    private static SecretScalar scalar(MasterSecret s, String label) {
        CurveProfile curve = s.curve();
        SecretBytes k = s.deriveKey(label);
        try {
            BigInteger x = HashToScalar.hash(curve, HashToScalar.dstFor(curve, label), k.reveal());
            if (x.signum() == 0) {
                throw new IllegalStateException("derived scalar is zero");
            }
            return SecretScalar.of(curve, x);
        } catch (ProtocolException e) {
            throw new IllegalStateException("derived scalar out of range", e);
        } finally {
            k.destroy();
        }
    }
}
