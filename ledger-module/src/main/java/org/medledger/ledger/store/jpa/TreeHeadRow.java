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
    @Column(name = "signature", nullable = false)
    byte[] signature;

    protected TreeHeadRow() {
    }
}
