package org.medledger.protocol.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.pairing.FixedRandom;

class PairwiseAuthenticationTest {

    private final Chebyshev t = new Chebyshev(ChebyshevParameters.modp2048());
    private final SecureRandom random = FixedRandom.seeded(41);
    private GroupMember a;
    private GroupMember b;
    private GroupMember eve;

    @BeforeEach
    void setUp() throws ProtocolException {
        ChebyshevKeyPair ka = ChebyshevKeyPair.generate(t, random);
        ChebyshevKeyPair kb = ChebyshevKeyPair.generate(t, random);
        ChebyshevKeyPair ke = ChebyshevKeyPair.generate(t, random);
        GroupDirectory dir = GroupDirectory.of(t, Map.of("A", ka.publicValue(), "B", kb.publicValue(), "E", ke.publicValue()));
        a = new GroupMember("A", ka, dir, t, random);
        b = new GroupMember("B", kb, dir, t, random);
        // Eve is registered but holds her own key, not A's
        eve = new GroupMember("A", ke, dir, t, random);
    }

    @Test
    void honestRunGivesBothSidesTheEdgeKey() throws ProtocolException {
        b.accept(a.confirm(b.respond(a.initiate("B"))));
        assertTrue(a.hasEdgeKey("A", "B"));
        assertTrue(b.hasEdgeKey("A", "B"));
    }

