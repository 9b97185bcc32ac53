package org.medledger.kgc.boundary;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.logging.Logger;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.consensus.LedgerNode;
import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.KeyEntry;
import org.medledger.custody.KgcKeyStore;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.kgc.entity.PartialKeyHistory;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.HospitalPrivateCloud;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.emrauth.EmrAuthRenewal;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * Renewal of an EMR-AUTH hospital private cloud's partial key {@code (R_HPC1, S_HPC)} under the
 * current KGC master key generation (docs/protocols/kgc-key-rotation.md), asked by a hospital
 * administrator. The hospital's keys live in the hospital key store on this server, so the hospital
 * side signs the renewal proof with the {@code S_HPC} it holds and the KGC side checks it against
 * {@code R_HPC1 + h(ID_HPC‖R_HPC1)·PK} of the generation it was issued under (eq. 7), replay-guarded
 * like a device's proof. The fresh partial key replaces the old one in the key store (the
 * hospital's other keys unchanged), the directory entry is re-certified, the old key is listed as
 * superseded, and one ledger entry records the renewal.
 */
@Stateless
public class HospitalCloudRenewal {

    private static final Logger LOG = Logger.getLogger(HospitalCloudRenewal.class.getName());
    static final String ROLE = EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD;

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    HospitalKeyStore vault;

    @Inject
    PartialKeyHistory history;

    @EJB
    PartialKeyRenewals renewals;

    @EJB
    PublicCloudService pc;

    @EJB
    HospitalCloudService hospitals;

    @EJB
    LedgerNode ledger;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Resource
    SessionContext context;

    /** A hospital cloud's renewal done: the key ids before and after and its ledger entry. */
    public record Renewed(String hospitalId, String previousKeyId, String keyId, long logIndex) {
    }

    /** The key id a hospital cloud's partial key was issued under, and whether it is the current one. */
    public record State(String hospitalId, String kgcKeyId, boolean current, List<PartialKeyHistory.Superseded> superseded) {
    }

    /** Where hospital {@code hospitalId}'s partial key stands (hospital IT and KGC operators). */
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor"})
    public State state(String hospitalId) throws DomainException {
        requireRegistered(hospitalId);
        try (KeyEntry keys = load(hospitalId)) {
            Environment env = pc.environment();
            KgcKeyStore.MasterKey under = issuedUnder(env, hospitalId, keys);
            return new State(hospitalId, under.keyId(), under.current(), history.superseded(EmrAuthRenewal.HOSPITAL_CLOUD, hospitalId));
        }
    }

