-- The medical cloud's ABE-CHAIN records are sealed at rest under the hospital's record key like
-- every other scheme's records (RecordEnvelope): wrapped_key is the wrapped per-record key and
-- wrap_key_id names the record key (NULL: w0). A row with no wrapped key was stored before sealing
-- (submission as stored); the hospital's next re-wrap seals it.
ALTER TABLE abe_cloud_record ADD COLUMN wrapped_key BYTEA;
ALTER TABLE abe_cloud_record ADD COLUMN wrap_key_id VARCHAR(32);
