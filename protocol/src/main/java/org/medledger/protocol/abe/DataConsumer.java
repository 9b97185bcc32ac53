package org.medledger.protocol.abe;

import java.util.Objects;

import org.medledger.protocol.common.ProtocolException;

/**
 * A data consumer of ABE-CHAIN (insurer, researcher; seed 003, Fig. 3 steps 6–7): finds an
 * endorsed record on the ledger, downloads it and decrypts it with its attribute key.
 */
public final class DataConsumer {

    private final AttributeKey attributeKey;
    private final CombinedScheme scheme;

    public DataConsumer(AttributeKey attributeKey, CombinedScheme scheme) {
        this.attributeKey = Objects.requireNonNull(attributeKey, "attribute key is required");
        this.scheme = Objects.requireNonNull(scheme, "scheme is required");
    }

    /**
     * Decrypts an endorsed record.
     *
     * @throws ProtocolException {@code POLICY_NOT_SATISFIED} if the key does not satisfy the
     *         policy, {@code DECRYPTION_FAILED} if the body was altered
     */
    public byte[] open(EndorsedRecord record) throws ProtocolException {
        Objects.requireNonNull(record, "record is required");
        return RecordCipher.open(scheme, attributeKey, record.descriptor(), record.sealed());
    }
}
