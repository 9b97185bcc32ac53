package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.FixedRandom;

/** A delivered key opens only for its holder, under its name and kind, and only if it fits the public parameters. */
class KeyDeliveryTest {

    private final SecureRandom random = FixedRandom.seeded(17);
    private final KeyGenerationCenter kgc = new KeyGenerationCenter(Bls12381.get(), random);
    private final PublicParameters pp = kgc.publicParameters();
    private final KemKeyPair holder = KemKeyPair.generate(CurveProfile.p256(), random);

    @Test
    void theHolderOpensItsAttributeKeyAndIdentityKey() throws ProtocolException {
        byte[] sealed = KeyDelivery.seal(holder.publicKey(), "insurer-1", KeyDelivery.Kind.ATTRIBUTE,
                kgc.issueAttributeKey(Set.of("insurer", "claims")).toBytes(), random);
        assertEquals(Set.of("insurer", "claims"), KeyDelivery.openAttributeKey(holder, "insurer-1", pp, sealed).attributes());
        byte[] id = KeyDelivery.seal(holder.publicKey(), "Patient-7", KeyDelivery.Kind.IDENTITY,
                kgc.issueIdentityKey("Patient-7").toBytes(), random);
        assertEquals("patient-7", KeyDelivery.openIdentityKey(holder, "Patient-7", pp, id).identity());
    }

    @Test
    void anotherRecipientNameKindOrTamperedSealFails() {
        byte[] sealed = KeyDelivery.seal(holder.publicKey(), "insurer-1", KeyDelivery.Kind.ATTRIBUTE,
                kgc.issueAttributeKey(Set.of("insurer")).toBytes(), random);
        KemKeyPair other = KemKeyPair.generate(CurveProfile.p256(), random);
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class,
                () -> KeyDelivery.openAttributeKey(other, "insurer-1", pp, sealed)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class,
                () -> KeyDelivery.openAttributeKey(holder, "insurer-2", pp, sealed)).reason());
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class,
                () -> KeyDelivery.openIdentityKey(holder, "insurer-1", pp, sealed)).reason());
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertEquals(Reason.DECRYPTION_FAILED, assertThrows(ProtocolException.class,
                () -> KeyDelivery.openAttributeKey(holder, "insurer-1", pp, tampered)).reason());
    }

    @Test
    void anIdentityKeyForAnotherNameOrFromAnotherKgcIsRefused() {
        byte[] forOther = KeyDelivery.seal(holder.publicKey(), "patient-7", KeyDelivery.Kind.IDENTITY,
                kgc.issueIdentityKey("patient-8").toBytes(), random);
        assertEquals(Reason.NOT_AUTHORIZED, assertThrows(ProtocolException.class,
                () -> KeyDelivery.openIdentityKey(holder, "patient-7", pp, forOther)).reason());
        KeyGenerationCenter rogue = new KeyGenerationCenter(Bls12381.get(), random);
        byte[] foreign = KeyDelivery.seal(holder.publicKey(), "insurer-1", KeyDelivery.Kind.ATTRIBUTE,
                rogue.issueAttributeKey(Set.of("insurer")).toBytes(), random);
        assertEquals(Reason.BAD_PARTIAL_KEY, assertThrows(ProtocolException.class,
                () -> KeyDelivery.openAttributeKey(holder, "insurer-1", pp, foreign)).reason());
    }
}
