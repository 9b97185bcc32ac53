package org.medledger.consensus;

import org.medledger.platform.DomainException;

/**
 * One kind of KGC registration (or partial-key renewal) that a consortium node which is not the
 * authority forwards to the authority (the one mechanism: {@code ConsortiumAuthority.request} on the node, {@code AuthorityDesk}
 * at the authority). An implementation is a CDI bean of the scheme's registration boundary: it
 * decodes the payload the node signed, registers the party at the authority's KGC, records the
 * result on the shared ledger, and answers bytes that only the registering party opens (its secret
 * parts sealed to the party's own KEM key, never readable by the forwarding node). The authority
 * has verified the node's signature and membership before it is called, and keeps the answer by
 * the request's signed content while a retry can still be accepted, so a retried registration gets
 * the same answer; {@link #signedContent} therefore refuses a proof outside its freshness window.
 */
public interface ForwardedRegistration {

    /** The purpose the node names and signs (domain separation of the node's signature). */
    String purpose();

    /**
     * Checks the party's own signature in {@code payload} (proof of possession of its signing key,
     * over its id, public keys, the purpose and a time, or of its partial key for a renewal: the
     * forwarding node substitutes none of them) and that it is fresh ({@code STALE_PROOF}), and returns
     * the identity of what the party signed, which keys the authority's answer.
     */
    byte[] signedContent(byte[] payload) throws DomainException;

    /**
     * Registers what node {@code nodeId} forwarded (its proof checked again), recorded as asked by
     * {@code requestedBy} (the node's user who asked, and the node); the answer for the party, sealed to it.
     */
    byte[] register(String nodeId, String requestedBy, byte[] payload) throws DomainException;
}
