package org.medledger.interhospital;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.KeyEntry;
import org.medledger.custody.KgcKeyStore;
import org.medledger.directory.DirectoryService;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.kgc.boundary.PartialKeyRenewals;
import org.medledger.kgc.entity.PartialKeyHistory;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.Hospital;
import org.medledger.protocol.interhospital.InterHospitalRenewal;
import org.medledger.protocol.interhospital.InterHospitalRoles;
import org.medledger.protocol.interhospital.RegistrationGrant;
import org.medledger.protocol.interhospital.RegistrationOutcome;
import org.medledger.protocol.interhospital.RegistrationRequest;

/**
 * INTER-HOSPITAL patients' and hospitals' partial keys {@code (R_X, S_X)} renewed under the current
 * KGC master key generation through the one renewal ({@link PartialKeyRenewals}; docs/protocols/
 * kgc-key-rotation.md): proof by the old {@code S_X} against {@code R_X + H1(ID_X, R_X)·PK_keyId},
 * replay-guarded; the blockchain center issues a fresh {@code (R_X, S_X)} for the party's certified
 * own keys (seed 002, eq. 2–4, 10–12) and re-certifies its directory entry; the old key is listed as
 * superseded; one ledger entry. A patient's device signs its proof; a hospital served here signs
 * with the {@code S_H} its key store holds (a hospital administrator asks).
 */
@Stateless
public class InterHospitalKeyRenewal {

    static final PartialKeyRenewal.Kind PATIENT = InterHospitalRenewal.PATIENT;
    static final PartialKeyRenewal.Kind HOSPITAL = InterHospitalRenewal.HOSPITAL;

    @EJB
    InterHospitalService service;

    @EJB
    PartialKeyRenewals renewals;

    @EJB
    DirectoryService directory;

    @EJB
    PublicCloudService pc;

    @EJB
    ConsortiumAuthority authority;

    @Inject
    HospitalKeyStore vault;

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    PartialKeyHistory history;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    @Resource
    SessionContext context;

    /** A patient's renewal: the fresh grant (its {@code S_PAT} for the patient only), the key ids and the ledger entry. */
    public record PatientRenewed(RegistrationGrant grant, byte[] kgcPublicKey, String kgcKeyId, String previousKeyId, long logIndex) {
    }

    /** A hospital's renewal: the key ids before and after and the ledger entry. */
    public record HospitalRenewed(String hospitalId, String kgcKeyId, String previousKeyId, long logIndex) {
    }

    /** Where a party's partial key stands: its key id (null when not known here), whether current, the superseded ones. */
    public record State(String partyId, byte[] r, String kgcKeyId, boolean current, List<PartialKeyHistory.Superseded> superseded) {
    }

    /**
     * Renews patient {@code patientId}'s partial key (the caller itself) with the proof its device
     * signed by {@code S_PAT} issued under {@code kgcKeyId}; at the consortium's authority only
     * (where patients register).
     */
    @RolesAllowed("patient")
    public PatientRenewed renewPatient(String patientId, String kgcKeyId, Instant proofTime, byte[] proof) throws DomainException {
        InterHospitalService.requireId(patientId, "INVALID_PATIENT_ID");
        requireSelf(patientId);
        requireAuthority();
        byte[] registered = patientPoint(patientId).orElseThrow(() -> notRegistered("patient " + patientId));
        DirectoryEntry entry = entry(InterHospitalRoles.PATIENT, patientId);
        String oldR = Base64.getEncoder().encodeToString(registered);
        String proven = renewals.check(PATIENT, patientId, new PartialKeyRenewals.Held(recordedKeyId("ih_patient", "patient_id",
                patientId).orElse(null), oldR), kgcKeyId, (pk, r) -> InterHospitalRenewal.key(pk, patientId, r), proofTime, proof);
        Environment env = pc.environment();
        String current = renewals.currentKeyId();
        // R_PAT = r·P, S_PAT = r + H1(ID_PAT, R_PAT)·s under the current s; the patient's own keys certified again  (seed 002, eq. 2–4)
        RegistrationOutcome outcome = issue(env, new RegistrationRequest(patientId, InterHospitalRoles.PATIENT, "patient",
                entry.signingKey(), entry.kemKey()));
        RegistrationGrant grant = outcome.grant();
        try {
            byte[] newR = env.curve().encodePoint(grant.rX());
            directory.replace(grant.entry());
            if (em.createNativeQuery("UPDATE ih_patient SET r_pat = ?1, kgc_key_id = ?4 WHERE patient_id = ?2 AND r_pat = ?3")
                    .setParameter(1, newR).setParameter(2, patientId).setParameter(3, registered).setParameter(4, current)
                    .executeUpdate() != 1) {
                throw concurrent("patient " + patientId);
            }
            long index = renewals.record(PATIENT, patientId, kgcKeyId, proven, current, newR, patientId, false);
            return new PatientRenewed(grant, kgcKeys.publicKey().encoded(), current, kgcKeyId, index);
        } catch (DomainException | RuntimeException e) {
            grant.sX().destroy();
            throw e;
        }
    }

