package org.medledger.interhospital;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.custody.KeyEntry;
import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.consensus.LedgerNode;
import org.medledger.consent.ConsentService;
import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.KgcKeyStore;
import org.medledger.directory.DirectoryService;
import org.medledger.emrauth.FhirRecords;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.contract.seeds.InterHospitalContract;
import org.medledger.ledger.contract.seeds.InterHospitalPayloads;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.platform.SessionStore;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.KeyPossessionProof;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SessionSealer;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.interhospital.BlockchainCenter;
import org.medledger.protocol.interhospital.HandshakeChallenge;
import org.medledger.protocol.interhospital.HandshakeConfirm;
import org.medledger.protocol.interhospital.HandshakeHello;
import org.medledger.protocol.interhospital.Hospital;
import org.medledger.protocol.interhospital.HospitalLink;
import org.medledger.protocol.interhospital.HospitalSession;
import org.medledger.protocol.interhospital.InterHospitalRoles;
import org.medledger.protocol.interhospital.LedgerChecks;
import org.medledger.protocol.interhospital.MedicalRecordInsert;
import org.medledger.protocol.interhospital.ReceivedRecord;
import org.medledger.protocol.interhospital.RecordIssue;
import org.medledger.protocol.interhospital.RecordRelease;
import org.medledger.protocol.interhospital.RecordTransfer;
import org.medledger.protocol.interhospital.RegistrationGrant;
import org.medledger.protocol.interhospital.RegistrationOutcome;
import org.medledger.protocol.interhospital.RegistrationRequest;
import org.medledger.protocol.interhospital.ReleaseAuthorization;
import org.medledger.protocol.interhospital.TreatmentConsent;
import org.medledger.protocol.interhospital.VisitRequest;

/**
 * INTER-HOSPITAL (seed 002) as served here: the blockchain center (this server's KGC, master
 * secret from the KGC key store) registers patients and hospitals and records them on the ledger
 * ({@code ptins}, {@code hains}); each hospital served here keeps its keys in the hospital key
 * store and its records sealed at rest; a patient's visit runs the handshake over two calls (the
 * session sealed by the hospital, in the database, used once), a doctor's diagnosis is issued to
 * the patient and recorded ({@code mrins}, {@code ptins}); a referred visit lets the new hospital
 * fetch the patient's records from the holder over HTTP under the patient-signed authorization,
 * and the holder writes exactly one access entry on the ledger before it releases anything.
 */
@Stateless
public class InterHospitalService {

    private static final Logger LOG = Logger.getLogger(InterHospitalService.class.getName());
    public static final String SCHEME = InterHospitalRoles.SCHEME;
    static final String VISIT_SESSION = "INTER-HOSPITAL/visit";
    static final String DIAGNOSIS_SESSION = "INTER-HOSPITAL/diagnosis";
    static final String TRANSFER_SESSION = "INTER-HOSPITAL/transfer";
    static final Duration HANDSHAKE_LIFETIME = Duration.ofMinutes(2);
    static final Duration VISIT_LIFETIME = Duration.ofHours(8);
    static final Duration MEMBERSHIP = Duration.ofDays(5 * 365);
    static final Duration PATIENT_MEMBERSHIP = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    HospitalKeyStore vault;

    @Inject
    DatabaseReplayGuard replayGuard;

    @EJB
    PublicCloudService pc;

    @EJB
    DirectoryService directory;

    @EJB
    SessionStore sessions;

    @EJB
    ConsentService consent;

    @EJB
    LedgerNode ledger;

    @EJB
    InterHospitalRecords records;

    @EJB
    HolderAccessEntry holderEntries;

    @EJB
    ConsortiumAuthority authority;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public record Registered(String hospitalId, byte[] rH, long ledgerLogIndex) {
    }

    public record PatientRegistered(RegistrationGrant grant, long ledgerLogIndex) {
    }

    public record Opened(String sessionId, HandshakeChallenge challenge) {
    }

    public record Visit(String sessionId, String hospitalId, String patientId, boolean referral, String status, long openedAt) {
    }

    public record Issued(String diagnosisId, long recordLogIndex, long mappingLogIndex) {
    }

    public record Released(RecordTransfer transfer, long logIndex) {
    }

    // ---- the blockchain center ----

    /** The ledger's existence checks ({@code ptchk}, {@code hachk}, {@code mrchk}), failing closed. */
    LedgerChecks ledgerChecks() {
        return q -> {
            InterHospitalPayloads.Call call = InterHospitalPayloads.of(q);
            try {
                ledger.query(call.contract(), call.function(), call.args());
                return true;
            } catch (LedgerException e) {
                return false;
            } catch (EJBException e) {
                if (e.getCause() instanceof LedgerException) {
                    return false;
                }
                throw e;
            }
        };
    }

    private RegistrationOutcome register(Environment env, RegistrationRequest request) throws DomainException {
        if (!authority.isAuthority()) {
            throw notAuthority();
        }
        MasterSecret s = kgcKeys.masterSecret();
        try {
            // R_X = r_X·P, h_X = H1(ID_X, R_X), S_X = r_X + h_X·s; X's own keys certified  (seed 002, eq. 2–4, 10–12)
            return new BlockchainCenter(env, s, pc.directoryCertifier(s)).register(request);
        } finally {
            s.destroy();
        }
    }

