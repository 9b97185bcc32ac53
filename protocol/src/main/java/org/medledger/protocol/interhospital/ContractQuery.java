package org.medledger.protocol.interhospital;

/** The existence checks {@code ptchk}, {@code hachk}/{@code hbchk}, {@code mrchk}. */
public sealed interface ContractQuery extends ContractPayload permits PatientCheck, HospitalCheck, MedicalRecordCheck {
}
