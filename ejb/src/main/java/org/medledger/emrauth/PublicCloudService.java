package org.medledger.emrauth;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.custody.KgcKeyStore;
import org.medledger.directory.DirectoryService;
import org.medledger.identity.MedicalAuthorityTrust;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Freshness;
import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.KeyCertifier;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.common.VerificationKey;
import org.medledger.protocol.emrauth.EmrAuthRoles;
import org.medledger.protocol.emrauth.EmrSearchOutcome;
import org.medledger.protocol.emrauth.EmrSearchRequest;
import org.medledger.protocol.emrauth.HospitalCloudRegistration;
import org.medledger.protocol.emrauth.IndexUpdate;
import org.medledger.protocol.emrauth.PublicCloud;
import org.medledger.protocol.emrauth.RegistrationResponse;

/**
 * EMR-AUTH's public cloud PC as served here: the KGC's issuance of hospital partial keys
 * (eq. 5–6), the certification of every party's public keys into the directory, the record
 * index (search step 2, eq. 27–30) and its updates from the hospital clouds (erratum 8). The
 * master secret is loaded from the KGC key store for one call and destroyed after it.
 */
@Stateless
public class PublicCloudService {

    private static final Logger LOG = Logger.getLogger(PublicCloudService.class.getName());

    /** {@code ID_PC}: the identity of this server's public cloud. */
    public static final String PC_ID = "pc";
    /** How long a directory entry certifies a party's keys. */
    static final Duration ENTRY_VALIDITY = Duration.ofDays(365);

    @Inject
    KgcKeyStore kgcKeys;

    @Inject
    MedicalAuthorityTrust medicalAuthority;

    @Inject
    DatabaseReplayGuard replayGuard;

    @Inject
    JpaPublicCloudStore store;

    @EJB
    DirectoryService directory;

    @EJB
    org.medledger.consent.ConsentService consent;

    public CurveProfile curve() {
        return kgcKeys.curve();
    }

    /** The environment of every EMR-AUTH party served here: system clock, 30 s window, the database replay guard. */
    public Environment environment() {
        return environment(replayGuard);
    }

    /** As {@link #environment()} with another guard over the same table (a request's {@link org.medledger.platform.PendingReplays}). */
    public Environment environment(org.medledger.protocol.common.ReplayGuard guard) {
        Clock clock = Clock.systemUTC();
        return Environment.of(curve(), new SecureRandom(), new Freshness(clock, Freshness.DEFAULT_WINDOW, guard));
    }

    /** What a server-side party trusts: PK, the directory certification key, the directory, the medical authority. */
    public TrustContext trust(Environment env) throws DomainException {
        return new TrustContext(kgcKeys.publicKey(), certifierKey(), directory.asPartyDirectory(curve()),
                medicalAuthority.verifier(env.clock()));
    }

    private static volatile VerificationKey certifierKey;

    /** The KGC's directory certification key (public; clients pin it with {@code PK}). */
    public VerificationKey certifierKey() throws DomainException {
        VerificationKey k = certifierKey;
        if (k == null) {
            MasterSecret s = kgcKeys.masterSecret();
            try {
                k = ServerKeys.directoryCertifier(s).verificationKey();
                certifierKey = k;
            } finally {
                s.destroy();
            }
        }
        return k;
    }

    /**
     * A public cloud for registration at the KGC: it keeps each issued {@code S_D} sealed in the
     * JPA store for the search phase (erratum 4), and takes its {@code Cert_D} decision from
     * {@code certificates}.
     */
    public PublicCloud registrationCloud(Environment env, MasterSecret s, CertificateVerifier certificates)
            throws DomainException {
        TrustContext t = new TrustContext(s.publicKey(), certifierKey(), directory.asPartyDirectory(curve()), certificates);
        return new PublicCloud(env, s, t, ServerKeys.publicCloud(s), store, PC_ID);
    }

    /** Registration of a hospital private cloud, step 2 (seed 000, eq. 5–6). */
    public RegistrationResponse registerHospitalCloud(HospitalCloudRegistration request) throws DomainException {
        if (!ledger.isAuthority()) {
            // as for patients and doctors: a consortium node that is not the authority issues no partial
            // key under its own master key (devices check S_HPC against the authority's PK, and its KGC
            // ledger key cannot make the hospital a member), so nothing is generated, stored or certified here
            throw new DomainException(DomainException.Kind.CONFLICT, "REGISTER_AT_AUTHORITY",
                    "EMR-AUTH registrations are made by the consortium's authority: register the hospital cloud there");
        }
        MasterSecret s = kgcKeys.masterSecret();
        try {
            Environment env = environment();
            return new PublicCloud(env, s, (cert, id) -> {
                throw new ProtocolException(org.medledger.protocol.common.Reason.CERT_INVALID, "no certificate expected here");
            }).registerHospitalCloud(request);
        } finally {
            s.destroy();
        }
    }

