-- The record-wrapping keys of each holder of records at rest (issue 15): key id, state
-- (current: wraps new records; previous: still opens records not yet re-wrapped; retired: gone
-- from the key store) and the ledger entry of the rotation that made it. The key material is in
-- the hospital key store (alias wrap:<holder>:<key id>); key id w0 is the key in the holder's own
-- key-store entry, the one every record was wrapped under before the first rotation.
CREATE TABLE record_wrap_key (
    holder_id   VARCHAR(160) NOT NULL,
    key_id      VARCHAR(32)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(128) NOT NULL,
    log_index   BIGINT,
    retired_at  BIGINT,
    PRIMARY KEY (holder_id, key_id)
);

-- Each EMR version names the key its per-record key is wrapped under (NULL: w0, rows from before).
ALTER TABLE hpc_emr_version ADD COLUMN wrap_key_id VARCHAR(32);
