package org.medledger.protocol.group;

/** The four record kinds uploaded to the chain (seed 004 §III-C). */
public enum RecordKind {
    /** Electronic health record, by the healthcare center HC. */
    EHR,
    /** Electronic medical record, by the doctor D. */
    EMR,
    /** Personal health record, by the patient P. */
    PHR,
    /** Aggregated PHR, by the patient, readable by the group. */
    APHR
}
