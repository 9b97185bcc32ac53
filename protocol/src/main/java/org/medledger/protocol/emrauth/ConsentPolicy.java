package org.medledger.protocol.emrauth;

/**
 * The HPC's authorization check before releasing an EMR (seed 000 search step 6): does the
 * ledger hold the patient's consent for this doctor? The server implements it over the
 * ledger's world state.
 */
@FunctionalInterface
public interface ConsentPolicy {

    boolean permits(String idP, String idD);
}
