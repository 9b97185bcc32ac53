package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.SecretScalar;

/**
 * Center → X over the secure channel: {@code (R_X, S_X)} (seed 002, eq. 2–4, 6–8, 10–12) and
 * the center-signed directory entry certifying X's own keys and {@code R_X}.
 */
public record RegistrationGrant(ECPoint rX, SecretScalar sX, DirectoryEntry entry) {

    public RegistrationGrant {
        Objects.requireNonNull(rX, "R_X is required.");
        Objects.requireNonNull(sX, "S_X is required.");
        Objects.requireNonNull(entry, "Directory entry is required.");
    }

    @Override
    public String toString() {
        return "RegistrationGrant[" + entry + ", S_X=redacted]";
    }
}
