-- Signed tree heads name their log (one per deployment) and the key that signed them.
ALTER TABLE ledger_tree_head ADD COLUMN log_id VARCHAR(200);
ALTER TABLE ledger_tree_head ADD COLUMN key_id BYTEA;