    /** The key id of the KGC generation {@code (R_X, S_X)} was issued under (eq. 5, 13), recorded with the registration. */
    private String issuedKeyId(String partyId, RegistrationGrant grant) throws DomainException {
        List<KgcKeyStore.MasterKey> all = kgcKeys.masterKeys();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (org.medledger.protocol.interhospital.InterHospitalRenewal.issuedUnder(all.get(i).publicKey(), partyId, grant.rX(),
                    grant.sX())) {
                return all.get(i).keyId();
            }
        }
        throw new IllegalStateException("an issued partial key verifies under no KGC master key");
    }

    /** {@code hachk} on this server's ledger, for devices that check a hospital before they trust it. */
    public boolean hospitalOnLedger(String hospitalId) throws DomainException {
        requireId(hospitalId, "INVALID_HOSPITAL_ID");
        return ledgerChecks().holds(new org.medledger.protocol.interhospital.HospitalCheck(hospitalId));
    }

    public boolean isHospitalServed(String hospitalId) {
        return !em.createNativeQuery("SELECT hospital_id FROM ih_hospital WHERE hospital_id = ?1").setParameter(1, hospitalId)
                .getResultList().isEmpty();
    }

    /**
     * Registers hospital {@code hospitalId} served by this server (seed 002, §3.5): the hospital
     * generates its own keys, the center issues {@code (R_H, S_H)} and certifies its keys, the
     * hospital checks {@code S_H·P == R_H + H1(ID_H, R_H)·PK} and keeps everything in the hospital
     * key store; {@code hains} and its ledger membership go on the ledger.
     */
    public Registered registerHospital(String hospitalId, String registeredBy) throws DomainException {
        requireId(hospitalId, "INVALID_HOSPITAL_ID");
        if (isHospitalServed(hospitalId) || directory.exists(SCHEME, InterHospitalRoles.HOSPITAL, hospitalId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED", "hospital " + hospitalId + " is already registered");
        }
        if (!authority.isAuthority()) {
            return registerThroughAuthority(hospitalId, registeredBy);
        }
        Environment env = pc.environment();
        PartyKeys party = PartyKeys.generate(env.curve(), RANDOM);
        Hospital h = new Hospital(env, authority.trust(env), party, hospitalId, ledgerChecks());
        RegistrationOutcome outcome = register(env, h.registrationRequest("hospital " + hospitalId));
        KeyEntry keys = null;
        try {
            // S_H·P ?= R_H + H1(ID_H, R_H)·PK  (seed 002, eq. 13)
            h.acceptRegistration(outcome.grant());
            keys = KeyEntry.generated(KeyEntry.INTER_HOSPITAL, env.curve(), party, h.partialKey(), RANDOM);
            byte[] encoded = keys.encode();
            try {
                vault.putInterHospitalKeys(hospitalId, encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            directory.add(outcome.grant().entry());
            long now = System.currentTimeMillis();
            em.createNativeQuery("INSERT INTO ih_hospital (hospital_id, r_h, registered_by, registered_at, kgc_key_id) VALUES (?1, ?2, ?3, ?4, ?5)")
                    .setParameter(1, hospitalId).setParameter(2, keys.partialR).setParameter(3, registeredBy).setParameter(4, now)
                    .setParameter(5, issuedKeyId(hospitalId, outcome.grant())).executeUpdate();
            em.flush();
            ledger.registerMember(hospitalId, Role.HOSPITAL, keys.ledgerSigner().publicKey(), now, now + MEMBERSHIP.toMillis(),
                    registeredBy);
            InterHospitalPayloads.Call hains = InterHospitalPayloads.of(outcome.insert());
            long index = ledger.submitAsKgc(hains.contract(), hains.function(), hains.args()).logIndex();
            LOG.info(() -> "INTER-HOSPITAL: hospital " + hospitalId + " registered (by " + registeredBy + "), hains at " + index);
            return new Registered(hospitalId, keys.partialR.clone(), index);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            if (keys != null) {
                keys.destroy();
            } else {
                party.destroy();
            }
        }
    }

    /**
     * Registers patient {@code patientId} (the caller) with its own public keys (seed 002, §3.4;
     * erratum 1): the center returns {@code (R_PAT, S_PAT)} over TLS and the certified entry,
     * records {@code ptins} and makes the patient a ledger member with its own ledger key (for its
     * treatment consents).
     */
    public PatientRegistered registerPatient(String patientId, byte[] signingKey, byte[] kemKey, byte[] ledgerKey)
            throws DomainException {
        requireId(patientId, "INVALID_PATIENT_ID");
        if (!authority.isAuthority()) {
            throw notAuthority();
        }
        Environment env = pc.environment();
        VerificationKey sk;
        KemPublicKey kk;
        try {
            sk = VerificationKey.decode(env.curve(), signingKey);
            kk = KemPublicKey.decode(env.curve(), kemKey);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "signingKey and kemKey must be valid "
                    + env.curve().name() + " points (" + e.reason() + ")");
        }
        if (ledgerKey == null || !P256SignatureScheme.INSTANCE.isValidPublicKey(ledgerKey)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "ledgerKey must be a compressed P-256 point");
        }
        if (directory.exists(SCHEME, InterHospitalRoles.PATIENT, patientId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED", "this patient is already registered");
        }
        RegistrationOutcome outcome = register(env, new RegistrationRequest(patientId, InterHospitalRoles.PATIENT,
                "patient", sk, kk));
        directory.add(outcome.grant().entry());
        long now = System.currentTimeMillis();
        em.createNativeQuery("INSERT INTO ih_patient (patient_id, r_pat, registered_at, kgc_key_id) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, patientId).setParameter(2, env.curve().encodePoint(outcome.grant().rX())).setParameter(3, now)
                .setParameter(4, issuedKeyId(patientId, outcome.grant())).executeUpdate();
        em.flush();
        ledger.registerMember(patientId, Role.PATIENT, ledgerKey, now, now + PATIENT_MEMBERSHIP.toMillis(), patientId);
        InterHospitalPayloads.Call ptins = InterHospitalPayloads.of(outcome.insert());
        long index = ledger.submitAsKgc(ptins.contract(), ptins.function(), ptins.args()).logIndex();
        LOG.info(() -> "INTER-HOSPITAL: patient registered, ptins at " + index);
        return new PatientRegistered(outcome.grant(), index);
    }

    public Optional<DirectoryEntry> entry(String role, String partyId) {
        return authority.find(role, partyId);
    }

    private static DomainException notAuthority() {
        return new DomainException(DomainException.Kind.CONFLICT, "REGISTER_AT_AUTHORITY",
                "registrations are made by the consortium's authority: register there (or, for a hospital, at its own node)");
    }

    // ---- the authority, for the other nodes of a consortium ----

    static final String GRANT_LABEL = "MEDLEDGER/INTER-HOSPITAL/registration-grant/v1";

    /** The authority: a party's certified entry for node {@code nodeId} ({@code (role, id)}), empty bytes when there is none. */
    public byte[] directoryForNode(String nodeId, byte[] payload) throws DomainException {
        String role;
        String partyId;
        try {
            org.medledger.protocol.common.LabelledDecoder d = org.medledger.protocol.common.LabelledDecoder.open(payload,
                    ConsortiumAuthority.DIRECTORY);
            role = d.utf8();
            partyId = d.utf8();
            d.finish();
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_REQUEST", "the directory lookup does not decode");
        }
        return directory.find(pc.curve(), SCHEME, role, partyId).map(DirectoryEntry::encode).orElse(new byte[0]);
    }

    /**
     * The authority: registers hospital {@code id} that node {@code nodeId} serves (seed 002, §3.5,
     * as for a hospital served here, eq. 2–4 and 10–12): certifies the hospital's own keys, records
     * its ledger membership (its own ledger key) and {@code hains}, and answers {@code (R_H, S_H)}
     * and the certified entry sealed to the hospital's KEM key (only the hospital opens it); the
     * membership's {@code registeredBy} is {@code requestedBy} ({@code "<user> at node <id>"}).
     */
    public byte[] registerForNode(String nodeId, String requestedBy, byte[] payload) throws DomainException {
        Environment env = pc.environment();
        // the hospital's own proof over its id and every public key, fresh: a forwarding node substitutes none of them
        KeyPossessionProof proof = forwardedProof(env, payload, System.currentTimeMillis());
        String hospitalId = proof.partyId();
        requireId(hospitalId, "INVALID_HOSPITAL_ID");
        if (!hospitalId.equals(nodeId) && !hospitalId.startsWith(nodeId + ".")) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_NODE_HOSPITAL",
                    "a node registers only hospitals named after it (<node> or <node>.<name>)");
        }
        RegistrationRequest request = new RegistrationRequest(hospitalId, InterHospitalRoles.HOSPITAL, proof.detail(), proof.signingKey(),
                proof.kemKey());
        byte[] ledgerKey = proof.ledgerKey();
        if (!P256SignatureScheme.INSTANCE.isValidPublicKey(ledgerKey)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "the ledger key must be a compressed P-256 point");
        }
        if (isHospitalServed(hospitalId) || directory.exists(SCHEME, InterHospitalRoles.HOSPITAL, hospitalId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_REGISTERED", "hospital " + hospitalId + " is already registered");
        }
        RegistrationOutcome outcome = register(env, request);
        directory.add(outcome.grant().entry());
        long now = System.currentTimeMillis();
        ledger.registerMember(hospitalId, Role.HOSPITAL, ledgerKey, now, now + MEMBERSHIP.toMillis(), requestedBy);
        InterHospitalPayloads.Call hains = InterHospitalPayloads.of(outcome.insert());
        long index = ledger.submitAsKgc(hains.contract(), hains.function(), hains.args()).logIndex();
        LOG.info(() -> "INTER-HOSPITAL: hospital " + hospitalId + " of node " + nodeId + " registered by the authority (by " + requestedBy
                + "), hains at " + index);
        RegistrationGrant g = outcome.grant();
        byte[] grant = org.medledger.protocol.common.LabelledEncoder.of(GRANT_LABEL).int64(index).point(env.curve(), g.rX()).secret(g.sX())
                .bytes(g.entry().encode()).toByteArray();
        try {
            return org.medledger.protocol.common.Hpke.seal(request.kemKey(), GRANT_LABEL, hospitalId.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    grant, RANDOM);
        } finally {
            Arrays.fill(grant, (byte) 0);
            g.sX().destroy();
        }
    }

    static final String STALE_PROOF = "STALE_PROOF";

    /**
     * A forwarded hospital registration's payload: the hospital's {@link KeyPossessionProof}, decoded
     * and verified with the signing key it carries ({@code BAD_SIGNATURE} if the node changed any key,
     * the id, the detail or the time) and within {@link KeyPossessionProof#MAX_SKEW} of {@code now}
     * ({@code STALE_PROOF}: a proof kept and sent again later is neither answered nor registered).
     */
    static KeyPossessionProof forwardedProof(Environment env, byte[] payload, long now) throws DomainException {
        KeyPossessionProof proof;
        try {
            proof = KeyPossessionProof.decode(env.curve(), payload);
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new DomainException(DomainException.Kind.INVALID, "MALFORMED_REQUEST", "the registration does not decode");
        }
        try {
            proof.verify(ConsortiumAuthority.REGISTRATION);
        } catch (ProtocolException e) {
            LOG.warning(() -> "authority: a forwarded registration whose keys the hospital did not sign refused");
            throw Refusals.of(e);
        }
        if (!proof.isFresh(now)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, STALE_PROOF,
                    "the hospital's proof over its keys is not within two minutes of now");
        }
        return proof;
    }

    /** The authority: a forwarded registration's identity, the content the hospital signed (not the signature), fresh. */
    public byte[] forwardedContent(byte[] payload) throws DomainException {
        Environment env = pc.environment();
        try {
            return forwardedProof(env, payload, System.currentTimeMillis()).verify(ConsortiumAuthority.REGISTRATION).digest();
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * A node that is not the authority: hospital {@code hospitalId} generates its own keys here, the
     * authority certifies them and records it on the ledger ({@link #registerForNode}); the grant,
     * sealed to the hospital's KEM key, is opened and checked here ({@code S_H·P == R_H + H1(ID_H, R_H)·PK}
     * with the authority's {@code PK}).
     */
    private Registered registerThroughAuthority(String hospitalId, String registeredBy) throws DomainException {
        Environment env = pc.environment();
        // The hospital's keys are kept (sealed in the hospital key store) before the request leaves:
        // a retry after a local failure sends the same content and gets the authority's first answer.
        KeyEntry pending = pendingKeys(env, hospitalId);
        PartyKeys party = pending.party;
        org.medledger.protocol.common.SecretScalar ledgerKey = pending.ledgerKey;
        KeyEntry keys = null;
        byte[] grantBytes = null;
        try {
            Hospital h = new Hospital(env, authority.trust(env), party, hospitalId, ledgerChecks());
            RegistrationRequest r = h.registrationRequest("hospital " + hospitalId);
            byte[] ledgerPublic = KeyEntry.ledgerSigner(ledgerKey).publicKey();
            // The hospital signs its id and public keys; the proof's time is kept with its keys so that
            // a retry is the same content (the authority's first answer), signed anew only once stale.
            long at = pendingProofTime(hospitalId);
            byte[] sealed;
            try {
                sealed = authority.request(ConsortiumAuthority.REGISTRATION, registeredBy,
                        KeyPossessionProof.sign(party, ConsortiumAuthority.REGISTRATION, hospitalId, r.detail(), ledgerPublic, at).encode());
            } catch (DomainException e) {
                if (!STALE_PROOF.equals(e.code())) {
                    throw e;
                }
                long now = System.currentTimeMillis();
                keepProofTime(hospitalId, now);
                sealed = authority.request(ConsortiumAuthority.REGISTRATION, registeredBy,
                        KeyPossessionProof.sign(party, ConsortiumAuthority.REGISTRATION, hospitalId, r.detail(), ledgerPublic, now).encode());
            }
            grantBytes = org.medledger.protocol.common.Hpke.open(party.kem(), GRANT_LABEL,
                    hospitalId.getBytes(java.nio.charset.StandardCharsets.UTF_8), sealed);
            org.medledger.protocol.common.LabelledDecoder d = org.medledger.protocol.common.LabelledDecoder.open(grantBytes, GRANT_LABEL);
            long index = d.int64();
            RegistrationGrant grant = new RegistrationGrant(d.point(env.curve()), d.secretScalar(env.curve()),
                    DirectoryEntry.decode(env.curve(), d.bytes()));
            d.finish();
            // S_H·P ?= R_H + H1(ID_H, R_H)·PK, the entry certified by the authority  (seed 002, eq. 13)
            h.acceptRegistration(grant);
            keys = KeyEntry.generated(KeyEntry.INTER_HOSPITAL, env.curve(), party, h.partialKey(), ledgerKey, RANDOM);
            byte[] encoded = keys.encode();
            try {
                vault.putInterHospitalKeys(hospitalId, encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
            if (!directory.exists(SCHEME, InterHospitalRoles.HOSPITAL, hospitalId)) {
                directory.add(grant.entry());
            }
            em.createNativeQuery("INSERT INTO ih_hospital (hospital_id, r_h, registered_by, registered_at) VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, hospitalId).setParameter(2, keys.partialR).setParameter(3, registeredBy)
                    .setParameter(4, System.currentTimeMillis()).executeUpdate();
            em.flush();
            vault.vault().remove(pendingAlias(hospitalId));
            vault.vault().remove(pendingProofAlias(hospitalId));
            LOG.info(() -> "INTER-HOSPITAL: hospital " + hospitalId + " registered through the authority (by " + registeredBy
                    + "), hains at " + index);
            return new Registered(hospitalId, keys.partialR.clone(), index);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            if (grantBytes != null) {
                Arrays.fill(grantBytes, (byte) 0);
            }
            pending.sessionKey.destroy();
            if (keys != null) {
                keys.destroy();
            } else {
                party.destroy();
                ledgerKey.destroy();
            }
        }
    }

    /** A hospital's keys generated for a registration at the authority that has not completed here yet. */
    static final KeyEntry.Kind PENDING = new KeyEntry.Kind("MEDLEDGER/INTER-HOSPITAL/pending-hospital/keys",
            java.util.EnumSet.of(KeyEntry.Part.LEDGER_KEY, KeyEntry.Part.SESSION_KEY));

    private static String pendingAlias(String hospitalId) {
        return "ih-pending:" + hospitalId.toLowerCase(java.util.Locale.ROOT);
    }

    private static String pendingProofAlias(String hospitalId) {
        return "ih-pending-proof-at:" + hospitalId.toLowerCase(java.util.Locale.ROOT);
    }

    /** The time of the pending registration's proof, kept the first time (now). */
    private long pendingProofTime(String hospitalId) throws DomainException {
        Optional<SecretBytes> kept = vault.vault().secret(pendingProofAlias(hospitalId));
        if (kept.isPresent()) {
            byte[] b = kept.get().reveal();
            try {
                if (b.length == Long.BYTES) {
                    return java.nio.ByteBuffer.wrap(b).getLong();
                }
            } finally {
                kept.get().destroy();
            }
        }
        long now = System.currentTimeMillis();
        keepProofTime(hospitalId, now);
        return now;
    }

    private void keepProofTime(String hospitalId, long at) throws DomainException {
        vault.vault().put(pendingProofAlias(hospitalId), java.nio.ByteBuffer.allocate(Long.BYTES).putLong(at).array());
    }

    /** The keys of {@code hospitalId}'s pending registration, generated and kept the first time. */
    private KeyEntry pendingKeys(Environment env, String hospitalId) throws DomainException {
        Optional<SecretBytes> kept = vault.vault().secret(pendingAlias(hospitalId));
        if (kept.isPresent()) {
            byte[] b = kept.get().reveal();
            try {
                LOG.info(() -> "INTER-HOSPITAL: hospital " + hospitalId + "'s registration at the authority retried with its kept keys");
                return KeyEntry.decode(PENDING, env.curve(), b);
            } catch (ProtocolException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's kept keys do not open");
            } finally {
                Arrays.fill(b, (byte) 0);
                kept.get().destroy();
            }
        }
        KeyEntry fresh = KeyEntry.generated(PENDING, env.curve(), PartyKeys.generate(env.curve(), RANDOM), null, null, null, RANDOM);
        byte[] encoded = fresh.encode();
        try {
            vault.vault().put(pendingAlias(hospitalId), encoded);
        } catch (DomainException | RuntimeException e) {
            fresh.destroy();
            throw e;
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
        return fresh;
    }

    // ---- a hospital served here ----

    /** A hospital served here with its keys loaded for this call. */
    private final class Loaded implements AutoCloseable {
        final KeyEntry keys;
        final Hospital hospital;
        final Environment env;
        final String id;

        Loaded(String hospitalId) throws DomainException {
            requireId(hospitalId, "INVALID_HOSPITAL_ID");
            if (!isHospitalServed(hospitalId)) {
                throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL", "this hospital is not served here");
            }
            SecretBytes raw = vault.interHospitalKeys(hospitalId).orElseThrow(() -> new DomainException(
                    DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys are missing"));
            byte[] b = raw.reveal();
            try {
                id = hospitalId;
                env = pc.environment();
                keys = KeyEntry.decode(KeyEntry.INTER_HOSPITAL, env.curve(), b);
                hospital = new Hospital(env, authority.trust(env), keys.party, hospitalId, ledgerChecks());
                hospital.acceptRegistration(new RegistrationGrant(env.curve().decodePoint(keys.partialR), keys.partialS,
                        entry(InterHospitalRoles.HOSPITAL, hospitalId).orElseThrow(() -> new DomainException(
                                DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's entry is missing"))));
            } catch (ProtocolException e) {
                if (e.reason() == org.medledger.protocol.common.Reason.BAD_PARTIAL_KEY) {
                    // issued under an older KGC key id: fail closed until renewed (docs/protocols/kgc-key-rotation.md)
                    throw new DomainException(DomainException.Kind.CONFLICT, "PARTIAL_KEY_RENEWAL_DUE", "hospital " + hospitalId
                            + "'s partial key was issued under an older KGC key id: its administrator renews it");
                }
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys do not open");
            } finally {
                Arrays.fill(b, (byte) 0);
                raw.destroy();
            }
        }

        SessionSealer sealer(Duration lifetime) {
            // A sealed session opens once: its state id goes to the database replay guard.
            return new SessionSealer(keys.sessionKey, env.clock(), env.random(), lifetime, replayGuard);
        }

        HospitalSession resume(String sessionId, byte[] sealed, Duration lifetime) throws DomainException {
            try {
                return hospital.resume(sealer(lifetime), sessionId, sealed);
            } catch (ProtocolException e) {
                throw Refusals.of(e);
            }
        }

        /** Submits {@code payload}'s contract call signed and endorsed by this hospital's member key. */
        Receipt submit(InterHospitalPayloads.Call call) throws DomainException {
            Signer signer = keys.ledgerSigner();
            TxBody body = new TxBody(id, call.contract(), call.function(), call.args(), System.currentTimeMillis(), RANDOM.nextLong());
            return ledger.submitSigned(body.sign(signer).endorse(id, signer));
        }

        @Override
        public void close() {
            keys.destroy();
        }
    }

    /**
     * Visit step 2 (seed 002, eq. 15–20): the patient's encrypted hello → {@code (ID_H, R_H, T_H, CHK)};
     * the session is sealed and kept until the patient's step 3.
     */
    public Opened openVisit(String hospitalId, HandshakeHello hello, String callerId) throws DomainException {
        try (Loaded h = new Loaded(hospitalId)) {
            HospitalSession s = h.hospital.accept(hello);
            if (!s.peerId().equals(callerId)) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY", "the visit names another patient than the caller");
            }
            String id = SessionStore.newId();
            sessions.put(id, VISIT_SESSION, callerId, s.export(h.sealer(HANDSHAKE_LIFETIME), id), Instant.now().plus(HANDSHAKE_LIFETIME));
            s.sessionKey().destroy();
            return new Opened(id, s.challenge());
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * Visit step 4, first part (seed 002, eq. 28–29): confirms the patient ({@code CHK_AP},
     * {@code ptchk}) and opens the visit for a doctor; a referral carries the patient's release
     * authorization, kept with the visit.
     */
    public Visit confirmVisit(String hospitalId, String sessionId, HandshakeConfirm confirm, String callerId) throws DomainException {
        byte[] sealed = sessions.take(sessionId, VISIT_SESSION, callerId);
        try (Loaded h = new Loaded(hospitalId)) {
            HospitalSession s = h.resume(sessionId, sealed, HANDSHAKE_LIFETIME);
            VisitRequest v;
            try {
                v = s.acceptVisit(confirm);
            } catch (ProtocolException e) {
                throw Refusals.of(e);
            }
            Optional<ReleaseAuthorization> auth = v.authorization();
            if (auth.isPresent() && (!auth.get().recipientId().equals(hospitalId) || !auth.get().patientId().equals(callerId))) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_AUTHORIZED",
                        "the release authorization is not for this hospital and patient");
            }
            long now = System.currentTimeMillis();
            Instant expires = Instant.now().plus(VISIT_LIFETIME);
            sessions.put(sessionId, DIAGNOSIS_SESSION, hospitalId, s.export(h.sealer(VISIT_LIFETIME), sessionId), expires);
            s.sessionKey().destroy();
            em.createNativeQuery("INSERT INTO ih_visit (session_id, hospital_id, patient_id, referral, status, release_authorization, "
                            + "opened_at, expires_at) VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7)")
                    .setParameter(1, sessionId).setParameter(2, hospitalId).setParameter(3, callerId).setParameter(4, auth.isPresent())
                    .setParameter(5, auth.map(ReleaseAuthorization::encode).orElse(null)).setParameter(6, now)
                    .setParameter(7, expires.toEpochMilli()).executeUpdate();
            LOG.info(() -> "INTER-HOSPITAL " + hospitalId + ": visit opened" + (auth.isPresent() ? " with a referral" : ""));
            return new Visit(sessionId, hospitalId, callerId, auth.isPresent(), "open", now);
        }
    }

    /** The visits of {@code hospitalId} waiting for a diagnosis, oldest first. */
    public List<Visit> openVisits(String hospitalId) throws DomainException {
        requireId(hospitalId, "INVALID_HOSPITAL_ID");
        if (!isHospitalServed(hospitalId)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL", "this hospital is not served here");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT session_id, patient_id, referral, status, opened_at FROM ih_visit "
                        + "WHERE hospital_id = ?1 AND status = 'open' AND expires_at > ?2 ORDER BY opened_at")
                .setParameter(1, hospitalId).setParameter(2, System.currentTimeMillis()).setMaxResults(500).getResultList();
        List<Visit> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Visit((String) r[0], hospitalId, (String) r[1], (Boolean) r[2], (String) r[3], ((Number) r[4]).longValue()));
        }
        return out;
    }

    private Object[] visitRow(String hospitalId, String sessionId) throws DomainException {
        if (sessionId == null || !SessionStore.SESSION_ID.matcher(sessionId).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_SESSION_ID", "session id must be 32 hex digits");
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT patient_id, status, delivery, referral, expires_at, release_authorization FROM ih_visit "
                + "WHERE session_id = ?1 AND hospital_id = ?2").setParameter(1, sessionId).setParameter(2, hospitalId).getResultList();
        if (rows.isEmpty() || ((Number) rows.get(0)[4]).longValue() < System.currentTimeMillis()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "VISIT_UNKNOWN", "no open visit with this id at this hospital");
        }
        return rows.get(0);
    }

    /**
     * Visit step 4, second part (seed 002, eq. 30–31), by doctor {@code doctorId}: the FHIR record
     * is sealed at rest, {@code mrins} and {@code ptins} go on the ledger (signed by the hospital;
     * the ledger requires the patient's treatment consent for it) and {@code (c_H, Sig_H)} waits
     * for the patient's device.
     */
    public Issued issueRecord(String hospitalId, String sessionId, String diagnosisId, byte[] fhir, String doctorId)
            throws DomainException {
        requireId(diagnosisId, "INVALID_DIAGNOSIS_ID");
        FhirRecords.requireValid(fhir);
        Object[] visit = visitRow(hospitalId, sessionId);
        if (!"open".equals(visit[1])) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_DIAGNOSED", "this visit already has its record");
        }
        String patientId = (String) visit[0];
        // Checked before the session is used: the ledger's mrins would refuse it anyway.
        if (!consent.permits(patientId, hospitalId, TreatmentConsent.SCOPE, System.currentTimeMillis())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NO_TREATMENT_CONSENT",
                    "the patient's treatment consent for this hospital is not on the ledger");
        }
        if (ledger.state(InterHospitalContract.NS_RECORD, diagnosisId).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_EXISTS", "a record with this id is on the ledger");
        }
        byte[] sealed = sessions.take(sessionId, DIAGNOSIS_SESSION, hospitalId);
        try (Loaded h = new Loaded(hospitalId)) {
            HospitalSession s = h.resume(sessionId, sealed, VISIT_LIFETIME);
            RecordIssue issue;
            try {
                // c_H = E_SEK(EMR, Cert_H), Sig_H = S_SK_H(EMR, Cert_H)  (seed 002, eq. 30–31)
                issue = s.issueRecord(diagnosisId, fhir);
            } catch (ProtocolException e) {
                throw Refusals.of(e);
            } finally {
                s.sessionKey().destroy();
            }
            records.store(hospitalId, hospitalId, patientId, diagnosisId, doctorId, fhir, h.keys.recordWrapKey);
            em.createNativeQuery("UPDATE ih_visit SET status = 'diagnosed', delivery = ?1 WHERE session_id = ?2")
                    .setParameter(1, issue.delivery().encode()).setParameter(2, sessionId).executeUpdate();
            em.flush();
            MedicalRecordInsert mrins = issue.mrins();
            long recordIndex = h.submit(InterHospitalPayloads.of(mrins)).logIndex();
            long mappingIndex = h.submit(InterHospitalPayloads.mapping(issue.ptins(), diagnosisId, hospitalId)).logIndex();
            LOG.info(() -> "INTER-HOSPITAL " + hospitalId + ": record issued by " + doctorId + ", mrins at " + recordIndex);
            return new Issued(diagnosisId, recordIndex, mappingIndex);
        }
    }

    /** Visit step 4's message for the patient's device: {@code (c_H, Sig_H)}, readable only with {@code SEK}. */
    public byte[] delivery(String hospitalId, String sessionId, String callerId) throws DomainException {
        requireId(hospitalId, "INVALID_HOSPITAL_ID");
        Object[] visit = visitRow(hospitalId, sessionId);
        if (!visit[0].equals(callerId)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "VISIT_UNKNOWN", "no open visit with this id at this hospital");
        }
        if (!"diagnosed".equals(visit[1])) {
            throw new DomainException(DomainException.Kind.CONFLICT, "RECORD_NOT_READY", "the visit has no record yet");
        }
        return (byte[]) visit[2];
    }

    /**
     * Hospital B's side of a referral (seed 002, eq. 50–69), by doctor {@code doctorId}: the
     * patient's authorization from the visit, the handshake with the holding hospital over HTTP,
     * the records verified ({@code Sig_HPA2}, {@code mrchk}) and sealed at rest here.
     */
    public List<ReceivedRecord> fetchReferredRecords(String hospitalId, String sessionId, String doctorId) throws DomainException {
        Object[] visit = visitRow(hospitalId, sessionId);
        if (!Boolean.TRUE.equals(visit[3]) || !"open".equals(visit[1])) {
            throw new DomainException(DomainException.Kind.CONFLICT, "NO_REFERRAL", "this visit carries no release authorization");
        }
        try (Loaded h = new Loaded(hospitalId)) {
            ReleaseAuthorization auth = ReleaseAuthorization.decode(h.env.curve(), (byte[]) visit[5]);
            String holder = auth.holderId();
            String base = InterHospitalPeers.baseUrl(holder, isHospitalServed(holder));
            HospitalLink link = h.hospital.connect(holder);
            InterHospitalPeers.Answer opened = InterHospitalPeers.open(base, holder, link.hello().encode());
            HandshakeConfirm confirm = link.requestRecords(HandshakeChallenge.decode(h.env.curve(), opened.message()), auth);
            InterHospitalPeers.Answer released = InterHospitalPeers.release(base, holder, opened.sessionId(), confirm.encode());
            List<ReceivedRecord> got = link.acceptTransfer(RecordTransfer.decode(h.env.curve(), released.message()));
            link.sessionKey().destroy();
            for (ReceivedRecord r : got) {
                records.storeReceived(hospitalId, holder, auth.patientId(), r.diagnosisId(), doctorId, r.emr(), h.keys.recordWrapKey);
            }
            LOG.info(() -> "INTER-HOSPITAL " + hospitalId + ": " + got.size() + " record(s) received from " + holder + " for " + doctorId);
            return got;
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    // ---- the holder's side, for another hospital ----

    /** Eq. 51–56 at the holding hospital: hospital B's encrypted hello → the challenge; the session is sealed here. */
    public Opened openTransfer(String holderId, HandshakeHello hello) throws DomainException {
        try (Loaded h = new Loaded(holderId)) {
            HospitalSession s = h.hospital.accept(hello);
            String id = SessionStore.newId();
            sessions.put(id, TRANSFER_SESSION, holderId, s.export(h.sealer(HANDSHAKE_LIFETIME), id), Instant.now().plus(HANDSHAKE_LIFETIME));
            s.sessionKey().destroy();
            return new Opened(id, s.challenge());
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * Eq. 64–67 at the holding hospital (erratum 3): confirms hospital B, checks the patient's
     * authorization (signature, recipient, holder, expiry, used once) and the ledger mapping, writes
     * the release as one access entry on the ledger, and only then answers {@code (c_HPA2, Sig_HPA2)}.
     * A refusal changes nothing; if the entry cannot be written nothing is released.
     */
    public Released releaseTransfer(String holderId, String sessionId, HandshakeConfirm confirm) throws DomainException {
        byte[] sealed = sessions.take(sessionId, TRANSFER_SESSION, holderId);
        try (Loaded h = new Loaded(holderId)) {
            HospitalSession s = h.resume(sessionId, sealed, HANDSHAKE_LIFETIME);
            RecordRelease release;
            try {
                release = s.acceptTransferRequest(confirm, (patientId, diagnosisId) -> {
                    try {
                        return records.find(holderId, holderId, patientId, diagnosisId, h.keys.recordWrapKey);
                    } catch (DomainException e) {
                        throw new UnreadableRecord(e);
                    }
                });
            } catch (ProtocolException e) {
                throw Refusals.of(e);
            } catch (UnreadableRecord e) {
                throw e.cause;
            } finally {
                s.sessionKey().destroy();
            }
            var log = release.log();
            // The reason names the patient's authorization: the first 128 bits of the SHA-256 of its signed body.
            AccessEntry entry = new AccessEntry(SCHEME, holderId, log.patientId(), log.toHospital(), AccessEntry.Outcome.RELEASED,
                    "AUTHORIZATION " + HexFormat.of().formatHex(log.authorizationDigest()).substring(0, 32), log.transferredAt());
            // Committed on the ledger before the transfer leaves this method; if this throws, nothing is released.
            AccessLedger.Recorded recorded = holderEntries.append(entry, h.keys.ledgerSigner());
            LOG.info(() -> "INTER-HOSPITAL " + holderId + ": " + log.diagnosisIds().size() + " record(s) released to " + log.toHospital()
                    + ", ledger index " + recorded.logIndex());
            return new Released(release.transfer(), recorded.logIndex());
        }
    }

    /** A record that does not open while the protocol reads it (carried out of the protocol's callback). */
    private static final class UnreadableRecord extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient DomainException cause;

        UnreadableRecord(DomainException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    static void requireId(String id, String code) throws DomainException {
        if (id == null || !KgcRegistrationService.PARTY_ID.matcher(id).matches()) {
            throw new DomainException(DomainException.Kind.INVALID, code,
                    "ids are 1-128 characters of letters, digits, '.', '_', '@' or '-'");
        }
    }
}
