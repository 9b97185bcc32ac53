package org.medledger.emrauth;

import jakarta.ejb.EJB;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.custody.KeyEntry;
import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.consensus.LedgerNode;
import org.medledger.consent.ConsentService;
import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.KgcKeyStore;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.Role;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DatabaseUnavailable;
import org.medledger.platform.DomainException;
import org.medledger.platform.PendingReplays;
import org.medledger.platform.ReplayRecords;
import org.medledger.platform.Refusals;
import org.medledger.platform.SessionStore;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.ReplayGuard;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SessionSealer;
import org.medledger.protocol.emrauth.AcceptedEmrVersion;
import org.medledger.protocol.emrauth.ConsentPolicy;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrDelivery;
import org.medledger.protocol.emrauth.EmrRelease;
import org.medledger.protocol.emrauth.EmrRequest;
import org.medledger.protocol.emrauth.EmrVersionSubmission;
import org.medledger.protocol.emrauth.HospitalAccessRequest;
import org.medledger.protocol.emrauth.HospitalAccessResponse;
import org.medledger.protocol.emrauth.HospitalAccessSession;
import org.medledger.protocol.emrauth.HospitalPrivateCloud;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * The hospital private clouds served by this server (EMR-AUTH's HPC): registration (eq. 5–7),
 * search steps 4 and 6 and the storage of doctor-signed EMR versions. Each hospital's keys live
 * in the hospital key store and are loaded per call; the search session between steps 4 and 6
 * is sealed by the hospital and kept in the database, used once. Every release attempt is one
 * access entry on the ledger, written before anything is released.
 *
 * <p>Registration and revocation of a hospital, the search steps and the storage of EMR versions
 * declare their roles; the bean's other methods (other schemes' use of a hospital's keys) stay
 * open to the beans that call them, which declare their own.
 */
@Stateless
@PermitAll
public class HospitalCloudService {

    private static final Logger LOG = Logger.getLogger(HospitalCloudService.class.getName());
    static final String SESSION_KIND = "EMR-AUTH/HospitalAccessSession";
    static final Duration SESSION_LIFETIME = Duration.ofMinutes(2);
    static final Duration MEMBERSHIP = Duration.ofDays(5 * 365);

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    HospitalKeyStore vault;

    @Inject
    EmrRecordStore records;

    @Inject
    DatabaseReplayGuard replayGuard;

    @EJB
    ReplayRecords replayRecords;

    @EJB
    PublicCloudService pc;

    @EJB
    SessionStore sessions;

    @EJB
    AccessLedger accesses;

    @EJB
    ConsentService consent;

    @EJB
    LedgerNode ledger;

    @jakarta.persistence.PersistenceContext(unitName = "medledger")
    jakarta.persistence.EntityManager em;

    @Resource
    SessionContext context;

    public record Registered(String hospitalId, byte[] rHpc1, long ledgerLogIndex) {
    }

    public record OpenedSession(String sessionId, HospitalAccessResponse response) {
    }

    /** The outcome of step 6: released (with {@code C_HPC2}) or refused with its reason, both on the ledger. */
    public record ReleaseOutcome(boolean released, EmrDelivery delivery, String reason, long logIndex) {
    }

    public boolean isRegistered(String hospitalId) {
        return !em.createNativeQuery("SELECT hospital_id FROM hpc_registration WHERE hospital_id = ?1")
                .setParameter(1, hospitalId).getResultList().isEmpty();
    }

    /**
     * Hospitals found registered here: a registration row is never deleted (a revoked hospital
     * stays registered and is refused by the ledger), so a hospital once found is not looked up
     * again at each of its releases.
     */
    private static final java.util.Set<String> KNOWN_REGISTERED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@link #isRegistered}, answered from memory once it was true. */
    private boolean isServedHere(String hospitalId) {
        if (KNOWN_REGISTERED.contains(hospitalId)) {
            return true;
        }
        boolean registered = isRegistered(hospitalId);
        if (registered && KNOWN_REGISTERED.size() < 10_000) {
            KNOWN_REGISTERED.add(hospitalId);
        }
        return registered;
    }

    /**
     * Registers hospital private cloud {@code hospitalId} (seed 000, eq. 5–7): the hospital
     * generates its own keys, the KGC issues {@code (R_HPC1, S_HPC)}, the hospital checks
     * {@code S_HPC·P == R_HPC1 + h(ID_HPC‖R_HPC1)·PK}, keeps everything in the hospital key store;
     * the KGC certifies its public keys in the directory and makes it a ledger member.
     */
    @RolesAllowed("hospital-admin")
    public Registered register(String hospitalId, String registeredBy) throws DomainException {
        requireCaller(registeredBy);
        if (hospitalId == null || !KgcRegistrationService.PARTY_ID.matcher(hospitalId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_HOSPITAL_ID",
                    "hospitalId must be 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
        if (isRegistered(hospitalId) || pc.entry(EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, hospitalId).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED",
                    "hospital " + hospitalId + " is already registered");
        }
        Environment env = pc.environment();
        HospitalPrivateCloud hpc = new HospitalPrivateCloud(env, kgcKeys.publicKey(), hospitalId);
        RegistrationResponse issued = pc.registerHospitalCloud(hpc.registrationRequest());
        KeyEntry keys = null;
        try {
            // S_HPC·P ?= R_HPC1 + h(ID_HPC‖R_HPC1)·PK  (seed 000, eq. 7)
            hpc.acceptRegistration(issued);
            keys = KeyEntry.generated(KeyEntry.EMR_AUTH_HPC, env.curve(), hpc.keys(), issued, null, new SecureRandom());
            byte[] encoded = keys.encode();
            try {
                vault.putHospitalKeys(hospitalId, encoded);
            } finally {
                java.util.Arrays.fill(encoded, (byte) 0);
            }
            pc.certify(EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, hospitalId, keys.party.signingPublic(), keys.party.kemPublic(),
                    Optional.of(issued.r()));
            long now = System.currentTimeMillis();
            em.createNativeQuery("INSERT INTO hpc_registration (hospital_id, r_hpc1, registered_by, registered_at) VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, hospitalId).setParameter(2, issued.encodedR()).setParameter(3, registeredBy)
                    .setParameter(4, now).executeUpdate();
            em.flush();
            long index = ledger.registerMember(hospitalId, Role.HOSPITAL, keys.ledgerSigner().publicKey(), now,
                    now + MEMBERSHIP.toMillis(), registeredBy).logIndex();
            LOG.info(() -> "Hospital private cloud " + hospitalId + " registered (by " + registeredBy + ")");
            return new Registered(hospitalId, issued.encodedR(), index);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            if (keys != null) {
                keys.destroy();
            } else {
                issued.s().destroy();
            }
        }
    }

    /**
     * Removes a hospital private cloud from the ledger's members (the consortium no longer trusts
     * it). From then on its access entries are refused by the ledger, so it releases nothing.
     */
    @RolesAllowed("kgc-operator")
    public long revokeMembership(String hospitalId, String revokedBy) throws DomainException {
        requireCaller(revokedBy);
        if (hospitalId == null || !KgcRegistrationService.PARTY_ID.matcher(hospitalId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_HOSPITAL_ID", "malformed hospital id");
        }
        if (!isRegistered(hospitalId)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL",
                    "no hospital private cloud " + hospitalId + " is served here");
        }
        long index = ledger.revokeMember(hospitalId).logIndex();
        LOG.info(() -> "Hospital private cloud " + hospitalId + " removed from the ledger's members (by " + revokedBy + ")");
        return index;
    }

    /** The authenticated caller is the one a registration or revocation names, never another. */
    private void requireCaller(String named) throws DomainException {
        if (named == null || !named.equals(context.getCallerPrincipal().getName())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "the caller is recorded as itself only");
        }
    }

    /**
     * The ledger member key of hospital {@code hospitalId} served here, loaded for one use by
     * another scheme where this hospital holds records (ABE-CHAIN's descriptors and access entries).
     */
    public Signer ledgerSigner(String hospitalId) throws DomainException {
        try (Loaded h = new Loaded(hospitalId)) {
            return h.keys.ledgerSigner();
        }
    }

    /** The protocol's consent policy over the ledger's {@code consent} contract: scope = {@code ID_DE}. */
    ConsentPolicy consentOnTheLedger(Environment env) {
        return (p, d, de) -> consent.permits(p, d, de, env.clock().millis());
    }

    /** What another scheme served by the same hospital does with its keys (GROUP-AGG's healthcare center). */
    @FunctionalInterface
    public interface KeyUse<T> {
        T apply(org.medledger.protocol.common.PartyKeys protocolKeys, org.medledger.ledger.crypto.Signer ledgerSigner)
                throws DomainException;
    }

    /** Runs {@code use} with hospital {@code hospitalId}'s protocol keys and ledger signer, loaded for this call only. */
    public <T> T withKeys(String hospitalId, KeyUse<T> use) throws DomainException {
        try (Loaded h = new Loaded(hospitalId)) {
            return use.apply(h.keys.party, h.keys.ledgerSigner());
        }
    }

    /** A registered hospital with its keys loaded for this call. */
    private final class Loaded implements AutoCloseable {
        final KeyEntry keys;
        final HospitalPrivateCloud hpc;
        final Environment env;
        final ReplayGuard guard;

        Loaded(String hospitalId) throws DomainException {
            this(hospitalId, replayGuard);
        }

        /** With {@code guard} for the messages this call accepts (a {@link PendingReplays} committed with its write). */
        Loaded(String hospitalId, ReplayGuard guard) throws DomainException {
            if (!isServedHere(hospitalId)) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL",
                        "no hospital private cloud " + hospitalId + " is served here");
            }
            this.guard = guard;
            SecretBytes raw = vault.hospitalKeys(hospitalId).orElseThrow(() -> new DomainException(
                    DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys are missing"));
            byte[] b = raw.reveal();
            try {
                env = pc.environment(guard);
                keys = KeyEntry.decode(KeyEntry.EMR_AUTH_HPC, env.curve(), b);
                hpc = new HospitalPrivateCloud(env, pc.trust(env), keys.party, hospitalId);
                hpc.acceptRegistration(keys.registrationResponse(env.curve()));
            } catch (ProtocolException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                        "the hospital's keys do not open");
            } finally {
                java.util.Arrays.fill(b, (byte) 0);
                raw.destroy();
            }
        }

        SessionSealer sealer() {
            // A sealed session opens once: its state id goes to the database replay guard.
            return new SessionSealer(keys.sessionKey, env.clock(), env.random(), SESSION_LIFETIME, guard);
        }

        @Override
        public void close() {
            keys.destroy();
        }
    }

    /**
     * Search step 4 (seed 000, eq. 36–41) for the authenticated doctor {@code callerId}: answers
     * {@code (C_HPC1, Sig_HPC1, T_HPC1)} and keeps the session (with {@code SEK2}) sealed in the
     * database until step 6. Outside a transaction of its own (see {@link #release}): the replay
     * row of the request and the session row are committed together, in one short transaction
     * after the computation; a refused request still commits its replay row.
     */
    @RolesAllowed("doctor")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public OpenedSession openAccess(String hospitalId, HospitalAccessRequest request, String callerId) throws DomainException {
        requireCaller(callerId);
        PendingReplays accepted = replayGuard.pending();
        try (Loaded h = new Loaded(hospitalId, accepted)) {
            HospitalAccessSession session;
            String id = SessionStore.newId();
            byte[] sealed;
            try {
                session = h.hpc.acceptAccessRequest(request);
                if (!session.doctorId().equals(callerId)) {
                    session.sessionKey().destroy();
                    throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                            "the access request names another doctor than the caller");
                }
                sealed = session.export(h.sealer(), id);
            } catch (ProtocolException e) {
                recordRefused(accepted);
                throw Refusals.of(e);
            } catch (DomainException e) {
                recordRefused(accepted);
                throw e;
            }
            try {
                sessions.put(id, SESSION_KIND, callerId, sealed, Instant.now().plus(SESSION_LIFETIME), accepted.rows());
            } catch (RuntimeException e) {
                throw notCommitted(e);
            } finally {
                session.sessionKey().destroy();
            }
            return new OpenedSession(id, session.response());
        }
    }

    /** The replay rows of a refused request, committed on their own: a captured message is consumed all the same. */
    private void recordRefused(PendingReplays accepted) {
        if (accepted.rows().isEmpty()) {
            return;
        }
        try {
            replayRecords.insertNew(accepted.rows());
        } catch (RuntimeException e) {
            if (!DatabaseUnavailable.isDuplicateKey(e)) {
                throw DatabaseUnavailable.replayGuard(e);
            }
        }
    }

    /** A failed commit of a step's session with its replay rows: a concurrent copy is a replay; anything else, unavailable. */
    private static RuntimeException notCommitted(RuntimeException e) throws DomainException {
        if (DatabaseUnavailable.isDuplicateKey(e)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "REPLAY", "message seen before");
        }
        return e instanceof DatabaseUnavailable u ? u : DatabaseUnavailable.replayGuard(e);
    }

    /**
     * Search step 6 (seed 000, eq. 46–47): resumes the session once, checks {@code Cert_D} again
     * and the patient's consent on the ledger, writes the access entry (released or refused) to
     * the ledger and only then hands out {@code C_HPC2}. If the entry cannot be written, nothing
     * is released ({@code ACCESS_NOT_RECORDED}).
     *
     * <p>Two writes, each committed at once and before the next: the session taken together with
     * the replay rows of its sealed state and of {@code C_D4} (one transaction: a concurrent
     * taker finds the session gone, a concurrent copy of a message fails on the replay table's
     * key), then the access entry with its index row. A refused step still uses the session up.
     * No request transaction around them: it would hold a database connection while the access
     * entry waits for its block and each write takes a second one; with as many searches in
     * flight as connections in the pool, every search would wait for a connection none gives back.
     */
    @RolesAllowed("doctor")
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public ReleaseOutcome release(String hospitalId, String sessionId, EmrRequest request, String callerId)
            throws DomainException {
        requireCaller(callerId);
        SessionStore.Stored stored = sessions.read(sessionId, SESSION_KIND, callerId);
        if (stored.expired(System.currentTimeMillis())) {
            sessions.take(sessionId, SESSION_KIND, callerId); // uses it up; throws SESSION_EXPIRED
            throw new DomainException(DomainException.Kind.NOT_FOUND, "SESSION_EXPIRED", "the session has expired");
        }
        PendingReplays accepted = replayGuard.pending();
        boolean taken = false;
        try (Loaded h = new Loaded(hospitalId, accepted)) {
            HospitalAccessSession session;
            try {
                session = h.hpc.resumeAccessSession(h.sealer(), sessionId, stored.sealed());
            } catch (ProtocolException e) {
                throw Refusals.of(e);
            }
            String idP = session.patientId();
            String idD = session.doctorId();
            String idDE = session.departmentId();
            long now = h.env.clock().millis();
            EmrRelease release = null;
            String reason;
            try {
                Optional<byte[]> emr = records.latest(hospitalId, idP, idDE, h.keys.recordWrapKey);
                try {
                    // The patient's consent for this doctor and department, read from the ledger now (step 6).
                    release = session.release(request, consentOnTheLedger(h.env),
                            (p, de) -> p.equals(idP) && de.equals(idDE) ? emr : Optional.empty());
                    reason = "CONSENTED";
                } catch (ProtocolException e) {
                    reason = e.reason().name();
                }
                // The session used up and the messages recorded, in one commit, before anything is released.
                try {
                    sessions.take(sessionId, SESSION_KIND, callerId, accepted.rows());
                    taken = true;
                } catch (RuntimeException e) {
                    throw notCommitted(e);
                }
            } finally {
                session.sessionKey().destroy();
            }
            Signer holder = h.keys.ledgerSigner();
            AccessEntry entry = release != null
                    ? AccessEntry.released(EmrAuthRoles.SCHEME, hospitalId, idP, idD, now)
                    : AccessEntry.refused(EmrAuthRoles.SCHEME, hospitalId, idP, idD, reason, now);
            // The entry is committed on the ledger before C_HPC2 leaves this method; if this throws, nothing is released.
            AccessLedger.Recorded recorded = accesses.append(entry, holder);
            String r = reason;
            // per call at FINE: the ledger holds every access; an INFO line per release queues calls on the log handler
            LOG.fine(() -> "HPC " + hospitalId + ": access by " + idD + " " + entry.outcome().wire() + " (" + r
                    + "), ledger index " + recorded.logIndex());
            return new ReleaseOutcome(release != null, release == null ? null : release.delivery(), reason,
                    recorded.logIndex());
        } finally {
            if (!taken) {
                discard(sessionId, callerId, accepted);
            }
        }
    }

    /** A step 6 that did not take its session uses it up all the same (and records what it accepted). */
    private void discard(String sessionId, String callerId, PendingReplays accepted) {
        try {
            sessions.discard(sessionId, SESSION_KIND, callerId, accepted.rows());
        } catch (RuntimeException e) {
            // the database is away: the refusal (or the failure) already on its way is the answer; nothing was released
            LOG.fine(() -> "HPC: session could not be discarded (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Stores a doctor-signed EMR version (diagnosis phase): decrypts and checks it, validates the
     * FHIR content, stores it encrypted at rest and updates the public cloud's index (erratum 8).
     */
    @RolesAllowed("doctor")
    public AcceptedEmrVersion storeVersion(String hospitalId, EmrVersionSubmission submission, String callerId)
            throws DomainException {
        requireCaller(callerId);
        try (Loaded h = new Loaded(hospitalId)) {
            // Writes are authorized as reads: the patient's consent for this doctor and department.
            AcceptedEmrVersion v = h.hpc.acceptEmrVersion(submission, PublicCloudService.PC_ID, consentOnTheLedger(h.env));
            if (!v.idD().equals(callerId)) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                        "the EMR version is signed by another doctor than the caller");
            }
            FhirRecords.requireValid(v.content());
            records.store(hospitalId, v, h.keys.recordWrapKey);
            pc.applyIndexUpdate(v.indexUpdate());
            LOG.info(() -> "HPC " + hospitalId + ": EMR version stored by " + callerId);
            return v;
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }
}
