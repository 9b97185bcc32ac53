package org.medledger.protocol.group;

/** Who a GROUP-AGG producer is: the healthcare center (EHR), a doctor (EMR) or a patient (PHR, APHR). */
public enum ProducerRole {
    HEALTHCARE_CENTER,
    DOCTOR,
    PATIENT
}
