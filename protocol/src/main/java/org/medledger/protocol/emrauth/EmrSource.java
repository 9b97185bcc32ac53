package org.medledger.protocol.emrauth;

import java.util.Optional;

/**
 * Where the HPC reads the EMR {@code M_EMR} of a patient in one department (the server: its
 * encrypted record store): the latest version stored for {@code (ID_P, ID_DE)}.
 */
@FunctionalInterface
public interface EmrSource {

    Optional<byte[]> latest(String idP, String idDE);
}
