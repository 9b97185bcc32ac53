-- GROUP-AGG served (seed 004): care circles, their members and ring, the key-run relay and the
-- block transformation system's chain. Portable between H2 2.x and PostgreSQL. Only public values:
-- Chebyshev public keys T_s(x), protocol messages that are MACed/encrypted end to end, and upload
-- records whose sensitive parts are encrypted to the patient (s_X) or under the group key (s_G).

-- A member's long-term Chebyshev public key, bound to its ledger member key by a signature.
CREATE TABLE ga_member_key (
    member_id   VARCHAR(128) NOT NULL PRIMARY KEY,
    member_role VARCHAR(20)  NOT NULL,
    public_key  BYTEA        NOT NULL,
    registered_at BIGINT     NOT NULL
);

-- A patient's care circle: its group id ID_G, the healthcare center serving it and the epoch of
-- its group key (one more with every membership change).
CREATE TABLE ga_circle (
    group_id    VARCHAR(64)  NOT NULL PRIMARY KEY,
    owner_id    VARCHAR(128) NOT NULL,
    hospital_id VARCHAR(128) NOT NULL,
    epoch       BIGINT       NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX ix_ga_circle_owner ON ga_circle (owner_id);

-- Membership periods: the ring is the current members ordered by position (join order).
CREATE TABLE ga_member (
    group_id     VARCHAR(64)  NOT NULL,
    member_id    VARCHAR(128) NOT NULL,
    position     BIGINT       NOT NULL,
    joined_epoch BIGINT       NOT NULL,
    left_epoch   BIGINT,
    join_log_index  BIGINT    NOT NULL,
    leave_log_index BIGINT,
    CONSTRAINT pk_ga_member PRIMARY KEY (group_id, position)
);
CREATE INDEX ix_ga_member_member ON ga_member (member_id);

-- The key-run relay: pairwise authentication messages and group-key broadcasts of one epoch.
-- One message per (epoch, kind, sender, recipient); recipient '*' is a broadcast.
CREATE TABLE ga_run_message (
    group_id    VARCHAR(64)  NOT NULL,
    epoch       BIGINT       NOT NULL,
    kind        VARCHAR(16)  NOT NULL,
    sender_id   VARCHAR(128) NOT NULL,
    recipient_id VARCHAR(128) NOT NULL,
    body        BYTEA        NOT NULL,
    posted_at   BIGINT       NOT NULL,
    CONSTRAINT pk_ga_run_message PRIMARY KEY (group_id, epoch, kind, sender_id, recipient_id)
);

-- The block transformation system's chain: one block per accepted upload, each also a
-- group-agg.upload transaction on the ledger (log_index).
CREATE TABLE ga_block (
    number       BIGINT       NOT NULL PRIMARY KEY,
    block_id     BYTEA        NOT NULL,
    previous_id  BYTEA        NOT NULL,
    nonce        BIGINT       NOT NULL,
    block_time   BIGINT       NOT NULL,
    group_id     VARCHAR(64)  NOT NULL,
    epoch        BIGINT       NOT NULL,
    kind         VARCHAR(8)   NOT NULL,
    producer_id  VARCHAR(128) NOT NULL,
    record       BYTEA        NOT NULL,
    log_index    BIGINT       NOT NULL
);
CREATE INDEX ix_ga_block_group ON ga_block (group_id, number);