    /** Where patient {@code patientId}'s partial key stands (the patient itself, KGC operators, auditors). */
    @RolesAllowed({"patient", "kgc-operator", "auditor"})
    public State patientState(String patientId) throws DomainException {
        InterHospitalService.requireId(patientId, "INVALID_PATIENT_ID");
        if (!context.isCallerInRole("kgc-operator") && !context.isCallerInRole("auditor")) {
            requireSelf(patientId);
        }
        byte[] r = patientPoint(patientId).orElseThrow(() -> notRegistered("patient " + patientId));
        Optional<String> keyId = recordedKeyId("ih_patient", "patient_id", patientId);
        return new State(patientId, r, keyId.orElse(null), keyId.isPresent() && keyId.get().equals(renewals.currentKeyId()),
                history.superseded(PATIENT, patientId));
    }

    /**
     * Renews hospital {@code hospitalId}'s partial key, asked by the administrator who registered
     * it: the hospital side (its key store here) signs the proof by {@code S_H}, the center side checks
     * it, issues {@code (R_H, S_H)} under the current key, and the hospital checks eq. 13 under the
     * current {@code PK} before its key store takes it (its other keys unchanged).
     */
    @RolesAllowed("hospital-admin")
    public HospitalRenewed renewHospital(String hospitalId, String renewedBy) throws DomainException {
        requireAdmin(hospitalId, renewedBy);
        requireAuthority();
        Environment env = pc.environment();
        KeyEntry keys = load(env, hospitalId);
        KeyEntry renewed = null;
        byte[] previous = null;
        boolean stored = false;
        try {
            KgcKeyStore.MasterKey under = issuedUnder(hospitalId, keys, env);
            ECPoint heldR = env.curve().decodePoint(keys.partialR);
            Instant at = Instant.now();
            byte[] proof = PartialKeyRenewal.sign(HOSPITAL, keys.partialS, hospitalId, under.keyId(), heldR, at);
            DirectoryEntry entry = entry(InterHospitalRoles.HOSPITAL, hospitalId);
            String registeredR = Base64.getEncoder().encodeToString(env.curve().encodePoint(entry.partialKeyPoint()
                    .orElseThrow(() -> notRegistered("hospital " + hospitalId))));
            String proven = renewals.check(HOSPITAL, hospitalId, new PartialKeyRenewals.Held(recordedKeyId("ih_hospital",
                    "hospital_id", hospitalId).orElse(null), registeredR), under.keyId(), (pk, r) -> InterHospitalRenewal.key(pk, hospitalId, r), at, proof);
            String current = renewals.currentKeyId();
            // R_H = r·P, S_H = r + H1(ID_H, R_H)·s under the current s, the hospital's own keys certified again  (seed 002, eq. 2–4, 10–12)
            RegistrationOutcome outcome = issue(env, new RegistrationRequest(hospitalId, InterHospitalRoles.HOSPITAL,
                    "hospital " + hospitalId, keys.party.signingPublic(), keys.party.kemPublic()));
            RegistrationGrant grant = outcome.grant();
            // S_H·P ?= R_H + H1(ID_H, R_H)·PK under the current PK, the entry for our own keys  (seed 002, eq. 13)
            // (eq. 13 reads no ledger: the hospital is given no ledger checks here)
            new Hospital(env, authority.trust(env), keys.party, hospitalId, q -> false).acceptRegistration(grant);
            byte[] newR = env.curve().encodePoint(grant.rX());
            renewed = keys.withPartialKey(newR, grant.sX());
            SecretBytes old = vault.interHospitalKeys(hospitalId).orElseThrow();
            previous = old.reveal();
            old.destroy();
            byte[] encoded = renewed.encode();
            try {
                vault.putInterHospitalKeys(hospitalId, encoded);
                stored = true;
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            if (em.createNativeQuery("UPDATE ih_hospital SET r_h = ?1, kgc_key_id = ?4 WHERE hospital_id = ?2 AND r_h = ?3")
                    .setParameter(1, newR).setParameter(2, hospitalId).setParameter(3, keys.partialR).setParameter(4, current)
                    .executeUpdate() != 1) {
                throw concurrent("hospital " + hospitalId);
            }
            directory.replace(grant.entry());
            long index = renewals.record(HOSPITAL, hospitalId, under.keyId(), proven, current, newR, renewedBy, false);
            stored = false;
            return new HospitalRenewed(hospitalId, current, under.keyId(), index);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                    "the hospital's partial key cannot be renewed (" + e.reason() + ")");
        } finally {
            if (stored && previous != null) {
                // something after the key store write failed: the hospital keeps its old partial key
                vault.putInterHospitalKeys(hospitalId, previous);
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

    /** Where hospital {@code hospitalId}'s partial key stands (hospital IT, KGC operators, auditors). */
    @RolesAllowed({"hospital-admin", "kgc-operator", "auditor"})
    public State hospitalState(String hospitalId) throws DomainException {
        requireServed(hospitalId);
        Environment env = pc.environment();
        try (KeyEntry keys = load(env, hospitalId)) {
            KgcKeyStore.MasterKey under = issuedUnder(hospitalId, keys, env);
            return new State(hospitalId, keys.partialR.clone(), under.keyId(), under.current(), history.superseded(HOSPITAL, hospitalId));
        }
    }

    /** The blockchain center's issuance under the current master secret (seed 002, eq. 2–4, 10–12). */
    private RegistrationOutcome issue(Environment env, RegistrationRequest request) throws DomainException {
        MasterSecret s = kgcKeys.masterSecret();
        try {
            return new BlockchainCenter(env, s, pc.directoryCertifier(s)).register(request);
        } finally {
            s.destroy();
        }
    }

    // ---- checks ----

    private void requireSelf(String partyId) throws DomainException {
        if (!context.getCallerPrincipal().getName().equals(partyId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "a party renews only its own partial key");
        }
    }

    private void requireAuthority() throws DomainException {
        if (!authority.isAuthority()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "RENEW_AT_AUTHORITY",
                    "INTER-HOSPITAL partial keys are renewed by the consortium's authority, which issued them: renew there");
        }
    }

    private void requireServed(String hospitalId) throws DomainException {
        InterHospitalService.requireId(hospitalId, "INVALID_HOSPITAL_ID");
        if (!service.isHospitalServed(hospitalId)) {
            throw notRegistered("hospital " + hospitalId + " (served here)");
        }
    }

    /** The caller is itself, and the administrator who registered the hospital (as for its record keys). */
    private void requireAdmin(String hospitalId, String renewedBy) throws DomainException {
        if (renewedBy == null || !renewedBy.equals(context.getCallerPrincipal().getName())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "the caller is recorded as itself only");
        }
        requireServed(hospitalId);
        if (em.createNativeQuery("SELECT hospital_id FROM ih_hospital WHERE hospital_id = ?1 AND registered_by = ?2")
                .setParameter(1, hospitalId).setParameter(2, renewedBy).getResultList().isEmpty()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_HOSPITAL_ADMIN",
                    "only an administrator of hospital " + hospitalId + " renews its partial key");
        }
    }

