package org.medledger.consensus;

import java.util.Optional;

import org.medledger.consortium.Consortium;
import org.medledger.consortium.ConsortiumException;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.protocol.common.LabelledEncoder;

/**
 * Signatures between the nodes of a consortium outside Raft: a node's request to the authority,
 * signed with its block-producer key; the authority's published parameters, signed with the KGC
 * ledger key. Both are checked against the membership (the trust anchors every node holds), each
 * message labelled with its purpose so that no such signature is a block, a head or another purpose's.
 */
public final class NodeSignatures {

    private static final String LABEL = "MEDLEDGER/consortium/node-signature/v1";

    private NodeSignatures() {
    }

    public static byte[] message(String purpose, byte[] body) {
        return LabelledEncoder.of(LABEL).utf8(purpose).bytes(body).toByteArray();
    }

    /**
     * Whether {@code signature} is hospital {@code nodeId}'s, with the producer key the membership
     * certifies for it at {@code at}; empty when it is, else the refusal's reason.
     */
    public static Optional<String> checkNode(Consortium consortium, String nodeId, long at, String purpose, byte[] body,
                                             byte[] signature) {
        MemberCertificate cert;
        try {
            cert = consortium.hospital(nodeId, at);
        } catch (ConsortiumException e) {
            return Optional.of("UNKNOWN_NODE");
        }
        return P256SignatureScheme.INSTANCE.verify(cert.publicKey().toArray(), message(purpose, body), signature)
                ? Optional.empty() : Optional.of("BAD_NODE_SIGNATURE");
    }

    /** Whether {@code signature} is the membership's KGC's (the authority's) over {@code body}. */
    public static boolean checkAuthority(Consortium consortium, String purpose, byte[] body, byte[] signature) {
        return P256SignatureScheme.INSTANCE.verify(consortium.anchors().kgcPublicKey().toArray(), message(purpose, body), signature);
    }

    /**
     * The identity of a forwarded request by its signed content: purpose, node and payload, hex of
     * SHA-256 over their labelled encoding. Not the request's time, nonce or signature, so the same
     * registration sent again (a retry) has the same identity.
     */
    public static String contentKey(String purpose, String nodeId, byte[] payload) {
        byte[] encoded = LabelledEncoder.of(CONTENT_LABEL).utf8(purpose).utf8(nodeId).bytes(payload).toByteArray();
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(encoded));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static final String CONTENT_LABEL = "MEDLEDGER/consortium/forwarded-content/v1";
}
