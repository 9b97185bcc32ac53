package org.medledger.consortium;

import java.util.List;

import org.medledger.ledger.log.SignedTreeHead;

/**
 * Why a node stopped counting a hospital as a witness, with the signed statements that prove it
 * where there are some (two co-signatures or two tree heads of one size, or a co-signature
 * against this node's own log), or the audit report.
 */
public record Evidence(String node, ConsortiumReason reason, String detail, List<Cosignature> cosignatures, List<SignedTreeHead> heads) {
    public Evidence {
        cosignatures = List.copyOf(cosignatures);
        heads = List.copyOf(heads);
    }
}
