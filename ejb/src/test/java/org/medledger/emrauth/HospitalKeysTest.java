package org.medledger.emrauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.custody.KeyEntry;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.emrauth.HospitalCloudRegistration;
import org.medledger.protocol.emrauth.PublicCloud;
import org.medledger.protocol.emrauth.RegistrationResponse;

/** The hospital private cloud's key-store entry and the public cloud's derived keys. */
class HospitalKeysTest {

    @Test
    void theHospitalsKeysSurviveTheKeyStoreRoundTripAndNeverPrint() throws Exception {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        MasterSecret s = MasterSecret.generate(curve, random);
        RegistrationResponse issued = new PublicCloud(org.medledger.protocol.common.Environment.of(curve, java.time.Clock.systemUTC(),
                random), s, (c, id) -> { }).registerHospitalCloud(new HospitalCloudRegistration("hpc-1"));
        PartyKeys party = PartyKeys.generate(curve, random);
        KeyEntry k = KeyEntry.generated(KeyEntry.EMR_AUTH_HPC, curve, party, issued, null, random);
        KeyEntry back = KeyEntry.decode(KeyEntry.EMR_AUTH_HPC, curve, k.encode());
        assertFalse(k.party.isDestroyed(), "encoding wipes only the exported copies");
        assertEquals(party.signingPublic(), back.party.signingPublic());
        assertEquals(party.kemPublic(), back.party.kemPublic());
        assertArrayEquals(issued.encodedS(), back.registrationResponse(curve).encodedS());
        assertArrayEquals(k.ledgerSigner().publicKey(), back.ledgerSigner().publicKey());
        byte[] msg = "entry".getBytes();
        assertEquals(true, P256SignatureScheme.INSTANCE.verify(back.ledgerSigner().publicKey(), msg, k.ledgerSigner().sign(msg)));
        assertArrayEquals(k.recordWrapKey.reveal(), back.recordWrapKey.reveal());
        assertFalse(k.toString().contains(org.bouncycastle.util.encoders.Hex.toHexString(issued.encodedS())));
    }

    @Test
    void thePublicCloudsKeysAreDerivedFromTheMasterSecretAndDistinct() {
        CurveProfile curve = CurveProfile.p256();
        MasterSecret s = MasterSecret.generate(curve, new SecureRandom());
        PartyKeys a = ServerKeys.publicCloud(s);
        PartyKeys b = ServerKeys.publicCloud(s);
        assertEquals(a.signingPublic(), b.signingPublic());
        assertFalse(a.signingPublic().point().equals(ServerKeys.directoryCertifier(s).verificationKey().point()));
        assertFalse(a.signingPublic().point().equals(a.kemPublic().point()));
        assertFalse(a.signingPublic().point().equals(s.publicKey().point()));
    }

    @Test
    void thePublicCloudsKeysAreDerivedOncePerMasterKeyGenerationAndFollowARotation() {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        MasterSecret first = MasterSecret.generate(curve, random);
        PartyKeys kept = PublicCloudService.publicCloudKeys(first);
        assertEquals(ServerKeys.publicCloud(first).signingPublic(), kept.signingPublic());
        assertEquals(ServerKeys.publicCloud(first).kemPublic(), kept.kemPublic());
        org.junit.jupiter.api.Assertions.assertSame(kept, PublicCloudService.publicCloudKeys(first), "derived once");
        // a rotated master secret: the keys of the new generation, never the kept ones
        MasterSecret second = MasterSecret.generate(curve, random);
        PartyKeys rotated = PublicCloudService.publicCloudKeys(second);
        assertEquals(ServerKeys.publicCloud(second).signingPublic(), rotated.signingPublic());
        assertEquals(ServerKeys.publicCloud(second).kemPublic(), rotated.kemPublic());
        assertFalse(rotated.signingPublic().equals(kept.signingPublic()));
    }
}
