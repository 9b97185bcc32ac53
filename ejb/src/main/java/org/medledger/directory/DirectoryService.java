package org.medledger.directory;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

import org.medledger.platform.DomainException;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.PartyDirectory;
import org.medledger.protocol.common.ProtocolException;

/**
 * The directory of KGC-certified public keys (table {@code directory_entry}): every party's
 * signing and KEM public keys with its partial-key point, each entry signed by the KGC's
 * directory certification key. Readers verify entries themselves ({@code TrustContext}), so the
 * table holds only public, self-authenticating values.
 */
@Stateless
public class DirectoryService {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public Optional<DirectoryEntry> find(CurveProfile curve, String scheme, String role, String partyId) {
        @SuppressWarnings("unchecked")
        List<byte[]> rows = em.createNativeQuery(
                        "SELECT encoded FROM directory_entry WHERE scheme = ?1 AND role = ?2 AND party_id = ?3")
                .setParameter(1, scheme).setParameter(2, role).setParameter(3, partyId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(DirectoryEntry.decode(curve, rows.get(0)));
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored directory entry does not decode");
        }
    }

    public boolean exists(String scheme, String role, String partyId) {
        return !em.createNativeQuery("SELECT party_id FROM directory_entry WHERE scheme = ?1 AND role = ?2 AND party_id = ?3")
                .setParameter(1, scheme).setParameter(2, role).setParameter(3, partyId).getResultList().isEmpty();
    }

    /** Stores a certified entry; a party has one entry per scheme and role. */
    public void add(DirectoryEntry entry) throws DomainException {
        if (exists(entry.scheme(), entry.role(), entry.partyId())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_CERTIFIED",
                    "a directory entry for this party already exists");
        }
        em.createNativeQuery("INSERT INTO directory_entry (scheme, role, party_id, encoded, certified_at) VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, entry.scheme()).setParameter(2, entry.role()).setParameter(3, entry.partyId())
                .setParameter(4, entry.encode()).setParameter(5, System.currentTimeMillis()).executeUpdate();
    }

    /** Replaces a party's certified entry (a renewed KGC partial key re-certified with the same own keys). */
    public void replace(DirectoryEntry entry) throws DomainException {
        int n = em.createNativeQuery("UPDATE directory_entry SET encoded = ?1, certified_at = ?2 WHERE scheme = ?3 AND role = ?4"
                        + " AND party_id = ?5")
                .setParameter(1, entry.encode()).setParameter(2, System.currentTimeMillis()).setParameter(3, entry.scheme())
                .setParameter(4, entry.role()).setParameter(5, entry.partyId()).executeUpdate();
        if (n != 1) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_CERTIFIED", "no directory entry for this party");
        }
    }

    /** This directory as the protocol's {@link PartyDirectory} (inside the caller's transaction). */
    public PartyDirectory asPartyDirectory(CurveProfile curve) {
        return (scheme, role, partyId) -> find(curve, scheme, role, partyId);
    }
}
