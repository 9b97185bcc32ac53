package org.medledger.client.emrauth;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;

import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * What a device keeps about its own party in its {@link DeviceStore}: the keys it generated, the
 * partial key the KGC issued, the keys it pinned ({@code PK}, the directory certification key),
 * and for a patient {@code B_P} and its ledger key. Encoded per entry with the protocol's
 * labelled encoding.
 */
public final class DeviceParty {

    static final String KEYS = "party-keys";
    static final String PARTIAL = "partial-key";
    static final String PINNED = "pinned-trust";
    static final String BIOMETRIC = "device-secret";
    static final String LEDGER = "ledger-key";
    static final String AUDIT = "audit-head";

    private DeviceParty() {
    }

    public static void saveKeys(DeviceStore s, PartyKeys keys) throws IOException {
        SecretScalar sig = keys.signing().exportSecret();
        SecretScalar kem = keys.kem().exportSecret();
        byte[] b = LabelledEncoder.of(KEYS).secret(sig).secret(kem).toByteArray();
        try {
            s.put(KEYS, b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    public static PartyKeys keys(DeviceStore s, CurveProfile curve) throws IOException, ProtocolException {
        SecretBytes raw = s.require(KEYS);
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.reveal(), KEYS);
            PartyKeys k = new PartyKeys(SigningKey.of(d.secretScalar(curve)), KemKeyPair.of(d.secretScalar(curve)));
            d.finish();
            return k;
        } finally {
            raw.destroy();
        }
    }

    public static void savePartialKey(DeviceStore s, RegistrationResponse r) throws IOException {
        byte[] sb = r.encodedS();
        byte[] b = LabelledEncoder.of(PARTIAL).bytes(r.encodedR()).bytes(sb).toByteArray();
        Arrays.fill(sb, (byte) 0);
        try {
            s.put(PARTIAL, b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    public static RegistrationResponse partialKey(DeviceStore s, CurveProfile curve) throws IOException, ProtocolException {
        SecretBytes raw = s.require(PARTIAL);
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.reveal(), PARTIAL);
            byte[] r = d.bytes();
            byte[] sb = d.bytes();
            d.finish();
            try {
                return RegistrationResponse.fromFields(curve, r, sb);
            } finally {
                Arrays.fill(sb, (byte) 0);
            }
        } finally {
            raw.destroy();
        }
    }

    /** The keys this device trusts, pinned at registration. */
    public record Pinned(MasterPublicKey pk, VerificationKey certifierKey, String publicCloudId) {
    }

    public static void savePinned(DeviceStore s, Pinned p) throws IOException {
        s.put(PINNED, LabelledEncoder.of(PINNED).bytes(p.pk().encoded()).bytes(p.certifierKey().encoded())
                .utf8(p.publicCloudId()).toByteArray());
    }

    public static Pinned pinned(DeviceStore s, CurveProfile curve) throws IOException, ProtocolException {
        SecretBytes raw = s.require(PINNED);
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.reveal(), PINNED);
            Pinned p = new Pinned(MasterPublicKey.decode(curve, d.bytes()), VerificationKey.decode(curve, d.bytes()), d.utf8());
            d.finish();
            return p;
        } finally {
            raw.destroy();
        }
    }

    /** A fresh ledger key for a patient (its consent transactions), kept on the device. */
    public static Signer newLedgerKey(DeviceStore s, CurveProfile curve, SecureRandom random) throws IOException {
        SecretScalar d = SecretScalar.random(curve, random);
        byte[] b = d.encoded();
        try {
            s.put(LEDGER, b);
            return signer(b);
        } finally {
            Arrays.fill(b, (byte) 0);
            d.destroy();
        }
    }

    public static Signer ledgerKey(DeviceStore s) throws IOException {
        SecretBytes raw = s.require(LEDGER);
        byte[] b = raw.reveal();
        try {
            return signer(b);
        } finally {
            Arrays.fill(b, (byte) 0);
            raw.destroy();
        }
    }

    private static Signer signer(byte[] scalar) throws IOException {
        try {
            java.security.AlgorithmParameters params = java.security.AlgorithmParameters.getInstance("EC");
            params.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.spec.ECParameterSpec spec = params.getParameterSpec(java.security.spec.ECParameterSpec.class);
            java.security.interfaces.ECPrivateKey k = (java.security.interfaces.ECPrivateKey) java.security.KeyFactory
                    .getInstance("EC").generatePrivate(new java.security.spec.ECPrivateKeySpec(new java.math.BigInteger(1, scalar), spec));
            return P256SignatureScheme.fromPrivateKey(k);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("P-256 is unavailable");
        }
    }

    public static void saveBiometric(DeviceStore s, SecretBytes bP) throws IOException {
        byte[] b = bP.reveal();
        try {
            s.put(BIOMETRIC, b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    public static SecretBytes biometric(DeviceStore s) throws IOException {
        return s.require(BIOMETRIC);
    }

    /** The tree head the patient's device verified last (size and root), for the next consistency proof. */
    public static void saveAuditHead(DeviceStore s, byte[] anchors, long size, byte[] root) throws IOException {
        s.put(AUDIT, LabelledEncoder.of(AUDIT).bytes(anchors).int64(size).bytes(root).toByteArray());
    }

    public record AuditHead(byte[] anchors, long size, byte[] root) {
    }

    public static java.util.Optional<AuditHead> auditHead(DeviceStore s) throws IOException, ProtocolException {
        java.util.Optional<SecretBytes> raw = s.get(AUDIT);
        if (raw.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.get().reveal(), AUDIT);
            AuditHead h = new AuditHead(d.bytes(), d.int64(), d.bytes());
            d.finish();
            return java.util.Optional.of(h);
        } finally {
            raw.get().destroy();
        }
    }
}
