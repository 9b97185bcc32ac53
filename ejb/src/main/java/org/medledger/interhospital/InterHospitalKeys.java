package org.medledger.interhospital;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Arrays;

import javax.security.auth.Destroyable;

import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;

/**
 * Everything one INTER-HOSPITAL hospital served here keeps in the hospital key store, as one
 * entry: its own signing and KEM keys, its partial key {@code (R_H, S_H)} from the blockchain
 * center (seed 002, eq. 10–13), its ledger member key, the key that wraps its per-record keys
 * and the key that seals its sessions. Destroy after use.
 */
final class InterHospitalKeys implements Destroyable {

    private static final String LABEL = "MEDLEDGER/INTER-HOSPITAL/hospital/keys";

    final PartyKeys party;
    final byte[] rH;
    final SecretScalar sH;
    final SecretScalar ledgerKey;
    final SecretBytes recordWrapKey;
    final SecretBytes sessionKey;

    private InterHospitalKeys(PartyKeys party, byte[] rH, SecretScalar sH, SecretScalar ledgerKey, SecretBytes recordWrapKey,
                              SecretBytes sessionKey) {
        this.party = party;
        this.rH = rH;
        this.sH = sH;
        this.ledgerKey = ledgerKey;
        this.recordWrapKey = recordWrapKey;
        this.sessionKey = sessionKey;
    }

    /** New keys of a hospital that has just accepted its partial key. */
    static InterHospitalKeys generated(CurveProfile curve, PartyKeys party, PartialKey partialKey, SecureRandom random) {
        byte[] wrap = new byte[32];
        byte[] seal = new byte[32];
        random.nextBytes(wrap);
        random.nextBytes(seal);
        try {
            return new InterHospitalKeys(party, partialKey.encodedPublicPoint(), partialKey.secret(), SecretScalar.random(curve, random),
                    SecretBytes.copyOf(wrap), SecretBytes.copyOf(seal));
        } finally {
            Arrays.fill(wrap, (byte) 0);
            Arrays.fill(seal, (byte) 0);
        }
    }

    /** New keys around a ledger member key generated before registration (a registration forwarded to the authority names it). */
    static InterHospitalKeys generated(CurveProfile curve, PartyKeys party, PartialKey partialKey, SecretScalar ledgerKey,
                                       SecureRandom random) {
        InterHospitalKeys k = generated(curve, party, partialKey, random);
        k.ledgerKey.destroy();
        return new InterHospitalKeys(party, k.rH, k.sH, ledgerKey, k.recordWrapKey, k.sessionKey);
    }

    PartialKey partialKey(CurveProfile curve) throws ProtocolException {
        return new PartialKey(curve.decodePoint(rH), sH);
    }

    /** The hospital's ledger signer (its member key, separate from its protocol keys). */
    Signer ledgerSigner() {
        return ledgerSigner(ledgerKey);
    }

    static Signer ledgerSigner(SecretScalar ledgerKey) {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            BigInteger d = ledgerKey.reveal();
            ECPrivateKey jca = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, spec));
            return P256SignatureScheme.fromPrivateKey(jca);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is unavailable", e);
        }
    }

    byte[] encode() {
        CurveProfile c = party.signing().curve();
        return LabelledEncoder.of(LABEL).secret(party.signing().exportSecret()).secret(party.kem().exportSecret()).bytes(rH)
                .secret(sH).secret(ledgerKey).secret(recordWrapKey).secret(sessionKey).utf8(c.name()).toByteArray();
    }

    static InterHospitalKeys decode(CurveProfile curve, byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        SigningKey signing = SigningKey.of(d.secretScalar(curve));
        KemKeyPair kem = KemKeyPair.of(d.secretScalar(curve));
        byte[] r = d.bytes();
        SecretScalar s = d.secretScalar(curve);
        SecretScalar ledger = d.secretScalar(curve);
        SecretBytes wrap = d.secretBytes();
        SecretBytes seal = d.secretBytes();
        d.utf8();
        d.finish();
        return new InterHospitalKeys(new PartyKeys(signing, kem), r, s, ledger, wrap, seal);
    }

    @Override
    public void destroy() {
        party.destroy();
        sH.destroy();
        ledgerKey.destroy();
        recordWrapKey.destroy();
        sessionKey.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return sH.isDestroyed();
    }

    @Override
    public String toString() {
        return "InterHospitalKeys[redacted]";
    }
}
