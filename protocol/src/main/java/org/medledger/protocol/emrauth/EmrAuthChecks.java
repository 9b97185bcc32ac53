package org.medledger.protocol.emrauth;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/** Small shared checks of EMR-AUTH. */
final class EmrAuthChecks {

    private EmrAuthChecks() {
    }

    /**
     * If the KGC certified the party's partial-key point {@code R_X1}, the presented one
     * must be it (erratum 6: "the doctor also checks it against the KGC directory").
     */
    static void requireDirectoryPoint(DirectoryEntry entry, ECPoint presented) throws ProtocolException {
        if (entry.partialKeyPoint().isPresent() && !entry.partialKeyPoint().get().equals(presented)) {
            throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "partial-key point differs from the directory");
        }
    }
}