    /** The key id recorded with a registration row (registration or last renewal), else the newest renewal's. */
    private Optional<String> recordedKeyId(String table, String idColumn, String partyId) {
        List<?> rows = em.createNativeQuery("SELECT kgc_key_id FROM " + table + " WHERE " + idColumn + " = ?1")
                .setParameter(1, partyId).getResultList();
        if (!rows.isEmpty() && rows.get(0) != null) {
            return Optional.of((String) rows.get(0));
        }
        return history.renewedTo(table.equals("ih_patient") ? PATIENT : HOSPITAL, partyId);
    }

    private Optional<byte[]> patientPoint(String patientId) {
        List<?> rows = em.createNativeQuery("SELECT r_pat FROM ih_patient WHERE patient_id = ?1").setParameter(1, patientId)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of((byte[]) rows.get(0));
    }

    private DirectoryEntry entry(String role, String partyId) throws DomainException {
        return directory.find(pc.curve(), InterHospitalRoles.SCHEME, role, partyId)
                .orElseThrow(() -> notRegistered(role + " " + partyId + " (directory)"));
    }

    private KeyEntry load(Environment env, String hospitalId) throws DomainException {
        SecretBytes raw = vault.interHospitalKeys(hospitalId).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys are missing"));
        byte[] b = raw.reveal();
        try {
            return KeyEntry.decode(KeyEntry.INTER_HOSPITAL, env.curve(), b);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys do not open");
        } finally {
            Arrays.fill(b, (byte) 0);
            raw.destroy();
        }
    }

    /** The generation whose {@code PK} the hospital's partial key satisfies eq. 13 under, newest first. */
    private KgcKeyStore.MasterKey issuedUnder(String hospitalId, KeyEntry keys, Environment env) throws DomainException {
        ECPoint r;
        try {
            r = env.curve().decodePoint(keys.partialR);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys do not open");
        }
        List<KgcKeyStore.MasterKey> all = kgcKeys.masterKeys();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (InterHospitalRenewal.issuedUnder(all.get(i).publicKey(), hospitalId, r, keys.partialS)) {
                return all.get(i);
            }
        }
        throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                "the hospital's partial key verifies under no KGC master key");
    }

    private static DomainException notRegistered(String what) {
        return new DomainException(DomainException.Kind.NOT_FOUND, "NOT_REGISTERED", what + " is not registered");
    }

    private static DomainException concurrent(String what) {
        return new DomainException(DomainException.Kind.CONFLICT, "CONCURRENT_RENEWAL", what + " was renewed by a concurrent request");
    }
}
