package org.medledger.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.medledger.consortium.Consortium;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;

/** Node requests to the authority and the authority's parameters, checked against the membership. */
class NodeSignaturesTest {

    static final SecureRandom RANDOM = new SecureRandom();
    static final long DAY = 86_400_000L;
    final long now = System.currentTimeMillis();
    final Signer kgc = P256SignatureScheme.generate(RANDOM);
    final Signer hpa = P256SignatureScheme.generate(RANDOM);
    final Signer hpb = P256SignatureScheme.generate(RANDOM);
    final Signer hpc = P256SignatureScheme.generate(RANDOM);
    final Consortium consortium = Consortium.majorityOf(new TrustAnchors("kgc", Bytes.of(kgc.publicKey()), List.of(
                    MemberCertificate.issue(kgc, "hpa", Role.BLOCK_PRODUCER, hpa.publicKey(), now - DAY, now + DAY),
                    MemberCertificate.issue(kgc, "hpb", Role.BLOCK_PRODUCER, hpb.publicKey(), now - DAY, now + DAY),
                    MemberCertificate.issue(kgc, "hpc", Role.BLOCK_PRODUCER, hpc.publicKey(), now - DAY, now - 1))),
            List.of("hpa", "hpb", "hpc"), ContractRegistry.of(), P256SignatureScheme.INSTANCE);
    final byte[] body = "a registration".getBytes(StandardCharsets.UTF_8);

    @Test
    void aNodesRequestCountsOnlyWithItsCertifiedKeyForThatPurposeAndBody() {
        String purpose = "inter-hospital/hospital-registration";
        byte[] sig = hpb.sign(NodeSignatures.message(purpose, body));
        assertEquals(Optional.empty(), NodeSignatures.checkNode(consortium, "hpb", now, purpose, body, sig));
        // another hospital's name, an outsider, another purpose, an altered body, a raw signature over the body
        assertEquals(Optional.of("BAD_NODE_SIGNATURE"), NodeSignatures.checkNode(consortium, "hpa", now, purpose, body, sig));
        assertEquals(Optional.of("UNKNOWN_NODE"), NodeSignatures.checkNode(consortium, "hpx", now, purpose, body, sig));
        assertEquals(Optional.of("BAD_NODE_SIGNATURE"), NodeSignatures.checkNode(consortium, "hpb", now, "inter-hospital/directory-lookup",
                body, sig));
        byte[] altered = body.clone();
        altered[0] ^= 1;
        assertEquals(Optional.of("BAD_NODE_SIGNATURE"), NodeSignatures.checkNode(consortium, "hpb", now, purpose, altered, sig));
        assertEquals(Optional.of("BAD_NODE_SIGNATURE"), NodeSignatures.checkNode(consortium, "hpb", now, purpose, body, hpb.sign(body)));
        Signer outsider = P256SignatureScheme.generate(RANDOM);
        assertEquals(Optional.of("BAD_NODE_SIGNATURE"), NodeSignatures.checkNode(consortium, "hpb", now, purpose, body,
                outsider.sign(NodeSignatures.message(purpose, body))));
        // a hospital whose producer certificate has ended
        assertEquals(Optional.of("UNKNOWN_NODE"), NodeSignatures.checkNode(consortium, "hpc", now, purpose, body,
                hpc.sign(NodeSignatures.message(purpose, body))));
    }

    @Test
    void theAuthoritysParametersCountOnlySignedWithTheMembershipsKgcKey() {
        String purpose = "inter-hospital/center-parameters";
        assertTrue(NodeSignatures.checkAuthority(consortium, purpose, body, kgc.sign(NodeSignatures.message(purpose, body))));
        assertFalse(NodeSignatures.checkAuthority(consortium, purpose, body, hpa.sign(NodeSignatures.message(purpose, body))));
        assertFalse(NodeSignatures.checkAuthority(consortium, "inter-hospital/hospital-registration", body,
                kgc.sign(NodeSignatures.message(purpose, body))));
    }

    @Test
    void aForwardedRequestIsIdentifiedByPurposeNodeAndPayloadOnly() {
        byte[] payload = "registration of hpb.x".getBytes(StandardCharsets.UTF_8);
        String key = NodeSignatures.contentKey("p", "hpb", payload);
        assertEquals(key, NodeSignatures.contentKey("p", "hpb", payload.clone()), "a retry (new time, nonce, signature) is the same request");
        assertFalse(key.equals(NodeSignatures.contentKey("p", "hpc", payload)), "another node");
        assertFalse(key.equals(NodeSignatures.contentKey("q", "hpb", payload)), "another purpose");
        byte[] other = payload.clone();
        other[other.length - 1] ^= 1;
        assertFalse(key.equals(NodeSignatures.contentKey("p", "hpb", other)), "another payload");
        // the fields are length-prefixed: no shifting of bytes between them gives the same key
        assertFalse(NodeSignatures.contentKey("ab", "c", new byte[0]).equals(NodeSignatures.contentKey("a", "bc", new byte[0])));
    }
}
