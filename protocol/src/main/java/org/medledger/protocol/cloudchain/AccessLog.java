package org.medledger.protocol.cloudchain;

import org.medledger.protocol.common.ProtocolException;

/**
 * The ledger's access log as the cloud server sees it (seed 001, §5.6; PROTOCOLS.md §2): the
 * MC-signed {@code Tx = {HID_i, PID_j, T_access, Sig_j}} is committed before an EHR leaves
 * the CS. The server implements it with the ledger's {@code access-log} contract; a failed or
 * refused append throws, and then nothing is released.
 */
@FunctionalInterface
public interface AccessLog {

    void append(LogTransaction tx) throws ProtocolException;
}
