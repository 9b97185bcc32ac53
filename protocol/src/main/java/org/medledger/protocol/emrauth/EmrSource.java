package org.medledger.protocol.emrauth;

import java.util.Optional;

/** Where the HPC reads the EMR {@code M_EMR} of a patient (the server: its encrypted record store). */
@FunctionalInterface
public interface EmrSource {

    Optional<byte[]> latest(String idP);
}
