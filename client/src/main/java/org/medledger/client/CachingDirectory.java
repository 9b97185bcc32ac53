package org.medledger.client;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyDirectory;
import org.medledger.protocol.common.ProtocolException;

/**
 * A device's view of the server's directory ({@link PartyDirectory}), kept briefly: an entry read
 * from the server answers again for at most {@link #MAX_AGE}, then it is read anew, so a party's
 * renewed partial key (its entry re-certified with the new {@code R}) reaches the next run of a
 * long-lived device. "Not registered" (404) and failures are never kept: the next lookup asks
 * again. A failure while an entry is held answers that entry and asks again after
 * {@link #MAX_AGE}. At most {@value #MAX_ENTRIES} parties, the least recently used dropped first.
 * Nothing here is trusted: the reader's {@code TrustContext} verifies every entry.
 */
public final class CachingDirectory implements PartyDirectory {

    /** How long an entry read from the server answers without being read again. */
    public static final Duration MAX_AGE = Duration.ofSeconds(10);
    static final int MAX_ENTRIES = 1024;

    /** The server's entry of a party of the scheme; empty when it has none (404), a failure otherwise. */
    @FunctionalInterface
    public interface Lookup {
        Optional<DirectoryEntry> find(String role, String partyId) throws IOException, InterruptedException, ApiProblem, ProtocolException;
    }

    private record Held(DirectoryEntry entry, Instant readAt) {
    }

    private final Lookup lookup;
    private final InstantSource clock;
    private final Map<String, Held> held;

    public CachingDirectory(Lookup lookup, InstantSource clock) {
        this(lookup, clock, MAX_ENTRIES);
    }

    CachingDirectory(Lookup lookup, InstantSource clock, int maxEntries) {
        this.lookup = Objects.requireNonNull(lookup, "Lookup is required.");
        this.clock = Objects.requireNonNull(clock, "Clock is required.");
        this.held = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public Optional<DirectoryEntry> find(String scheme, String role, String partyId) {
        String key = scheme + "/" + role + "/" + partyId;
        Held before;
        synchronized (held) {
            before = held.get(key);
        }
        Instant now = clock.instant();
        if (before != null && now.isBefore(before.readAt().plus(MAX_AGE))) {
            return Optional.of(before.entry());
        }
        Optional<DirectoryEntry> read;
        try {
            read = lookup.find(role, partyId);
        } catch (IOException | ApiProblem | ProtocolException e) {
            read = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            read = null;
        }
        synchronized (held) {
            if (read == null) {
                if (before == null) {
                    return Optional.empty();
                }
                held.put(key, new Held(before.entry(), now));
                return Optional.of(before.entry());
            }
            if (read.isPresent()) {
                held.put(key, new Held(read.get(), now));
            } else {
                held.remove(key);
            }
        }
        return read;
    }
}
