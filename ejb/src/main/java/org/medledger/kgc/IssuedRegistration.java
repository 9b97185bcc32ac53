package org.medledger.kgc;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the KGC hands back to a registering party over the authenticated channel: its partial
 * key {@code (R, S)} and the {@code PK} it verifies against (seed 000, eq. 2–4 for a patient,
 * eq. 8–10 for a doctor). {@code S} is the party's secret: never logged, stored or printed.
 */
public record IssuedRegistration(String partyId, byte[] r, byte[] s, byte[] kgcPublicKey,
                                 String kgcKeyId, String curve, Instant registeredAt) {

    public IssuedRegistration {
        Objects.requireNonNull(partyId, "Party id is required.");
        r = r.clone();
        s = s.clone();
        kgcPublicKey = kgcPublicKey.clone();
        Objects.requireNonNull(kgcKeyId, "KGC key id is required.");
        Objects.requireNonNull(curve, "Curve is required.");
        Objects.requireNonNull(registeredAt, "Registration time is required.");
    }

    @Override
    public byte[] r() {
        return r.clone();
    }

    @Override
    public byte[] s() {
        return s.clone();
    }

    @Override
    public byte[] kgcPublicKey() {
        return kgcPublicKey.clone();
    }

    /** Overwrites the copy of {@code S} held by this value. */
    public void wipe() {
        Arrays.fill(s, (byte) 0);
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
        return "IssuedRegistration[partyId=" + partyId + ", kgcKeyId=" + kgcKeyId + ", S=redacted]";
    }

    /** The stored, public part of a patient registration. */
    public record Record(String patientId, String rP1Base64, String kgcKeyId, String registeredBy, Instant registeredAt) {
    }

    /** The stored, public part of a doctor registration: who registered it, for which certificate, under which KGC key. */
    public record DoctorRecord(String doctorId, String rD1Base64, String certificateSerial, String certificateSha256,
                               String registeredBy, Instant registeredAt, String kgcKeyId) {
    }
}
