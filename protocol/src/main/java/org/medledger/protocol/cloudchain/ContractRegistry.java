package org.medledger.protocol.cloudchain;

/** The CS's view of the ledger's {@code Sc(HID_i, PID_j, ·)} contracts (seed 001, §5.5: authorize). */
@FunctionalInterface
public interface ContractRegistry {

    boolean hasContract(byte[] hidI, String pidJ);
}
