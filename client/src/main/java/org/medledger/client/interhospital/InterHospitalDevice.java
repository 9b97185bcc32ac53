package org.medledger.client.interhospital;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.medledger.client.emrauth.DeviceParty;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.ledger.crypto.Signer;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.interhospital.MedicalIndexEntry;
import org.medledger.protocol.interhospital.RegistrationGrant;

/**
 * A patient's INTER-HOSPITAL state on its own device, in the device's key store: its own
 * signing and KEM keys, its partial key {@code (R_PAT, S_PAT)}, the pinned {@code PK} and
 * directory certification key, and the medical index (which hospital holds which record). The
 * ledger key is the patient's one ledger key, shared with EMR-AUTH when the device has one.
 */
public final class InterHospitalDevice {

    static final String KEYS = "ih-party-keys";
    static final String PARTIAL = "ih-partial-key";
    static final String PINNED = "ih-pinned-trust";
    static final String INDEX = "ih-medical-index";

    private InterHospitalDevice() {
    }

    public static boolean registered(DeviceStore s) throws IOException {
        return s.exists() && s.get(PARTIAL).isPresent();
    }

    /** The patient's ledger key: the device's existing one, or a new one kept here. */
    public static Signer ledgerKey(DeviceStore s, CurveProfile curve, SecureRandom random) throws IOException {
        return s.exists() && s.get("ledger-key").isPresent() ? DeviceParty.ledgerKey(s) : DeviceParty.newLedgerKey(s, curve, random);
    }

    public static void save(DeviceStore s, PartyKeys keys, RegistrationGrant grant, MasterPublicKey pk, VerificationKey certifier,
                            CurveProfile curve) throws IOException {
        put(s, KEYS, LabelledEncoder.of(KEYS).secret(keys.signing().exportSecret()).secret(keys.kem().exportSecret()));
        put(s, PARTIAL, LabelledEncoder.of(PARTIAL).point(curve, grant.rX()).secret(grant.sX()).bytes(grant.entry().encode()));
        put(s, PINNED, LabelledEncoder.of(PINNED).bytes(pk.encoded()).bytes(certifier.encoded()));
        saveIndex(s, List.of());
    }

    /** After a renewal under the current KGC key id: the fresh partial key and entry, and the current {@code PK} pinned. */
    public static void saveRenewed(DeviceStore s, RegistrationGrant grant, MasterPublicKey pk, VerificationKey certifier,
                                   CurveProfile curve) throws IOException {
        put(s, PARTIAL, LabelledEncoder.of(PARTIAL).point(curve, grant.rX()).secret(grant.sX()).bytes(grant.entry().encode()));
        put(s, PINNED, LabelledEncoder.of(PINNED).bytes(pk.encoded()).bytes(certifier.encoded()));
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

    public static RegistrationGrant grant(DeviceStore s, CurveProfile curve) throws IOException, ProtocolException {
        SecretBytes raw = s.require(PARTIAL);
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.reveal(), PARTIAL);
            RegistrationGrant g = new RegistrationGrant(d.point(curve), d.secretScalar(curve),
                    org.medledger.protocol.common.DirectoryEntry.decode(curve, d.bytes()));
            d.finish();
            return g;
        } finally {
            raw.destroy();
        }
    }

    public record Pinned(MasterPublicKey pk, VerificationKey certifierKey) {
    }

    public static Pinned pinned(DeviceStore s, CurveProfile curve) throws IOException, ProtocolException {
        SecretBytes raw = s.require(PINNED);
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.reveal(), PINNED);
            Pinned p = new Pinned(MasterPublicKey.decode(curve, d.bytes()), VerificationKey.decode(curve, d.bytes()));
            d.finish();
            return p;
        } finally {
            raw.destroy();
        }
    }

    public static List<MedicalIndexEntry> index(DeviceStore s) throws IOException, ProtocolException {
        SecretBytes raw = s.require(INDEX);
        try {
            LabelledDecoder d = LabelledDecoder.open(raw.reveal(), INDEX);
            int n = d.int32();
            List<MedicalIndexEntry> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new MedicalIndexEntry(d.utf8(), d.utf8()));
            }
            d.finish();
            return out;
        } finally {
            raw.destroy();
        }
    }

    public static void saveIndex(DeviceStore s, List<MedicalIndexEntry> index) throws IOException {
        LabelledEncoder e = LabelledEncoder.of(INDEX).int32(index.size());
        for (MedicalIndexEntry m : index) {
            e.utf8(m.hospitalId()).utf8(m.diagnosisId());
        }
        put(s, INDEX, e);
    }

    private static void put(DeviceStore s, String name, LabelledEncoder e) throws IOException {
        byte[] b = e.toByteArray();
        try {
            s.put(name, b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }
}
