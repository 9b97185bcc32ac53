package org.medledger.protocol.group;

import java.util.Objects;

import org.medledger.protocol.common.SecretBytes;

/**
 * What a group member obtains from an APHR (seed 004 §III-E): SI_G and the three source
 * blocks, each with its signature verified.
 */
public record AggregatedRecord(SecretBytes sensitive, byte[] aphrBrief, Block ehr, Block emr, Block phr) {

    public AggregatedRecord {
        Objects.requireNonNull(sensitive);
        aphrBrief = Objects.requireNonNull(aphrBrief).clone();
        Objects.requireNonNull(ehr);
        Objects.requireNonNull(emr);
        Objects.requireNonNull(phr);
    }

    @Override
    public byte[] aphrBrief() {
        return aphrBrief.clone();
    }

    @Override
    public String toString() {
        return "AggregatedRecord[" + ehr.number() + ", " + emr.number() + ", " + phr.number() + "]";
    }
}
