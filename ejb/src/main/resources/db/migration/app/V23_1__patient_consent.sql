-- The consents each patient submitted (grantee and scope), so that a patient can list its own.
-- Their state (expiry, revoked) is always read from the ledger's consent contract, never from here.
CREATE TABLE patient_consent (
    patient_id      VARCHAR(128) NOT NULL,
    grantee_id      VARCHAR(128) NOT NULL,
    scope           VARCHAR(128) NOT NULL,
    first_log_index BIGINT       NOT NULL,
    PRIMARY KEY (patient_id, grantee_id, scope)
);
