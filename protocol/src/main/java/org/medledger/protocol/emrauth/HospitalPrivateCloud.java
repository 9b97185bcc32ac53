package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** The hospital private cloud HPC of EMR-AUTH: holds the EMRs and {@code (R_HPC1, S_HPC)}. */
public final class HospitalPrivateCloud {

    private final Environment env;
    private final CurveProfile curve;
    private final MasterPublicKey pk;
    private final String idHpc;
    private PartialKey partialKey;

    public HospitalPrivateCloud(Environment env, MasterPublicKey pk, String idHpc) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.pk = Objects.requireNonNull(pk, "PK is required.");
        this.idHpc = Objects.requireNonNull(idHpc, "ID_HPC is required.");
        this.curve = env.curve();
    }

    public String id() {
        return idHpc;
    }

    /** Registration step 1: {@code ID_HPC}. */
    public HospitalCloudRegistration registrationRequest() {
        return new HospitalCloudRegistration(idHpc);
    }

    /**
     * Registration step 3 (seed 000, eq. 7): {@code S_HPC·P ?= R_HPC1 + h(ID_HPC‖R_HPC1)·PK}.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if the check fails
     */
    public void acceptRegistration(RegistrationResponse response) throws ProtocolException {
        Objects.requireNonNull(response, "Response is required.");
        if (!response.s().curve().equals(curve)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "response on another curve");
        }
        // S_HPC·P ?= R_HPC1 + h(ID_HPC‖R_HPC1)·PK  (seed 000, eq. 7)
        PartialKey.verify(pk, response.r(), response.s(),
                EmrAuthHashes.hospitalCloud(curve, idHpc, response.r()));
        this.partialKey = new PartialKey(response.r(), response.s());
    }

    public boolean isRegistered() {
        return partialKey != null;
    }

    public PartialKey partialKey() {
        if (partialKey == null) {
            throw new IllegalStateException("HPC is not registered.");
        }
        return partialKey;
    }

    Environment env() {
        return env;
    }

    @Override
    public String toString() {
        return "HospitalPrivateCloud[" + idHpc + ", registered=" + isRegistered() + "]";
    }
}
