package org.medledger.ledger.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "ledger_tree_head")
class TreeHeadRow {
    @Id
    @Column(name = "tree_size")
    long treeSize;
    @Column(name = "root_hash", nullable = false)
    byte[] rootHash;
    @Column(name = "head_timestamp", nullable = false)
    long timestamp;
    @Column(name = "signer", nullable = false, length = 200)
    String signer;
    /** Null only in rows written before the log id existed; such a head does not verify. */
    @Column(name = "log_id", length = 200)
    String logId;
    @Column(name = "key_id")
    byte[] keyId;
    @Column(name = "signature", nullable = false)
    byte[] signature;

    protected TreeHeadRow() {
    }
}
