package org.medledger.protocol.group;

/** The four record kinds uploaded to the chain (seed 004 §III-C), each with the one role that may produce it. */
public enum RecordKind {
    /** Electronic health record, by the healthcare center HC. */
    EHR(ProducerRole.HEALTHCARE_CENTER, "patient:"),
    /** Electronic medical record, by the doctor D. */
    EMR(ProducerRole.DOCTOR, "patient:"),
    /** Personal health record, by the patient P. */
    PHR(ProducerRole.PATIENT, "group:"),
    /** Aggregated PHR, by the patient, readable by the group. */
    APHR(ProducerRole.PATIENT, "group:");

    private final ProducerRole producer;
    private final String receiverPrefix;

    RecordKind(ProducerRole producer, String receiverPrefix) {
        this.producer = producer;
        this.receiverPrefix = receiverPrefix;
    }

    /** The role that produces this kind (as the ledger's {@code group-agg} contract requires). */
    public ProducerRole producerRole() {
        return producer;
    }

    /** {@code patient:} for EHR and EMR, {@code group:} for PHR and APHR. */
    public String receiverPrefix() {
        return receiverPrefix;
    }
}
