package org.medledger.protocol.cloudchain;

import java.util.Optional;

import org.medledger.protocol.common.SecretBytes;

/** The CS's pre-shared keys {@code KMS_j}, by {@code PID_j} (the server: its credential store). */
@FunctionalInterface
public interface PreSharedKeys {

    Optional<SecretBytes> kms(String pidJ);
}
