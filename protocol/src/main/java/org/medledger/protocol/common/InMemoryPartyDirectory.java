package org.medledger.protocol.common;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A thread-safe in-memory {@link PartyDirectory} (tests, device caches). */
public final class InMemoryPartyDirectory implements PartyDirectory {

    private final Map<String, DirectoryEntry> entries = new ConcurrentHashMap<>();

    public void put(DirectoryEntry entry) {
        Objects.requireNonNull(entry, "Entry is required.");
        entries.put(key(entry.scheme(), entry.role(), entry.partyId()), entry);
    }

    @Override
    public Optional<DirectoryEntry> find(String scheme, String role, String partyId) {
        return Optional.ofNullable(entries.get(key(scheme, role, partyId)));
    }

    private static String key(String scheme, String role, String id) {
        return org.bouncycastle.util.encoders.Hex.toHexString(
                LabelledEncoder.of("dir").utf8(scheme).utf8(role).utf8(id).toByteArray());
    }
}
