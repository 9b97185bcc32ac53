package org.medledger.protocol.abe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.pairing.Bls12381;
import org.medledger.protocol.pairing.FixedRandom;
import org.medledger.protocol.pairing.GtElement;
import org.medledger.protocol.pairing.PairingGroup;

/** A KGC set up from a key-store seed: the same seed is the same KGC in every call, another seed is not. */
class SeededSetupTest {

    private final PairingGroup group = Bls12381.get();
    private final SecureRandom random = FixedRandom.seeded(11);

    private static SecretBytes seed(int b) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) b);
        return SecretBytes.copyOf(s);
    }

    @Test
    void theSameSeedGivesTheSamePublicParametersAndCompatibleKeys() throws ProtocolException {
        KeyGenerationCenter first = KeyGenerationCenter.fromSeed(group, random, seed(7));
        KeyGenerationCenter second = KeyGenerationCenter.fromSeed(group, random, seed(7));
        assertArrayEquals(first.publicParameters().toBytes(), second.publicParameters().toBytes());
        // A key issued by one call opens a ciphertext made under the parameters read in another.
        CombinedScheme scheme = new CombinedScheme(PublicParameters.decode(group, first.publicParameters().toBytes()), random);
        GtElement m = scheme.randomMessage();
        PolicyCiphertext ct = scheme.encrypt(AccessPolicy.parse("insurer AND claims"), m);
        assertEquals(m, scheme.decrypt(second.issueAttributeKey(Set.of("insurer", "claims")), ct));
    }

    @Test
    void anotherSeedIsAnotherKgcAndItsKeysDoNotFit() throws ProtocolException {
        KeyGenerationCenter a = KeyGenerationCenter.fromSeed(group, random, seed(7));
        KeyGenerationCenter b = KeyGenerationCenter.fromSeed(group, random, seed(8));
        assertFalse(Arrays.equals(a.publicParameters().toBytes(), b.publicParameters().toBytes()));
        byte[] foreign = b.issueAttributeKey(Set.of("insurer")).toBytes();
        assertThrows(ProtocolException.class, () -> AttributeKey.decode(a.publicParameters(), foreign));
    }

    @Test
    void aShortSeedIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> KeyGenerationCenter.fromSeed(group, random, SecretBytes.copyOf(new byte[16])));
    }
}
