package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** The doctor D of EMR-AUTH: {@code ID_D}, {@code Cert_D} and {@code (R_D1, S_D)}. */
public final class Doctor {

    private final Environment env;
    private final CurveProfile curve;
    private final MasterPublicKey pk;
    private final String idD;
    private final byte[] certD;
    private PartialKey partialKey;

    public Doctor(Environment env, MasterPublicKey pk, String idD, byte[] certD) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.pk = Objects.requireNonNull(pk, "PK is required.");
        this.idD = Objects.requireNonNull(idD, "ID_D is required.");
        this.certD = Objects.requireNonNull(certD, "Cert_D is required.").clone();
        this.curve = env.curve();
    }

    public String id() {
        return idD;
    }

    public byte[] certificate() {
        return certD.clone();
    }

    /** Registration step 1: {@code (ID_D, Cert_D)}. */
    public DoctorRegistration registrationRequest() {
        return new DoctorRegistration(idD, certD);
    }

    /**
     * Registration step 3 (seed 000, eq. 10, erratum 1):
     * {@code S_D·P ?= R_D1 + H(ID_D‖Cert_D‖R_D1)·PK}.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if the check fails
     */
    public void acceptRegistration(RegistrationResponse response) throws ProtocolException {
        Objects.requireNonNull(response, "Response is required.");
        if (!response.s().curve().equals(curve)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "response on another curve");
        }
        // S_D·P ?= R_D1 + H(ID_D‖Cert_D‖R_D1)·PK  (seed 000, eq. 10)
        PartialKey.verify(pk, response.r(), response.s(),
                EmrAuthHashes.doctor(curve, idD, certD, response.r()));
        this.partialKey = new PartialKey(response.r(), response.s());
    }

    public boolean isRegistered() {
        return partialKey != null;
    }

    public PartialKey partialKey() {
        if (partialKey == null) {
            throw new IllegalStateException("Doctor is not registered.");
        }
        return partialKey;
    }

    Environment env() {
        return env;
    }

    @Override
    public String toString() {
        return "Doctor[" + idD + ", registered=" + isRegistered() + "]";
    }
}
