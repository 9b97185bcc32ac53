-- Each INTER-HOSPITAL record names the record key of its hospital its per-record key is wrapped
-- under (NULL: w0, the key of the hospital's own INTER-HOSPITAL entry), as hpc_emr_version does
-- (V31_1): one rotation of a hospital's record key re-wraps its records of every scheme.
ALTER TABLE ih_record ADD COLUMN wrap_key_id VARCHAR(32);

-- The same for the CLOUD-CHAIN cloud server's EHRs at rest (NULL: w0, the cloud server's own key);
-- a medical center's EHRs are re-wrapped with the hospital of the same id as the center.
ALTER TABLE cc_ehr ADD COLUMN wrap_key_id VARCHAR(32);
