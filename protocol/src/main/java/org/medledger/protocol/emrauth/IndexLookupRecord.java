package org.medledger.protocol.emrauth;

import java.util.Objects;

/**
 * The PC's record of an index lookup (seed 000 search step 2: "records the lookup"). Holds
 * the keyed lookup handle, not {@code ID_P}, so the audit trail does not expose identities.
 */
public record IndexLookupRecord(String idD, byte[] lookupHandle, String idHpc, long lookedUpAt) {

    public IndexLookupRecord {
        Objects.requireNonNull(idD, "ID_D is required.");
        Objects.requireNonNull(lookupHandle, "Lookup handle is required.");
        Objects.requireNonNull(idHpc, "ID_HPC is required.");
        lookupHandle = lookupHandle.clone();
    }

    @Override
    public byte[] lookupHandle() {
        return lookupHandle.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexLookupRecord r && r.idD.equals(idD) && java.util.Arrays.equals(r.lookupHandle, lookupHandle)
                && r.idHpc.equals(idHpc) && r.lookedUpAt == lookedUpAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(idD, java.util.Arrays.hashCode(lookupHandle), idHpc, lookedUpAt);
    }
}
