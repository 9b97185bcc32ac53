package org.medledger.protocol.emrauth;

import java.util.Objects;

import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.TrustContext;

/**
 * The patient's smart device P of EMR-AUTH. Holds {@code ID_P}, the biometric secret
 * {@code B_P}, its own signing and KEM keys and, once registered, {@code (R_P1, S_P)}.
 * Not thread-safe: one device, one user.
 */
public final class PatientDevice {

    private final Environment env;
    private final CurveProfile curve;
    private final MasterPublicKey pk;
    private final TrustContext trust;
    private final PartyKeys keys;
    private final String idP;
    private final SecretBytes bP;
    private PartialKey partialKey;

    /**
     * A device for registration only (no consultation): generates its own key pairs.
     */
    public PatientDevice(Environment env, MasterPublicKey pk, String idP, SecretBytes bP) {
        this(env, pk, null, PartyKeys.generate(Objects.requireNonNull(env, "Environment is required.").curve(), env.random()), idP, bP);
    }

    /** A full device: trusts {@code trust}, owns {@code keys}. */
    public PatientDevice(Environment env, TrustContext trust, PartyKeys keys, String idP, SecretBytes bP) {
        this(env, Objects.requireNonNull(trust, "Trust context is required.").masterPublicKey(), trust, keys, idP, bP);
    }

    private PatientDevice(Environment env, MasterPublicKey pk, TrustContext trust, PartyKeys keys, String idP, SecretBytes bP) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.pk = Objects.requireNonNull(pk, "PK is required.");
        this.trust = trust;
        this.keys = Objects.requireNonNull(keys, "Party keys are required.");
        this.idP = Objects.requireNonNull(idP, "ID_P is required.");
        this.bP = Objects.requireNonNull(bP, "B_P is required.");
        this.curve = env.curve();
        if (!pk.curve().equals(curve) || !keys.signing().curve().equals(curve)) {
            throw new IllegalArgumentException("Keys are on another curve.");
        }
    }

    public String id() {
        return idP;
    }

    /** The key pairs whose public halves the KGC certifies. */
    public PartyKeys keys() {
        return keys;
    }

    /** Registration step 1: {@code (ID_P, B_P)} for the secure channel. */
    public PatientRegistration registrationRequest() {
        return new PatientRegistration(idP, bP);
    }

    /**
     * Registration step 3 (seed 000, eq. 4): accepts {@code (R_P1, S_P)} only if
     * {@code S_P·P == R_P1 + H(ID_P‖B_P‖R_P1)·PK}, then stores it.
     *
     * @throws ProtocolException {@link Reason#BAD_PARTIAL_KEY} if the check fails
     */
    public void acceptRegistration(RegistrationResponse response) throws ProtocolException {
        Objects.requireNonNull(response, "Response is required.");
        if (!response.s().curve().equals(curve)) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "response on another curve");
        }
        // S_P·P ?= R_P1 + H(ID_P‖B_P‖R_P1)·PK  (seed 000, eq. 4)
        PartialKey.verify(pk, response.r(), response.s(),
                EmrAuthHashes.patient(curve, idP, bP, response.r()));
        this.partialKey = new PartialKey(response.r(), response.s());
    }

    public boolean isRegistered() {
        return partialKey != null;
    }

    /** {@code (R_P1, S_P)} after registration. */
    public PartialKey partialKey() {
        requireRegistered();
        return partialKey;
    }

    /**
     * Consultation step 1 towards doctor {@code idD} (seed 000, eq. 11–13): resolves the
     * doctor's certified keys and builds {@code (C_P1, Sig_P1, T_P1)}.
     *
     * @throws ProtocolException {@link Reason#UNKNOWN_PARTY} or a directory-entry reason
     */
    public PatientConsultation startConsultation(String idD) throws ProtocolException {
        requireRegistered();
        TrustContext t = requireTrust();
        DirectoryEntry doctor = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, idD, env.freshness().now());
        return PatientConsultation.start(this, doctor);
    }

    void requireRegistered() {
        if (partialKey == null) {
            throw new IllegalStateException("Patient device is not registered.");
        }
    }

    TrustContext requireTrust() {
        if (trust == null) {
            throw new IllegalStateException("This device was built for registration only.");
        }
        return trust;
    }

    Environment env() {
        return env;
    }

    SecretBytes biometric() {
        return bP;
    }

    @Override
    public String toString() {
        return "PatientDevice[" + idP + ", registered=" + isRegistered() + "]";
    }
}
