package org.medledger.kgc;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the KGC hands back to a registering patient over the authenticated channel:
 * {@code R_P1}, {@code S_P} and the {@code PK} they verify against (seed 000, eq. 2–4).
 * {@code S_P} is the patient's secret: it is never logged, stored or printed.
 */
public record IssuedPatientRegistration(String patientId, byte[] rP1, byte[] sP, byte[] kgcPublicKey,
                                        String kgcKeyId, String curve, Instant registeredAt) {

    public IssuedPatientRegistration {
        Objects.requireNonNull(patientId, "Patient id is required.");
        rP1 = rP1.clone();
        sP = sP.clone();
        kgcPublicKey = kgcPublicKey.clone();
        Objects.requireNonNull(kgcKeyId, "KGC key id is required.");
        Objects.requireNonNull(curve, "Curve is required.");
        Objects.requireNonNull(registeredAt, "Registration time is required.");
    }

    @Override
    public byte[] rP1() {
        return rP1.clone();
    }

    @Override
    public byte[] sP() {
        return sP.clone();
    }

    @Override
    public byte[] kgcPublicKey() {
        return kgcPublicKey.clone();
    }

    /** Overwrites the copy of {@code S_P} held by this value. */
    public void wipe() {
        Arrays.fill(sP, (byte) 0);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "IssuedPatientRegistration[patientId=" + patientId + ", kgcKeyId=" + kgcKeyId + ", S_P=redacted]";
    }

    /** The stored, public part of a registration. */
    public record Record(String patientId, String rP1Base64, String kgcKeyId, String registeredBy, Instant registeredAt) {
    }
}
