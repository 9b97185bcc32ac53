package org.medledger.ledger.store.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "ledger_transaction")
class TxRow {
    @Id
    @Column(name = "log_index")
    long logIndex;
    @Column(name = "block_number", nullable = false)
    long blockNumber;
    @Column(name = "tx_id", nullable = false)
    byte[] txId;
    @Column(name = "submitter", nullable = false, length = 200)
    String submitter;
    @Column(name = "contract", nullable = false, length = 100)
    String contract;
    @Column(name = "function_name", nullable = false, length = 100)
    String function;
    @Column(name = "arguments", nullable = false)
    byte[] arguments;
    @Column(name = "tx_timestamp", nullable = false)
    long timestamp;
    @Column(name = "nonce", nullable = false)
    long nonce;
    @Column(name = "signature", nullable = false)
    byte[] signature;
    @Column(name = "endorsements", nullable = false)
    byte[] endorsements;
    @Column(name = "leaf_hash", nullable = false)
    byte[] leafHash;

    protected TxRow() {
    }
}
