package org.medledger.protocol.common;

import java.util.Optional;

/**
 * Where parties find each other's KGC-certified {@link DirectoryEntry}s (the server serves
 * them from the ledger/KGC; devices cache them). Entries are verified by the reader
 * ({@link TrustContext#resolve}), so the directory itself need not be trusted.
 */
@FunctionalInterface
public interface PartyDirectory {

    Optional<DirectoryEntry> find(String scheme, String role, String partyId);
}
