package org.medledger.custody;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/** One key-store entry type for every party served here; each kind keeps its own label and parts. */
class KeyEntryTest {

    final CurveProfile curve = CurveProfile.p256();
    final SecureRandom random = new SecureRandom();

    @Test
    void aCenterEntryRoundTripsAndHoldsOnlyItsParts() throws Exception {
        PartyKeys party = PartyKeys.generate(curve, random);
        KeyEntry k = KeyEntry.generated(KeyEntry.CLOUD_CHAIN_CENTER, curve, party, null, null, null, random);
        byte[] encoded = k.encode();
        assertFalse(party.isDestroyed(), "encoding wipes only its own copies");
        KeyEntry back = KeyEntry.decode(KeyEntry.CLOUD_CHAIN_CENTER, curve, encoded);
        assertEquals(party.signingPublic(), back.party.signingPublic());
        assertArrayEquals(k.sharedKey.reveal(), back.sharedKey.reveal());
        assertArrayEquals(k.sessionKey.reveal(), back.sessionKey.reveal());
        assertFalse(java.util.Arrays.equals(k.sharedKey.reveal(), k.sessionKey.reveal()), "each key is its own");
        assertNull(back.partialS);
        assertNull(back.recordWrapKey);
        assertThrows(ProtocolException.class, () -> KeyEntry.decode(KeyEntry.EMR_AUTH_HPC, curve, encoded));
        assertThrows(IllegalArgumentException.class,
                () -> KeyEntry.generated(KeyEntry.DOCTOR_CUSTODY, curve, party, null, null, null, random),
                "a kind's required parts must be given");
        back.destroy();
        assertTrue(back.isDestroyed());
        assertTrue(back.sharedKey.isDestroyed());
        assertFalse(back.toString().contains("Secret"));
    }

    @Test
    void entriesWrittenBeforeTheTypesWereMergedStillRead() throws Exception {
        // the encoding of the former CenterKeys: signing, KEM, KMS_j, session key, curve name
        PartyKeys party = PartyKeys.generate(curve, random);
        SecretBytes kms = SecretBytes.copyOf(new byte[] {1, 2, 3, 4});
        SecretBytes seal = SecretBytes.copyOf(new byte[] {5, 6, 7, 8});
        byte[] old = LabelledEncoder.of("MEDLEDGER/CLOUD-CHAIN/MC/keys").secret(party.signing().exportSecret())
                .secret(party.kem().exportSecret()).secret(kms).secret(seal).utf8(curve.name()).toByteArray();
        KeyEntry back = KeyEntry.decode(KeyEntry.CLOUD_CHAIN_CENTER, curve, old);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, back.sharedKey.reveal());
        assertArrayEquals(new byte[] {5, 6, 7, 8}, back.sessionKey.reveal());
        assertArrayEquals(old, back.encode(), "and are written back the same way");
    }
}
