package org.medledger.protocol.emrauth;

/** Directory scheme and role names of EMR-AUTH. */
public final class EmrAuthRoles {

    public static final String SCHEME = "EMR-AUTH";
    public static final String PATIENT = "patient";
    public static final String DOCTOR = "doctor";
    public static final String HOSPITAL_PRIVATE_CLOUD = "hospital-private-cloud";
    public static final String PUBLIC_CLOUD = "public-cloud";

    private EmrAuthRoles() {
    }
}