    /** The directory certifier of every scheme's KGC role (signs entries with the key derived from {@code s}). */
    public KeyCertifier directoryCertifier(MasterSecret s) {
        return new KeyCertifier(ServerKeys.directoryCertifier(s), Clock.systemUTC(), ENTRY_VALIDITY);
    }

    /**
     * Certifies {@code partyId}'s own public keys (profile: the KGC certifies, never sees a
     * private key) with its KGC-issued partial-key point, and stores the entry.
     */
    public DirectoryEntry certify(String role, String partyId, VerificationKey signingKey, KemPublicKey kemKey,
                                  Optional<ECPoint> partialKeyPoint) throws DomainException {
        MasterSecret s = kgcKeys.masterSecret();
        try {
            KeyCertifier certifier = directoryCertifier(s);
            DirectoryEntry entry = certifier.certify(EmrAuthRoles.SCHEME, role, partyId, signingKey, kemKey, partialKeyPoint);
            directory.add(entry);
            LOG.info(() -> "Directory: certified the keys of " + role + " " + partyId);
            return entry;
        } finally {
            s.destroy();
        }
    }

    /**
     * After a KGC partial key renewal: the party's directory entry, if it has one, is certified
     * again with its own keys unchanged and the new partial-key point.
     */
    public void recertifyPartialKey(String role, String partyId, byte[] encodedR) throws DomainException {
        Optional<DirectoryEntry> e = directory.find(curve(), EmrAuthRoles.SCHEME, role, partyId);
        if (e.isEmpty()) {
            return;
        }
        ECPoint r;
        try {
            r = curve().decodePoint(encodedR);
        } catch (ProtocolException x) {
            throw new IllegalStateException("issued point does not decode");
        }
        MasterSecret s = kgcKeys.masterSecret();
        try {
            directory.replace(directoryCertifier(s).certify(EmrAuthRoles.SCHEME, role, partyId, e.get().signingKey(),
                    e.get().kemKey(), Optional.of(r)));
        } finally {
            s.destroy();
        }
    }

    /**
     * The public cloud's keys derived from the current master secret, with the {@code PK} they
     * were derived under: derived once per master key generation instead of at every search (two
     * hash-to-scalar runs and two base-point multiplications). Kept in memory as the master
     * secret itself is ({@link KgcKeyStore}).
     */
    private record DerivedKeys(org.medledger.protocol.common.MasterPublicKey pk, PartyKeys keys) {
    }

    private static volatile DerivedKeys publicCloudKeys;

    /** Whether the public cloud's directory entry is known to exist (entries are replaced, never removed). */
    private static volatile boolean publicCloudEntryStored;

    /** The public cloud's own keys under master secret {@code s}. */
    static PartyKeys publicCloudKeys(MasterSecret s) {
        DerivedKeys k = publicCloudKeys;
        if (k == null || !k.pk().equals(s.publicKey())) {
            k = new DerivedKeys(s.publicKey(), ServerKeys.publicCloud(s));
            publicCloudKeys = k;
        }
        return k.keys();
    }

    /** The public cloud's own entry, certified the first time it is asked for. */
    public DirectoryEntry publicCloudEntry() throws DomainException {
        Optional<DirectoryEntry> e = directory.find(curve(), EmrAuthRoles.SCHEME, EmrAuthRoles.PUBLIC_CLOUD, PC_ID);
        if (e.isPresent()) {
            publicCloudEntryStored = true;
            return e.get();
        }
        MasterSecret s = kgcKeys.masterSecret();
        try {
            PartyKeys pc = ServerKeys.publicCloud(s);
            return certify(EmrAuthRoles.PUBLIC_CLOUD, PC_ID, pc.signingPublic(), pc.kemPublic(), Optional.empty());
        } finally {
            s.destroy();
        }
    }

