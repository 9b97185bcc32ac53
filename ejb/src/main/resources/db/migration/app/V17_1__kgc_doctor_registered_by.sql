-- Who registered each doctor (the authenticated caller: the doctor itself or a KGC operator), so a
-- registration made by an operator is attributable. Rows from before this column existed name no
-- caller and are marked as such.
ALTER TABLE kgc_doctor_registration ADD COLUMN registered_by VARCHAR(128) DEFAULT 'unrecorded' NOT NULL;
