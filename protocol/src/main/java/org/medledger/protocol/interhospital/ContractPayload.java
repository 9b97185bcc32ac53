package org.medledger.protocol.interhospital;

/**
 * A smart-contract call of INTER-HOSPITAL (seed 002, §3.3) as plain data: the ledger module
 * executes the contract named by {@link #contract()} on the payload. {@link #encode()} is
 * the canonical encoding (labelled, length-prefixed) that the ledger signs and hashes.
 */
public sealed interface ContractPayload
        permits PatientInsert, HospitalInsert, MedicalRecordInsert, RecordTransferLog, TreatmentConsent, ContractQuery {

    /** The contract name: {@code ptins}, {@code hains}, {@code mrins}, {@code ptchk}, ... */
    String contract();

    byte[] encode();
}
