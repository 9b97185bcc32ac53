package org.medledger.audit;

import java.time.Instant;

/**
 * This node's ledger at a glance.
 *
 * @param latestTreeHead when the newest tree head was signed, null on an empty ledger
 * @param treeHeadValid  whether its signature verifies against the trust anchors
 */
public record LedgerHealth(long entries, long blocks, Instant latestTreeHead, String rootHash, boolean treeHeadValid) {
}
