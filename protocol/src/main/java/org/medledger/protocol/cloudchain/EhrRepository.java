package org.medledger.protocol.cloudchain;

import java.util.Optional;

/** Where the CS keeps EHRs (the server: its database; records are stored as received). */
public interface EhrRepository {

    void store(Ehr ehr);

    Optional<Ehr> latest(byte[] hidI);
}
