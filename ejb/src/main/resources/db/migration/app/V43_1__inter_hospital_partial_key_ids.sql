-- The KGC key id each INTER-HOSPITAL partial key was issued under (docs/protocols/kgc-key-rotation.md),
-- set at registration and at each renewal; NULL for registrations made before it was recorded (the
-- renewal proof then shows it).
ALTER TABLE ih_patient ADD COLUMN kgc_key_id VARCHAR(64);
ALTER TABLE ih_hospital ADD COLUMN kgc_key_id VARCHAR(64);
