-- Doctors who chose portal custody of their EMR-AUTH keys (public facts only): the hospital whose
-- key store holds the keys (entry doctor-custody:<id>), the certificate's SHA-256, when.
CREATE TABLE doctor_custody (
    doctor_id           VARCHAR(128) PRIMARY KEY,
    hospital_id         VARCHAR(128) NOT NULL,
    certificate_sha256  VARCHAR(64)  NOT NULL,
    created_at          BIGINT       NOT NULL
);