    /**
     * A registered patient or doctor has its own public keys certified (profile: generated by the
     * party, certified by the KGC with its partial-key point {@code R_P1} / {@code R_D1} from its
     * registration). A patient also becomes a ledger member with its own ledger key, so that it
     * signs its consent transactions itself (doctors became members at registration); the ledger
     * transaction names {@code registeredBy}, the authenticated caller who asked for it.
     */
    public DirectoryEntry certifyParty(String role, String partyId, byte[] signingKey, byte[] kemKey, byte[] ledgerKey,
                                       String registeredBy) throws DomainException {
        String column = switch (role) {
            case EmrAuthRoles.PATIENT -> "SELECT r_p1 FROM kgc_patient_registration WHERE patient_id = ?1";
            case EmrAuthRoles.DOCTOR -> "SELECT r_d1 FROM kgc_doctor_registration WHERE doctor_id = ?1";
            default -> throw new DomainException(DomainException.Kind.INVALID, "INVALID_ROLE",
                    "only patients and doctors certify their keys here");
        };
        VerificationKey sk;
        KemPublicKey kk;
        try {
            sk = VerificationKey.decode(curve(), signingKey);
            kk = KemPublicKey.decode(curve(), kemKey);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY", "signingKey and kemKey must be valid "
                    + curve().name() + " points (" + e.reason() + ")");
        }
        if (role.equals(EmrAuthRoles.PATIENT)
                && (ledgerKey == null || !org.medledger.ledger.crypto.P256SignatureScheme.INSTANCE.isValidPublicKey(ledgerKey))) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY",
                    "a patient's ledgerKey must be a compressed P-256 point");
        }
        if (role.equals(EmrAuthRoles.DOCTOR) && ledgerKey != null) {
            throw new DomainException(DomainException.Kind.INVALID, "UNEXPECTED_FIELD",
                    "a doctor's ledger key is its certificate's key, set at registration");
        }
        @SuppressWarnings("unchecked")
        java.util.List<String> r = directoryQuery(column, partyId);
        if (r.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_REGISTERED", role + " " + partyId
                    + " is not registered with the KGC");
        }
        ECPoint point;
        try {
            point = curve().decodePoint(java.util.Base64.getDecoder().decode(r.get(0)));
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored registration point does not decode");
        }
        DirectoryEntry entry = certify(role, partyId, sk, kk, Optional.of(point));
        if (role.equals(EmrAuthRoles.PATIENT)) {
            long now = System.currentTimeMillis();
            ledger.registerMember(partyId, org.medledger.ledger.member.Role.PATIENT, ledgerKey, now,
                    now + ENTRY_VALIDITY.toMillis(), registeredBy);
        }
        return entry;
    }

    @jakarta.persistence.PersistenceContext(unitName = "medledger")
    jakarta.persistence.EntityManager em;

    @EJB
    org.medledger.consensus.LedgerNode ledger;

    @SuppressWarnings("rawtypes")
    private java.util.List directoryQuery(String sql, String partyId) {
        return em.createNativeQuery(sql).setParameter(1, partyId).getResultList();
    }

    public Optional<DirectoryEntry> entry(String role, String partyId) {
        return directory.find(curve(), EmrAuthRoles.SCHEME, role, partyId);
    }

    /**
     * EMR search step 2 (seed 000, eq. 27–30) for the authenticated doctor {@code callerId}:
     * the doctor named inside {@code C_D2} must be the caller. Outside a transaction: it reads,
     * and its one write, the replay row, is committed on its own (as in {@link HospitalCloudService#release}).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public EmrSearchOutcome search(EmrSearchRequest request, String callerId) throws DomainException {
        if (!publicCloudEntryStored) {
            publicCloudEntry();
        }
        MasterSecret s = kgcKeys.masterSecret();
        try {
            Environment env = environment();
            PublicCloud pc = new PublicCloud(env, s, trust(env), publicCloudKeys(s), store, PC_ID);
            EmrSearchOutcome outcome = pc.handleEmrSearch(request);
            if (!outcome.lookup().idD().equals(callerId)) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                        "the search request names another doctor than the caller");
            }
            LOG.fine(() -> "PC: index lookup by " + callerId + " answered");
            return outcome;
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            s.destroy();
        }
    }

    /** Applies a hospital-signed index update (erratum 8) in the caller's transaction. */
    public void applyIndexUpdate(IndexUpdate update) throws DomainException {
        publicCloudEntry();
        MasterSecret s = kgcKeys.masterSecret();
        try {
            Environment env = environment();
            // The index moves only with the patient's consent for the doctor and department (as the write it follows).
            new PublicCloud(env, s, trust(env), ServerKeys.publicCloud(s), store, PC_ID).applyIndexUpdate(update,
                    (p, d, de) -> consent.permits(p, d, de, env.clock().millis()));
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            s.destroy();
        }
    }
}
