package org.medledger.protocol.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.FixedRandom;

/**
 * Chebyshev exponentiations with a secret exponent: every one is blinded with fresh randomness,
 * the result is unchanged by the blind, and a member's long-term s_i is not applied to a
 * received value before the message's MAC has been checked.
 */
class SecretExponentTest {

    /** Counts the blinds drawn (each blind is one {@code nextBytes}). */
    private static final class CountingRandom extends SecureRandom {
        private final SecureRandom inner = FixedRandom.seeded(77);
        final AtomicInteger draws = new AtomicInteger();

        @Override
        public void nextBytes(byte[] bytes) {
            draws.incrementAndGet();
            inner.nextBytes(bytes);
        }
    }

    private final CountingRandom blinds = new CountingRandom();
    private final Chebyshev blinded = new Chebyshev(ChebyshevParameters.modp2048(), blinds);
    private final SecureRandom random = FixedRandom.seeded(5);

    @Test
    void everySecretExponentiationDrawsAFreshBlindAndKeepsItsValue() {
        BigInteger n = blinded.randomExponent(random);
        BigInteger y = blinded.ofBase(blinded.randomExponent(random));
        int before = blinds.draws.get();
        BigInteger first = blinded.closedForm(n, y);
        BigInteger second = blinded.closedForm(n, y);
        BigInteger onBase = blinded.ofBase(n);
        assertEquals(3, blinds.draws.get() - before);
        // the blinds differ, the values do not; and they agree with the unblinded recurrence
        assertEquals(first, second);
        assertEquals(blinded.recurrence(n, y), first);
        assertEquals(blinded.recurrence(n, blinded.parameters().x()), onBase);
    }

    @Test
    void theLongTermSecretIsNotAppliedToARequestWhoseMacFails() throws ProtocolException {
        ChebyshevKeyPair ka = ChebyshevKeyPair.generate(blinded, random);
        ChebyshevKeyPair kb = ChebyshevKeyPair.generate(blinded, random);
        GroupDirectory dir = GroupDirectory.of(blinded, Map.of("A", ka.publicValue(), "B", kb.publicValue()));
        GroupMember a = new GroupMember("A", ka, dir, blinded, random);
        GroupMember b = new GroupMember("B", kb, dir, blinded, random);
        // an honest run first, so both sides hold their static secret T_{s_A}(T_{s_B}(x))
        b.accept(a.confirm(b.respond(a.initiate("B"))));

        AuthenticationMessage req = a.initiate("B");
        byte[] mac = req.mac();
        mac[0] ^= 1;
        AuthenticationMessage forged = AuthenticationMessage.request(req.initiator(), req.responder(), req.c(), req.tR(), mac);
        int before = blinds.draws.get();
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class, () -> b.respond(forged)).reason());
        assertEquals(0, blinds.draws.get() - before, "no exponentiation for a request whose MAC fails");

        AuthenticationMessage resp = b.respond(a.initiate("B"));
        byte[] rmac = resp.mac();
        rmac[5] ^= 1;
        AuthenticationMessage forgedResp = AuthenticationMessage.response(resp.initiator(), resp.responder(), resp.c(), resp.tR(), rmac);
        before = blinds.draws.get();
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class, () -> a.confirm(forgedResp)).reason());
        // only the ephemeral SK' = T_{r_A}(T_{r_B}(x)), which the MAC covers; not s_A
        assertEquals(1, blinds.draws.get() - before, "only the ephemeral exponentiation before the MAC check");
    }
}
