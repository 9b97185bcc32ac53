package org.medledger.protocol.emrauth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.util.encoders.Hex;

/** Thread-safe in-memory {@link PublicCloudStore}. */
public final class InMemoryPublicCloudStore implements PublicCloudStore {

    private final Map<String, byte[]> issued = new ConcurrentHashMap<>();
    private final Map<String, byte[]> index = new ConcurrentHashMap<>();

    @Override
    public void putIssuedSecret(String role, String id, byte[] sealed) {
        issued.put(role + '\u0000' + id, sealed.clone());
    }

    @Override
    public Optional<byte[]> issuedSecret(String role, String id) {
        return Optional.ofNullable(issued.get(role + '\u0000' + id)).map(byte[]::clone);
    }

    @Override
    public void putIndex(byte[] lookupHandle, byte[] sealedValue) {
        index.put(Hex.toHexString(lookupHandle), sealedValue.clone());
    }

    @Override
    public Optional<byte[]> index(byte[] lookupHandle) {
        return Optional.ofNullable(index.get(Hex.toHexString(lookupHandle))).map(byte[]::clone);
    }

    /** Number of index entries (tests). */
    public int indexSize() {
        return index.size();
    }

    /** All stored index values (tests: to show no identity appears in clear). */
    public java.util.Collection<byte[]> rawIndexValues() {
        return java.util.List.copyOf(index.values());
    }
}
