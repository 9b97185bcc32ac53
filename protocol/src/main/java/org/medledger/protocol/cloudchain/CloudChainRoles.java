package org.medledger.protocol.cloudchain;

/** Directory scheme and role names of CLOUD-CHAIN. */
public final class CloudChainRoles {

    public static final String SCHEME = "CLOUD-CHAIN";
    /** A medical center's certificate {@code Cert_j} is its directory entry under {@code PID_j}. */
    public static final String MEDICAL_CENTER = "medical-center";

    private CloudChainRoles() {
    }
}
