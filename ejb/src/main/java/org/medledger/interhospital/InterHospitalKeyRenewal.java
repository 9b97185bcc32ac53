package org.medledger.interhospital;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

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
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
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

    private static final Logger LOG = Logger.getLogger(InterHospitalKeyRenewal.class.getName());

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
     * current {@code PK} before its key store takes it (its other keys unchanged). On a consortium
     * node that is not the authority the center side is the authority's: the proof is forwarded to
     * it ({@link #renewForNode}) and the fresh key comes back sealed to the hospital's KEM key.
     */
    @RolesAllowed("hospital-admin")
    public HospitalRenewed renewHospital(String hospitalId, String renewedBy) throws DomainException {
        requireAdmin(hospitalId, renewedBy);
        Environment env = pc.environment();
        KeyEntry keys = load(env, hospitalId);
        try {
            KgcKeyStore.MasterKey under = issuedUnder(hospitalId, keys, env);
            ECPoint heldR = env.curve().decodePoint(keys.partialR);
            String oldR = Base64.getEncoder().encodeToString(keys.partialR);
            if (!authority.isAuthority()) {
                return renewThroughAuthority(env, hospitalId, renewedBy, keys, under, heldR, oldR);
            }
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
            try {
                long index = keep(env, hospitalId, keys, grant, current,
                        newR -> renewals.record(HOSPITAL, hospitalId, under.keyId(), proven, current, newR, renewedBy, false));
                return new HospitalRenewed(hospitalId, current, under.keyId(), index);
            } finally {
                grant.sX().destroy();
            }
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                    "the hospital's partial key cannot be renewed (" + e.reason() + ")");
        } finally {
            keys.destroy();
        }
    }

    /** What follows the hospital's acceptance of its renewed key: the ledger entry, or a refusal that undoes the renewal here. */
    @FunctionalInterface
    private interface Recording {
        long record(byte[] newR) throws DomainException;
    }

    /**
     * The hospital's side of a renewal: checks the grant (eq. 13 under the current {@code PK}, the
     * entry for its own keys), puts the new {@code S_H} in its key store, updates its registration
     * and directory entry, then {@code recording}; if anything after the key store write fails the
     * hospital keeps its old partial key (the database changes roll back with the transaction).
     */
    private long keep(Environment env, String hospitalId, KeyEntry keys, RegistrationGrant grant, String keyId, Recording recording)
            throws DomainException, ProtocolException {
        // S_H·P ?= R_H + H1(ID_H, R_H)·PK under the current PK, the entry for our own keys  (seed 002, eq. 13)
        // (eq. 13 reads no ledger: the hospital is given no ledger checks here)
        new Hospital(env, authority.trust(env), keys.party, hospitalId, q -> false).acceptRegistration(grant);
        byte[] newR = env.curve().encodePoint(grant.rX());
        KeyEntry renewed = keys.withPartialKey(newR, grant.sX());
        byte[] previous = null;
        boolean stored = false;
        try {
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
                    .setParameter(1, newR).setParameter(2, hospitalId).setParameter(3, keys.partialR).setParameter(4, keyId)
                    .executeUpdate() != 1) {
                throw concurrent("hospital " + hospitalId);
            }
            if (directory.exists(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, hospitalId)) {
                directory.replace(grant.entry());
            }
            long index = recording.record(newR);
            stored = false;
            return index;
        } finally {
            if (stored && previous != null) {
                // something after the key store write failed: the hospital keeps its old partial key
                vault.putInterHospitalKeys(hospitalId, previous);
            }
            if (previous != null) {
                Arrays.fill(previous, (byte) 0);
            }
        }
    }

    // ---- forwarded to the consortium's authority ----

    static final String RENEWAL_LABEL = "MEDLEDGER/INTER-HOSPITAL/hospital-renewal/v1";
    static final String RENEWAL_GRANT_LABEL = "MEDLEDGER/INTER-HOSPITAL/renewal-grant/v1";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A forwarded renewal: what the hospital signed with its old {@code S_H} ({@link PartialKeyRenewal}) and the proof. */
    record Forwarded(String hospitalId, String keyId, ECPoint r, Instant at, byte[] proof) {

        byte[] encode(Environment env) {
            return LabelledEncoder.of(RENEWAL_LABEL).utf8(hospitalId).utf8(keyId).point(env.curve(), r).int64(at.getEpochSecond())
                    .bytes(proof).toByteArray();
        }

        static Forwarded decode(Environment env, byte[] payload) throws DomainException {
            try {
                LabelledDecoder d = LabelledDecoder.open(payload, RENEWAL_LABEL);
                Forwarded f = new Forwarded(d.utf8(), d.utf8(), d.point(env.curve()), Instant.ofEpochSecond(d.int64()), d.boundedBytes(256));
                d.finish();
                return f;
            } catch (ProtocolException | java.time.DateTimeException e) {
                throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_REQUEST", "the forwarded renewal does not decode");
            }
        }
    }

    /**
     * A node that is not the authority: the hospital's proof by its {@code S_H} goes to the authority,
     * which checks and records the renewal; the fresh {@code (R_H, S_H)}, sealed to the hospital's KEM
     * key, is opened and checked here. The proof's time is kept until the renewal completes here, so
     * a retry after a local failure is the same content and gets the authority's first answer.
     */
    private HospitalRenewed renewThroughAuthority(Environment env, String hospitalId, String renewedBy, KeyEntry keys,
                                                  KgcKeyStore.MasterKey under, ECPoint heldR, String oldR)
            throws DomainException, ProtocolException {
        if (under.current()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_CURRENT", "INTER-HOSPITAL hospital " + hospitalId
                    + " holds a partial key under the current key id " + under.keyId());
        }
        Instant at = proofTime(hospitalId);
        byte[] proof = PartialKeyRenewal.sign(HOSPITAL, keys.partialS, hospitalId, under.keyId(), heldR, at);
        byte[] sealed = authority.request(ConsortiumAuthority.RENEWAL, renewedBy, new Forwarded(hospitalId, under.keyId(), heldR, at, proof)
                .encode(env));
        byte[] plain = Hpke.open(keys.party.kem(), RENEWAL_GRANT_LABEL, hospitalId.getBytes(StandardCharsets.UTF_8), sealed);
        RegistrationGrant grant = null;
        try {
            LabelledDecoder d = LabelledDecoder.open(plain, RENEWAL_GRANT_LABEL);
            long index = d.int64();
            String keyId = d.utf8();
            grant = new RegistrationGrant(d.point(env.curve()), d.secretScalar(env.curve()), DirectoryEntry.decode(env.curve(), d.bytes()));
            d.finish();
            if (!keyId.equals(KgcKeyStore.keyId(authority.parameters().publicKey()))) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                        "the authority renewed under key id " + keyId + ", which this node does not know as current yet: retry");
            }
            keep(env, hospitalId, keys, grant, keyId, newR -> {
                history.recordSuperseded(HOSPITAL, hospitalId, under.keyId(), oldR, keyId, renewedBy, System.currentTimeMillis());
                history.recordLedgerIndex(HOSPITAL, hospitalId, under.keyId(), index);
                return index;
            });
            vault.vault().remove(proofTimeAlias(hospitalId));
            LOG.info(() -> "INTER-HOSPITAL: hospital " + hospitalId + "'s partial key renewed through the authority (by " + renewedBy
                    + "): key id " + under.keyId() + " -> " + keyId + ", ledger entry " + index);
            return new HospitalRenewed(hospitalId, keyId, under.keyId(), index);
        } finally {
            Arrays.fill(plain, (byte) 0);
            if (grant != null) {
                grant.sX().destroy();
            }
        }
    }

    private static String proofTimeAlias(String hospitalId) {
        return "ih-renewal-proof-at:" + hospitalId.toLowerCase(java.util.Locale.ROOT);
    }

    /** The time of the pending renewal's proof: the kept one while it is fresh enough for the authority, else now (kept). */
    private Instant proofTime(String hospitalId) throws DomainException {
        Instant now = Instant.now();
        Optional<SecretBytes> kept = vault.vault().secret(proofTimeAlias(hospitalId));
        if (kept.isPresent()) {
            byte[] b = kept.get().reveal();
            try {
                if (b.length == Long.BYTES) {
                    Instant at = Instant.ofEpochSecond(java.nio.ByteBuffer.wrap(b).getLong());
                    if (at.isAfter(now.minus(PartialKeyRenewal.MAX_SKEW).plusSeconds(60)) && !at.isAfter(now)) {
                        return at;
                    }
                }
            } finally {
                kept.get().destroy();
            }
        }
        vault.vault().put(proofTimeAlias(hospitalId), java.nio.ByteBuffer.allocate(Long.BYTES).putLong(now.getEpochSecond()).array());
        return Instant.ofEpochSecond(now.getEpochSecond());
    }

    /** The authority: the identity of a forwarded renewal, the content the hospital signed with its partial key (checked). */
    @RolesAllowed("hospital-admin")
    public byte[] forwardedContent(byte[] payload) throws DomainException {
        Environment env = pc.environment();
        Forwarded f = Forwarded.decode(env, payload);
        MasterPublicKey pk = kgcKeys.publicKey(f.keyId()).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "UNKNOWN_PARTIAL_KEY", "the KGC has no master key with key id " + f.keyId()));
        try {
            return PartialKeyRenewal.verify(HOSPITAL, InterHospitalRenewal.key(pk, f.hospitalId(), f.r()), f.hospitalId(), f.keyId(),
                    f.r(), f.at(), f.proof(), Instant.now()).digest();
        } catch (ProtocolException e) {
            LOG.warning(() -> "authority: a forwarded renewal not signed by the hospital's partial key refused (" + e.reason() + ")");
            throw e.reason() == Reason.STALE_TIMESTAMP
                    ? new DomainException(DomainException.Kind.INVALID, "STALE_PROOF", "the renewal proof is not fresh")
                    : new DomainException(DomainException.Kind.FORBIDDEN, "NO_PROOF_OF_POSSESSION",
                            "the renewal is not signed by the partial key issued under key id " + f.keyId());
        }
    }

    /**
     * The authority: renews the partial key of hospital {@code ID_H} that node {@code nodeId} serves,
     * checked exactly as a renewal made here ({@link PartialKeyRenewals#check}: the proof by the old
     * {@code S_H} against the registered {@code R_H}, fresh, the signed content once); issues
     * {@code (R_H, S_H)} under the current key for the hospital's certified own keys, re-certifies its
     * entry, records the {@code keys.rotate} entry (renewed by {@code requestedBy}: {@code "<user> at node <id>"}),
     * and answers the grant sealed to the hospital's KEM key (only the hospital opens it).
     */
    @RolesAllowed("hospital-admin")
    public byte[] renewForNode(String nodeId, String requestedBy, byte[] payload) throws DomainException {
        requireAuthority();
        Environment env = pc.environment();
        Forwarded f = Forwarded.decode(env, payload);
        String hospitalId = f.hospitalId();
        InterHospitalService.requireId(hospitalId, "INVALID_HOSPITAL_ID");
        if (!hospitalId.equals(nodeId) && !hospitalId.startsWith(nodeId + ".") || service.isHospitalServed(hospitalId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_NODE_HOSPITAL",
                    "a node renews only the partial keys of hospitals named after it (<node> or <node>.<name>)");
        }
        DirectoryEntry entry = entry(InterHospitalRoles.HOSPITAL, hospitalId);
        String registeredR = Base64.getEncoder().encodeToString(env.curve().encodePoint(entry.partialKeyPoint()
                .orElseThrow(() -> notRegistered("hospital " + hospitalId))));
        String proven = renewals.check(HOSPITAL, hospitalId, new PartialKeyRenewals.Held(recordedKeyId("ih_hospital", "hospital_id",
                hospitalId).orElse(null), registeredR), f.keyId(), (pk, r) -> InterHospitalRenewal.key(pk, hospitalId, r), f.at(), f.proof());
        String current = renewals.currentKeyId();
        // R_H = r·P, S_H = r + H1(ID_H, R_H)·s under the current s, the hospital's own keys certified again  (seed 002, eq. 2–4, 10–12)
        RegistrationGrant grant = issue(env, new RegistrationRequest(hospitalId, InterHospitalRoles.HOSPITAL, "hospital " + hospitalId,
                entry.signingKey(), entry.kemKey())).grant();
        byte[] plain = null;
        try {
            byte[] newR = env.curve().encodePoint(grant.rX());
            directory.replace(grant.entry());
            long index = renewals.record(HOSPITAL, hospitalId, f.keyId(), proven, current, newR, requestedBy, false);
            plain = LabelledEncoder.of(RENEWAL_GRANT_LABEL).int64(index).utf8(current).point(env.curve(), grant.rX()).secret(grant.sX())
                    .bytes(grant.entry().encode()).toByteArray();
            return Hpke.seal(entry.kemKey(), RENEWAL_GRANT_LABEL, hospitalId.getBytes(StandardCharsets.UTF_8), plain, RANDOM);
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
            grant.sX().destroy();
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
        // the generations of the KGC that issued it: the authority's (this server's own when it is the authority)
        List<KgcKeyStore.MasterKey> all = authority.masterKeys();
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
