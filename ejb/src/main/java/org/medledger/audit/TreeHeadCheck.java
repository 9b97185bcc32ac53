package org.medledger.audit;

import java.time.Instant;

/**
 * One signed tree head as checked: its producer signature against the trust anchors and its
 * consistency (RFC 9162 §2.1.4) with the tree head listed before it.
 *
 * @param previousSize the size of the tree head it was checked against, -1 for the first listed
 * @param problem       empty when both checks passed, else what failed
 */
public record TreeHeadCheck(long treeSize, String rootHash, Instant timestamp, String signer,
                            boolean signatureValid, long previousSize, boolean consistent, String problem) {

    public boolean ok() {
        return signatureValid && consistent;
    }
}
