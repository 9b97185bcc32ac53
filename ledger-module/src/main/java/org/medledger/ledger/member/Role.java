package org.medledger.ledger.member;

/** What a member is; contracts and endorsement policies decide by role. */
public enum Role {
    /** Key generation center (public cloud, NA, blockchain center). */
    KGC,
    /** A hospital, hospital private cloud or healthcare center. */
    HOSPITAL,
    /** CLOUD-CHAIN's medical center MC_j. */
    MEDICAL_CENTER,
    /** A cloud server or medical cloud storing ciphertexts. */
    CLOUD,
    DOCTOR,
    PATIENT,
    INSURER,
    RESEARCHER,
    AUDITOR,
    /** A patient's family member or caregiver in a GROUP-AGG care circle (reads the circle's APHR). */
    FAMILY,
    /** A node allowed to cut and sign blocks and tree heads. */
    BLOCK_PRODUCER
}
