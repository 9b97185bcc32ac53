package org.medledger.protocol.interhospital;

/** Directory scheme and role names of INTER-HOSPITAL. */
public final class InterHospitalRoles {

    public static final String SCHEME = "INTER-HOSPITAL";
    public static final String PATIENT = "patient";
    public static final String HOSPITAL = "hospital";

    private InterHospitalRoles() {
    }
}