    @RolesAllowed("hospital-admin")
    public Renewed renew(String hospitalId, String renewedBy) throws DomainException {
        if (renewedBy == null || !renewedBy.equals(context.getCallerPrincipal().getName())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "the caller is recorded as itself only");
        }
        requireRegistered(hospitalId);
        // a hospital's administrator is the one who registered it (as for its record keys)
        if (em.createNativeQuery("SELECT hospital_id FROM hpc_registration WHERE hospital_id = ?1 AND registered_by = ?2")
                .setParameter(1, hospitalId).setParameter(2, renewedBy).getResultList().isEmpty()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_HOSPITAL_ADMIN",
                    "only an administrator of hospital " + hospitalId + " renews its partial key");
        }
        Environment env = pc.environment();
        KeyEntry keys = load(hospitalId);
        KeyEntry renewed = null;
        byte[] previous = null;
        boolean stored = false;
        try {
            KgcKeyStore.MasterKey under = issuedUnder(env, hospitalId, keys);
            ECPoint oldR = env.curve().decodePoint(keys.partialR);
            // the hospital side proves S_HPC; the KGC side checks it under the generation it was issued under (the one path)
            Instant at = Instant.now();
            byte[] proof = PartialKeyRenewal.sign(EmrAuthRenewal.HOSPITAL_CLOUD, keys.partialS, hospitalId, under.keyId(), oldR, at);
            renewals.check(EmrAuthRenewal.HOSPITAL_CLOUD, hospitalId, new PartialKeyRenewals.Held(under.keyId(),
                    Base64.getEncoder().encodeToString(keys.partialR)), under.keyId(),
                    (pk, r) -> EmrAuthRenewal.hospitalCloudKey(pk, hospitalId, r), at, proof);
            // R_HPC1 = r2·P, S_HPC = r2 + h(ID_HPC‖R_HPC1)·s under the current s  (seed 000, eq. 5–6)
            HospitalPrivateCloud hpc = new HospitalPrivateCloud(env, kgcKeys.publicKey(), hospitalId);
            RegistrationResponse issued = pc.registerHospitalCloud(hpc.registrationRequest());
            // S_HPC·P ?= R_HPC1 + h(ID_HPC‖R_HPC1)·PK  (seed 000, eq. 7)
            hpc.acceptRegistration(issued);
            String current = kgcKeys.currentMasterKey().keyId();
            renewed = keys.withPartialKey(issued.encodedR(), issued.s());
            SecretBytes old = vault.hospitalKeys(hospitalId).orElseThrow();
            previous = old.reveal();
            old.destroy();
            byte[] encoded = renewed.encode();
            try {
                vault.putHospitalKeys(hospitalId, encoded);
                stored = true;
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            int n = em.createNativeQuery("UPDATE hpc_registration SET r_hpc1 = ?1 WHERE hospital_id = ?2")
                    .setParameter(1, issued.encodedR()).setParameter(2, hospitalId).executeUpdate();
            if (n != 1) {
                throw new DomainException(DomainException.Kind.CONFLICT, "CONCURRENT_RENEWAL", "hospital " + hospitalId
                        + " changed meanwhile");
            }
            pc.recertifyPartialKey(ROLE, hospitalId, issued.encodedR());
            long index = renewals.record(EmrAuthRenewal.HOSPITAL_CLOUD, hospitalId, under.keyId(),
                    Base64.getEncoder().encodeToString(keys.partialR), current, issued.encodedR(), renewedBy, false);
            stored = false;
            return new Renewed(hospitalId, under.keyId(), current, index);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                    "the hospital's partial key cannot be renewed (" + e.reason() + ")");
        } finally {
            if (stored && previous != null) {
                // something after the key store write failed: the hospital keeps its old partial key
                vault.putHospitalKeys(hospitalId, previous);
            }
            if (previous != null) {
                Arrays.fill(previous, (byte) 0);
            }
            keys.destroy();
            if (renewed != null) {
                renewed.partialS.destroy();
            }
        }
    }

    private void requireRegistered(String hospitalId) throws DomainException {
        if (hospitalId == null || !KgcRegistrationService.PARTY_ID.matcher(hospitalId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_HOSPITAL_ID", "malformed hospital id");
        }
        if (!hospitals.isRegistered(hospitalId)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_REGISTERED",
                    "no hospital private cloud " + hospitalId + " is served here");
        }
    }

    private KeyEntry load(String hospitalId) throws DomainException {
        SecretBytes raw = vault.hospitalKeys(hospitalId).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys are missing"));
        byte[] b = raw.reveal();
        try {
            return KeyEntry.decode(KeyEntry.EMR_AUTH_HPC, pc.environment().curve(), b);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys do not open");
        } finally {
            Arrays.fill(b, (byte) 0);
            raw.destroy();
        }
    }

    /** The generation whose {@code PK} the hospital's partial key satisfies eq. 7 under, newest first. */
    private KgcKeyStore.MasterKey issuedUnder(Environment env, String hospitalId, KeyEntry keys) throws DomainException {
        List<KgcKeyStore.MasterKey> all = kgcKeys.masterKeys();
        for (int i = all.size() - 1; i >= 0; i--) {
            KgcKeyStore.MasterKey k = all.get(i);
            try {
                new HospitalPrivateCloud(env, k.publicKey(), hospitalId).acceptRegistration(keys.registrationResponse(env.curve()));
                return k;
            } catch (ProtocolException e) {
                // not this generation
            }
        }
        throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                "the hospital's partial key verifies under no KGC master key");
    }
}
