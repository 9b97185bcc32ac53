package org.medledger.interhospital;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.medledger.custody.KeyEntry;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.InMemoryPartyDirectory;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SigningKey;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.Hospital;
import org.medledger.protocol.interhospital.RegistrationOutcome;

class InterHospitalKeysTest {

    @Test
    void aHospitalsKeysSurviveTheKeyStoreRoundTripAndNeverPrint() throws Exception {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        Environment env = Environment.of(curve, Clock.systemUTC(), random);
        KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, random), Clock.systemUTC(), Duration.ofDays(1));
        BlockchainCenter center = new BlockchainCenter(env, MasterSecret.generate(curve, random), certifier);
        InMemoryPartyDirectory directory = new InMemoryPartyDirectory();
        PartyKeys party = PartyKeys.generate(curve, random);
        Hospital h = new Hospital(env, new TrustContext(center.publicKey(), certifier.verificationKey(), directory, (c, id) -> { }),
                party, "hpa", q -> true);
        RegistrationOutcome o = center.register(h.registrationRequest("hospital hpa"));
        h.acceptRegistration(o.grant());
        KeyEntry k = KeyEntry.generated(KeyEntry.INTER_HOSPITAL, curve, party, h.partialKey(), random);
        KeyEntry back = KeyEntry.decode(KeyEntry.INTER_HOSPITAL, curve, k.encode());
        assertThrows(ProtocolException.class, () -> KeyEntry.decode(KeyEntry.EMR_AUTH_HPC, curve, k.encode()),
                "an entry of one kind never reads as another");
        assertEquals(party.signingPublic(), back.party.signingPublic());
        assertEquals(party.kemPublic(), back.party.kemPublic());
        assertEquals(h.partialKey().publicPoint(), back.partialKey(curve).publicPoint());
        assertArrayEquals(h.partialKey().encodedSecret(), back.partialKey(curve).encodedSecret());
        byte[] msg = "mrins".getBytes();
        assertTrue(P256SignatureScheme.INSTANCE.verify(back.ledgerSigner().publicKey(), msg, k.ledgerSigner().sign(msg)));
        assertArrayEquals(k.recordWrapKey.reveal(), back.recordWrapKey.reveal());
        assertFalse(k.toString().contains(org.bouncycastle.util.encoders.Hex.toHexString(h.partialKey().encodedSecret())));
    }

    @Test
    void aForwardedRegistrationKeepsTheLedgerKeyItNamedToTheAuthority() throws Exception {
        CurveProfile curve = CurveProfile.p256();
        SecureRandom random = new SecureRandom();
        Environment env = Environment.of(curve, Clock.systemUTC(), random);
        KeyCertifier certifier = new KeyCertifier(SigningKey.generate(curve, random), Clock.systemUTC(), Duration.ofDays(1));
        BlockchainCenter center = new BlockchainCenter(env, MasterSecret.generate(curve, random), certifier);
        PartyKeys party = PartyKeys.generate(curve, random);
        Hospital h = new Hospital(env, new TrustContext(center.publicKey(), certifier.verificationKey(), new InMemoryPartyDirectory(),
                (c, id) -> { }), party, "hpb.cardiology", q -> true);
        h.acceptRegistration(center.register(h.registrationRequest("hospital hpb.cardiology")).grant());
        org.medledger.protocol.common.SecretScalar ledgerKey = org.medledger.protocol.common.SecretScalar.random(curve, random);
        byte[] named = KeyEntry.ledgerSigner(ledgerKey).publicKey();
        KeyEntry k = KeyEntry.generated(KeyEntry.INTER_HOSPITAL, curve, party, h.partialKey(), ledgerKey, random);
        KeyEntry back = KeyEntry.decode(KeyEntry.INTER_HOSPITAL, curve, k.encode());
        assertArrayEquals(named, back.ledgerSigner().publicKey());
        byte[] msg = "mrins".getBytes();
        assertTrue(P256SignatureScheme.INSTANCE.verify(named, msg, back.ledgerSigner().sign(msg)));
        assertFalse(P256SignatureScheme.INSTANCE.verify(P256SignatureScheme.generate(random).publicKey(), msg,
                back.ledgerSigner().sign(msg)));
    }

    @Test
    void aRecordAtRestOpensOnlyForItsHospitalPatientSourceAndRecord() throws Exception {
        SecretBytes wrap = SecretBytes.copyOf(new byte[32]);
        byte[] fhir = "{\"resourceType\":\"Patient\"}".getBytes();
        var s = InterHospitalRecords.envelope("hpa", "DX-1").seal(wrap, "hpb", "p1", 42, fhir);
        assertArrayEquals(fhir, InterHospitalRecords.envelope("hpa", "DX-1").open(wrap, "hpb", "p1", 42, s.wrappedKey(), s.ciphertext()));
        assertThrows(ProtocolException.class, () -> InterHospitalRecords.envelope("hpa", "DX-2").open(wrap, "hpb", "p1", 42,
                s.wrappedKey(), s.ciphertext()));
        assertThrows(ProtocolException.class, () -> InterHospitalRecords.envelope("hpc", "DX-1").open(wrap, "hpb", "p1", 42,
                s.wrappedKey(), s.ciphertext()));
        assertThrows(ProtocolException.class, () -> InterHospitalRecords.envelope("hpa", "DX-1").open(wrap, "hpb", "p2", 42,
                s.wrappedKey(), s.ciphertext()));
    }
}
