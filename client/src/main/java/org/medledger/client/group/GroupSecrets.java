package org.medledger.client.group;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.medledger.client.emrauth.DeviceStore;
import org.medledger.protocol.common.SecretBytes;

/** Where a member's device keeps its GROUP-AGG secrets: the device's PKCS#12 store (or memory, for a test device). */
public interface GroupSecrets {

    Optional<SecretBytes> get(String name) throws IOException;

    void put(String name, byte[] value) throws IOException;

    static GroupSecrets of(DeviceStore store) {
        return new GroupSecrets() {
            @Override
            public Optional<SecretBytes> get(String name) throws IOException {
                return store.get(name);
            }

            @Override
            public void put(String name, byte[] value) throws IOException {
                store.put(name, value);
            }
        };
    }

    /** Secrets held only in this process. */
    static GroupSecrets inMemory() {
        Map<String, SecretBytes> m = new ConcurrentHashMap<>();
        return new GroupSecrets() {
            @Override
            public Optional<SecretBytes> get(String name) {
                return Optional.ofNullable(m.get(name)).map(s -> SecretBytes.copyOf(s.reveal()));
            }

            @Override
            public void put(String name, byte[] value) {
                m.put(name, SecretBytes.copyOf(value));
            }
        };
    }
}
