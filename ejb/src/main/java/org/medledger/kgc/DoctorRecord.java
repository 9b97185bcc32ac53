package org.medledger.kgc;

import java.time.Instant;

/** The stored, public part of a doctor registration: which certificate, under which KGC key, when. */
public record DoctorRecord(String doctorId, String certificateSerial, String certificateSha256, String kgcKeyId,
                           Instant registeredAt) {
}
