package org.medledger.doctorcustody;

import java.util.Arrays;

import javax.security.auth.Destroyable;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * What the hospital key store keeps for a doctor in portal custody, as one entry: the doctor's
 * signing and KEM keys (generated on the server for that doctor), its partial key
 * {@code (R_D1, S_D)} (eq. 8–10), the {@code Cert_D} it was issued for and the key that seals its
 * consultation sessions between two steps. Destroy after use.
 */
final class CustodyKeys implements Destroyable {

    private static final String LABEL = "MEDLEDGER/EMR-AUTH/doctor-custody/keys";

    final PartyKeys party;
    final byte[] rD1;
    final SecretScalar sD;
    final byte[] certificate;
    /** Seals the doctor's consultation sessions between two steps. */
    final SecretBytes sessionKey;

    CustodyKeys(PartyKeys party, byte[] rD1, SecretScalar sD, byte[] certificate, SecretBytes sessionKey) {
        this.party = party;
        this.rD1 = rD1.clone();
        this.sD = sD;
        this.certificate = certificate.clone();
        this.sessionKey = sessionKey;
    }

    RegistrationResponse partialKey(CurveProfile curve) throws ProtocolException {
        byte[] s = sD.encoded();
        try {
            return RegistrationResponse.fromFields(curve, rD1, s);
        } finally {
            Arrays.fill(s, (byte) 0);
        }
    }

    byte[] encode() {
        CurveProfile c = party.signing().curve();
        return LabelledEncoder.of(LABEL).secret(party.signing().exportSecret()).secret(party.kem().exportSecret())
                .bytes(rD1).secret(sD).bytes(certificate).secret(sessionKey).utf8(c.name()).toByteArray();
    }

    static CustodyKeys decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        SigningKey signing = SigningKey.of(d.secretScalar(curve));
        KemKeyPair kem = KemKeyPair.of(d.secretScalar(curve));
        byte[] r = d.bytes();
        SecretScalar s = d.secretScalar(curve);
        byte[] cert = d.bytes();
        SecretBytes session = d.secretBytes();
        d.utf8();
        d.finish();
        return new CustodyKeys(new PartyKeys(signing, kem), r, s, cert, session);
    }

    @Override
    public void destroy() {
        party.destroy();
        sD.destroy();
        sessionKey.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return sD.isDestroyed();
    }

    @Override
    public String toString() {
        return "CustodyKeys[redacted]";
    }
}
