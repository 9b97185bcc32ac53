package org.medledger.ledger.contract;

import java.util.Optional;

import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.state.StateReader;

/** World state as a contract sees it: reads are recorded with versions, writes are buffered. */
public interface ContractState {
    Optional<Bytes> read(String namespace, String key);

    void write(String namespace, String key, Bytes value);

    /** The same reads, for directory lookups (member certificates) inside contracts and policies. */
    StateReader reader();

    default boolean exists(String namespace, String key) {
        return read(namespace, key).isPresent();
    }
}
