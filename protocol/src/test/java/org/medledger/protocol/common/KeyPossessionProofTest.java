package org.medledger.protocol.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.testkit.Twins;

/** A party's own signature over the registration someone else forwards: no key, id, purpose or time can be changed. */
class KeyPossessionProofTest {

    static final CurveProfile CURVE = CurveProfile.p256();
    static final SecureRandom RANDOM = new SecureRandom();
    static final String PURPOSE = "inter-hospital/hospital-registration";
    static final long AT = 1_760_000_000_000L;

    final PartyKeys party = PartyKeys.generate(CURVE, RANDOM);
    final PartyKeys other = PartyKeys.generate(CURVE, RANDOM);
    final byte[] ledgerKey = other.signingPublic().encoded();
    final KeyPossessionProof proof = KeyPossessionProof.sign(party, PURPOSE, "hpb.cardio", "hospital hpb.cardio", ledgerKey, AT);

    static Reason reason(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(ProtocolException.class, e).reason();
    }

    @Test
    void theProofVerifiesWithThePartysKeyAndRoundTrips() throws ProtocolException {
        KeyPossessionProof decoded = KeyPossessionProof.decode(CURVE, proof.encode());
        assertEquals(proof, decoded);
        assertArrayEquals(proof.verify(PURPOSE).digest(), decoded.verify(PURPOSE).digest());
        assertArrayEquals(party.kemPublic().encoded(), decoded.kemKey().encoded());
    }

    @Test
    void everySubstitutedFieldIsRefused() {
        KeyPossessionProof p = proof;
        byte[] sig = p.signature();
        for (KeyPossessionProof swapped : new KeyPossessionProof[] {
            new KeyPossessionProof(p.purpose(), p.partyId(), p.detail(), p.signingKey(), other.kemPublic(), p.ledgerKey(), p.at(), sig),
            new KeyPossessionProof(p.purpose(), p.partyId(), p.detail(), other.signingPublic(), p.kemKey(), p.ledgerKey(), p.at(), sig),
            new KeyPossessionProof(p.purpose(), p.partyId(), p.detail(), p.signingKey(), p.kemKey(), party.signingPublic().encoded(), p.at(), sig),
            new KeyPossessionProof(p.purpose(), "hpb.other", p.detail(), p.signingKey(), p.kemKey(), p.ledgerKey(), p.at(), sig),
            new KeyPossessionProof(p.purpose(), p.partyId(), "hospital x", p.signingKey(), p.kemKey(), p.ledgerKey(), p.at(), sig),
            new KeyPossessionProof(p.purpose(), p.partyId(), p.detail(), p.signingKey(), p.kemKey(), p.ledgerKey(), p.at() + 1, sig),
            new KeyPossessionProof(p.purpose(), p.partyId(), p.detail(), p.signingKey(), p.kemKey(), p.ledgerKey(), p.at(),
                    Twins.twin(CURVE, sig)) }) {
            assertEquals(Reason.BAD_SIGNATURE, reason(() -> swapped.verify(PURPOSE)), swapped.toString());
        }
        // signed for another purpose: refused for this one
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> proof.verify("emr-auth/hospital-cloud-registration")));
        // the node's own key pair signing the party's registration is the node's proof, over the node's keys
        KeyPossessionProof byNode = KeyPossessionProof.sign(other, PURPOSE, "hpb.cardio", "hospital hpb.cardio", ledgerKey, AT);
        assertNotEquals(proof, byNode);
    }

    @Test
    void theReplayIdentityIsTheSignedContentAndTheTimeIsBounded() throws ProtocolException {
        KeyPossessionProof later = KeyPossessionProof.sign(party, PURPOSE, "hpb.cardio", "hospital hpb.cardio", ledgerKey, AT + 1);
        assertFalse(java.util.Arrays.equals(proof.verify(PURPOSE).digest(), later.verify(PURPOSE).digest()));
        assertTrue(proof.isFresh(AT + KeyPossessionProof.MAX_SKEW.toMillis()));
        assertTrue(proof.isFresh(AT - KeyPossessionProof.MAX_SKEW.toMillis()));
        assertFalse(proof.isFresh(AT + KeyPossessionProof.MAX_SKEW.toMillis() + 1));
        assertFalse(proof.isFresh(AT - KeyPossessionProof.MAX_SKEW.toMillis() - 1));
    }

    @Test
    void badEncodingsAreRefused() {
        byte[] e = proof.encode();
        byte[] cut = java.util.Arrays.copyOf(e, e.length - 1);
        assertThrows(ProtocolException.class, () -> KeyPossessionProof.decode(CURVE, cut));
        byte[] longer = java.util.Arrays.copyOf(e, e.length + 1);
        assertThrows(ProtocolException.class, () -> KeyPossessionProof.decode(CURVE, longer));
    }
}
