package org.medledger.emrauth;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

import org.medledger.protocol.emrauth.PublicCloudStore;

/**
 * The public cloud's store over JPA (tables {@code pc_issued_secret}, {@code pc_record_index}).
 * Everything it receives is already sealed or keyed by the protocol core (erratum 7): no
 * identity and no secret is ever in a column in clear.
 */
// A session bean, not a CDI bean: the container resolves its persistence context through the EE
// component (Weld's own lookup of a CDI bean's @PersistenceContext can race the unit's installation
// on redeploy and fail the deployment with "persistence unit service not found").
@Stateless
@LocalBean
public class JpaPublicCloudStore implements PublicCloudStore {

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Override
    public void putIssuedSecret(String role, String id, byte[] sealed) {
        em.createNativeQuery("DELETE FROM pc_issued_secret WHERE role = ?1 AND party_id = ?2")
                .setParameter(1, role).setParameter(2, id).executeUpdate();
        em.createNativeQuery("INSERT INTO pc_issued_secret (role, party_id, sealed) VALUES (?1, ?2, ?3)")
                .setParameter(1, role).setParameter(2, id).setParameter(3, sealed).executeUpdate();
    }

    @Override
    public Optional<byte[]> issuedSecret(String role, String id) {
        @SuppressWarnings("unchecked")
        List<byte[]> rows = em.createNativeQuery("SELECT sealed FROM pc_issued_secret WHERE role = ?1 AND party_id = ?2")
                .setParameter(1, role).setParameter(2, id).getResultList();
        return rows.stream().findFirst();
    }

    @Override
    public void putIndex(byte[] lookupHandle, byte[] sealedValue) {
        em.createNativeQuery("DELETE FROM pc_record_index WHERE handle = ?1").setParameter(1, lookupHandle).executeUpdate();
        em.createNativeQuery("INSERT INTO pc_record_index (handle, sealed, updated_at) VALUES (?1, ?2, ?3)")
                .setParameter(1, lookupHandle).setParameter(2, sealedValue).setParameter(3, System.currentTimeMillis())
                .executeUpdate();
    }

    @Override
    public Optional<byte[]> index(byte[] lookupHandle) {
        @SuppressWarnings("unchecked")
        List<byte[]> rows = em.createNativeQuery("SELECT sealed FROM pc_record_index WHERE handle = ?1")
                .setParameter(1, lookupHandle).getResultList();
        return rows.stream().findFirst();
    }
}
