package org.medledger.protocol.emrauth;

/**
 * The patient's consent, scoped by department: may doctor {@code ID_D} read and write the EMR
 * of patient {@code ID_P} in department {@code ID_DE}? Asked by the HPC before it releases an
 * EMR (seed 000 search step 6) and before it stores a new EMR version, and by the PC before it
 * moves its index. The server backs it with the ledger's {@code consent} contract (grant of
 * {@code ID_P} to {@code ID_D} with scope {@code ID_DE}, unrevoked and unexpired now).
 */
@FunctionalInterface
public interface ConsentPolicy {

    boolean permits(String idP, String idD, String idDE);
}
