-- Ledger schema v1. Portable between H2 2.x and PostgreSQL 15. Rows are append-only;
-- only ledger_state is updated (by contracts, through block commits).
CREATE TABLE ledger_block (
    block_number       BIGINT       NOT NULL PRIMARY KEY,
    block_hash         BYTEA        NOT NULL,
    previous_hash      BYTEA        NOT NULL,
    tx_root            BYTEA        NOT NULL,
    first_log_index    BIGINT       NOT NULL,
    tx_count           INTEGER      NOT NULL,
    log_root           BYTEA        NOT NULL,
    created_at         BIGINT       NOT NULL,
    first_tx_time      BIGINT       NOT NULL,
    last_tx_time       BIGINT       NOT NULL,
    producer           VARCHAR(200) NOT NULL,
    nonce              BIGINT       NOT NULL,
    difficulty_bits    INTEGER      NOT NULL,
    producer_signature BYTEA        NOT NULL
);

CREATE TABLE ledger_transaction (
    log_index     BIGINT       NOT NULL PRIMARY KEY,
    block_number  BIGINT       NOT NULL,
    tx_id         BYTEA        NOT NULL,
    submitter     VARCHAR(200) NOT NULL,
    contract      VARCHAR(100) NOT NULL,
    function_name VARCHAR(100) NOT NULL,
    arguments     BYTEA        NOT NULL,
    tx_timestamp  BIGINT       NOT NULL,
    nonce         BIGINT       NOT NULL,
    signature     BYTEA        NOT NULL,
    endorsements  BYTEA        NOT NULL,
    leaf_hash     BYTEA        NOT NULL,
    CONSTRAINT ledger_transaction_tx_id UNIQUE (tx_id)
);

CREATE INDEX ledger_transaction_block ON ledger_transaction (block_number, log_index);

CREATE TABLE ledger_state (
    namespace   VARCHAR(100) NOT NULL,
    state_key   VARCHAR(400) NOT NULL,
    version     BIGINT       NOT NULL,
    state_value BYTEA        NOT NULL,
    PRIMARY KEY (namespace, state_key)
);

CREATE TABLE ledger_tree_head (
    tree_size      BIGINT       NOT NULL PRIMARY KEY,
    root_hash      BYTEA        NOT NULL,
    head_timestamp BIGINT       NOT NULL,
    signer         VARCHAR(200) NOT NULL,
    signature      BYTEA        NOT NULL
);