    @Test
    void tamperedRequestMacStopsTheRun() throws ProtocolException {
        AuthenticationMessage req = a.initiate("B");
        byte[] mac = req.mac();
        mac[0] ^= 1;
        AuthenticationMessage bad = AuthenticationMessage.request(req.initiator(), req.responder(), req.c(), req.tR(), mac);
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class, () -> b.respond(bad)).reason());
        assertFalse(b.hasEdgeKey("A", "B"));
    }

    @Test
    void tamperedCiphertextStopsTheRun() throws ProtocolException {
        // The MACs cover C_i and C_{i+1} and are checked before the long-term secret touches the
        // received T_r(x), so a tampered ciphertext fails the MAC, not the decryption.
        AuthenticationMessage req = a.initiate("B");
        byte[] c = req.c();
        c[c.length - 1] ^= 1;
        AuthenticationMessage bad = AuthenticationMessage.request(req.initiator(), req.responder(), c, req.tR(), req.mac());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class, () -> b.respond(bad)).reason());
        AuthenticationMessage resp = b.respond(a.initiate("B"));
        byte[] c2 = resp.c();
        c2[20] ^= 1;
        AuthenticationMessage bad2 = AuthenticationMessage.response(resp.initiator(), resp.responder(), c2, resp.tR(), resp.mac());
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class, () -> a.confirm(bad2)).reason());
        assertFalse(a.hasEdgeKey("A", "B"));
    }

    @Test
    void tamperedResponseMacAndAckStopTheRun() throws ProtocolException {
        AuthenticationMessage resp = b.respond(a.initiate("B"));
        byte[] mac = resp.mac();
        mac[31] ^= 1;
        AuthenticationMessage bad = AuthenticationMessage.response(resp.initiator(), resp.responder(), resp.c(), resp.tR(), mac);
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class, () -> a.confirm(bad)).reason());

        AuthenticationAck ack = a.confirm(b.respond(a.initiate("B")));
        byte[] m = ack.mac();
        m[3] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED,
                assertThrows(ProtocolException.class, () -> b.accept(new AuthenticationAck("A", "B", m))).reason());
        assertFalse(b.hasEdgeKey("A", "B"));
    }

    /** A forged or replayed message at any step is refused and the honest run it interleaves with completes. */
    @Test
    void forgedMessagesLeaveTheHonestRunIntact() throws ProtocolException {
        AuthenticationMessage req = a.initiate("B");
        // step 2: a forged request for the same edge while B's answer is pending, then the honest request replayed
        AuthenticationMessage resp = b.respond(req);
        byte[] badMac = req.mac();
        badMac[0] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class,
                () -> b.respond(AuthenticationMessage.request("A", "B", req.c(), req.tR(), badMac))).reason());
        assertThrows(ProtocolException.class, () -> b.respond(eve.initiate("B")));
        assertEquals(Reason.REPLAY, assertThrows(ProtocolException.class, () -> b.respond(req)).reason());
        // step 3: a forged response (and a response from another run) at A
        byte[] badRespMac = resp.mac();
        badRespMac[5] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class,
                () -> a.confirm(AuthenticationMessage.response("A", "B", resp.c(), resp.tR(), badRespMac))).reason());
        AuthenticationAck ack = a.confirm(resp);
        // step 4: a forged acknowledgement at B
        byte[] badAck = ack.mac();
        badAck[1] ^= 1;
        assertEquals(Reason.KEY_CONFIRMATION_FAILED, assertThrows(ProtocolException.class,
                () -> b.accept(new AuthenticationAck("A", "B", badAck))).reason());
        assertFalse(b.hasEdgeKey("A", "B"));
        b.accept(ack);
        assertTrue(a.hasEdgeKey("A", "B"));
        assertTrue(b.hasEdgeKey("A", "B"));
        // used up: the acknowledgement and the response do not apply twice
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> b.accept(ack)).reason());
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> a.confirm(resp)).reason());
    }

    @Test
    void impostorWithoutTheInitiatorsKeyIsRejected() throws ProtocolException {
        // Eve claims to be A: B's K' and the static MAC key use A's real public key.
        AuthenticationMessage forged = eve.initiate("B");
        assertThrows(ProtocolException.class, () -> b.respond(forged));
    }

    @Test
    void invalidChebyshevValueIsRejected() throws ProtocolException {
        AuthenticationMessage req = a.initiate("B");
        AuthenticationMessage bad = AuthenticationMessage.request("A", "B", req.c(), new ChebyshevValue(BigInteger.ONE, BigInteger.ONE), req.mac());
        assertEquals(Reason.BAD_PARAMETER, assertThrows(ProtocolException.class, () -> b.respond(bad)).reason());
        // deviation G16: the root that travels with T_r(x) must square to T_r(x)² − 1
        ChebyshevValue honest = req.tR();
        AuthenticationMessage wrongRoot = AuthenticationMessage.request("A", "B", req.c(),
                new ChebyshevValue(honest.y(), honest.root().add(BigInteger.ONE)), req.mac());
        assertEquals(Reason.BAD_PARAMETER, assertThrows(ProtocolException.class, () -> b.respond(wrongRoot)).reason());
        // ... while the other square root (−root) is as good: it gives u^{-1} and the same T_n
        AuthenticationMessage negated = AuthenticationMessage.request("A", "B", req.c(),
                new ChebyshevValue(honest.y(), t.parameters().p().subtract(honest.root())), req.mac());
        b.respond(negated);
        byte[] enc = req.toBytes(t.parameters());
        byte[] trailing = java.util.Arrays.copyOf(enc, enc.length + 1);
        assertEquals(Reason.MALFORMED_MESSAGE,
                assertThrows(ProtocolException.class, () -> AuthenticationMessage.decode(AuthenticationMessage.Step.REQUEST, t, trailing)).reason());
    }

    @Test
    void aMessageOfTheOtherStepIsRefused() throws ProtocolException {
        AuthenticationMessage req = a.initiate("B");
        AuthenticationMessage resp = b.respond(req);
        // a response handed to respond(), or a request to confirm(), is refused before any check
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> b.respond(resp)).reason());
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class, () -> a.confirm(req)).reason());
        // the encodings are separated by their labels: a request's bytes never decode as a response
        byte[] reqBytes = req.toBytes(t.parameters());
        assertEquals(Reason.MALFORMED_MESSAGE, assertThrows(ProtocolException.class,
                () -> AuthenticationMessage.decode(AuthenticationMessage.Step.RESPONSE, t, reqBytes)).reason());
        assertEquals(req, AuthenticationMessage.decode(AuthenticationMessage.Step.REQUEST, t, reqBytes));
        // the honest response still completes the run
        b.accept(a.confirm(resp));
        assertTrue(a.hasEdgeKey("A", "B"));
    }
}
