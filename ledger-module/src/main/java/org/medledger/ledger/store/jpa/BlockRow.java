package org.medledger.ledger.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "ledger_block")
class BlockRow {
    @Id
    @Column(name = "block_number")
    long number;
    @Column(name = "block_hash", nullable = false)
    byte[] blockHash;
    @Column(name = "previous_hash", nullable = false)
    byte[] previousHash;
    @Column(name = "tx_root", nullable = false)
    byte[] txRoot;
    @Column(name = "first_log_index", nullable = false)
    long firstLogIndex;
    @Column(name = "tx_count", nullable = false)
    int txCount;
    @Column(name = "log_root", nullable = false)
    byte[] logRoot;
    @Column(name = "created_at", nullable = false)
    long createdAt;
    @Column(name = "first_tx_time", nullable = false)
    long firstTxTime;
    @Column(name = "last_tx_time", nullable = false)
    long lastTxTime;
    @Column(name = "producer", nullable = false, length = 200)
    String producer;
    @Column(name = "nonce", nullable = false)
    long nonce;
    @Column(name = "difficulty_bits", nullable = false)
    int difficultyBits;
    @Column(name = "producer_signature", nullable = false)
    byte[] producerSignature;

    protected BlockRow() {
    }
}
