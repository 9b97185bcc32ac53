package org.medledger.protocol.emrauth;

import java.util.Objects;

/** The PC's answer to an EMR search: the message for the doctor and the lookup to audit. */
public record EmrSearchOutcome(EmrSearchResponse response, IndexLookupRecord lookup) {

    public EmrSearchOutcome {
        Objects.requireNonNull(response, "Response is required.");
        Objects.requireNonNull(lookup, "Lookup record is required.");
    }
}
