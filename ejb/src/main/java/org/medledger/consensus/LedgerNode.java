package org.medledger.consensus;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.consortium.Consortium;
import org.medledger.consortium.ConsortiumException;
import org.medledger.consortium.HospitalNode;
import org.medledger.consortium.MembershipContract;
import org.medledger.consortium.NodeSettings;
import org.medledger.consortium.WitnessedTreeHead;
import org.medledger.custody.KgcKeyStore;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.block.BlockHeader;
import org.medledger.ledger.merkle.ConsistencyProof;
import org.medledger.ledger.merkle.InclusionProof;
import org.medledger.ledger.store.StoredTransaction;
import org.medledger.ledger.verify.ChainSource;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.ContractRegistry;
import org.medledger.ledger.contract.seeds.MemberContract;
import org.medledger.ledger.contract.seeds.SeedContracts;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.log.SignedTreeHead;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.member.TrustAnchors;
import org.medledger.ledger.node.Ledger;
import org.medledger.ledger.node.LedgerConfig;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.state.VersionedValue;
import org.medledger.ledger.store.jpa.JpaLedgerStore;
import org.medledger.ledger.contract.seeds.KeyRotationContract;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DomainException;

/**
 * This server's ledger node: the single block producer over the application's database, and the
 * KGC as submitter and endorser of registrations and revocations. The producer key lives in the
 * node for its lifetime (it signs every block); the KGC's ledger key is loaded per submission.
 *
 * <p>Reads (tree heads, proofs, state) are open to every caller: the ledger is verifiable by
 * anyone. Writes declare the roles whose services lead to them, so a front end that skips the
 * services' own checks still cannot append anonymously or as a role that never writes.
 */
@Singleton
@PermitAll
@Startup
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LedgerNode {

    private static final Logger LOG = Logger.getLogger(LedgerNode.class.getName());

    public static final String KGC_ID = "kgc";
    /** This deployment's block producer id; default {@code producer-} and 16 bytes (hex) of the producer key's id. */
    public static final String PRODUCER_ID_PROPERTY = "medledger.ledger.producer-id";
    /** This deployment's log id, named in every signed tree head; default {@link LedgerConfig#defaultLogId}. */
    public static final String LOG_ID_PROPERTY = "medledger.ledger.log-id";
    /** Where the node keeps its latest signed tree head; default {@code ${jboss.server.data.dir}/medledger/ledger.sth}. */
    public static final String CHECKPOINT_PROPERTY = "medledger.ledger.checkpoint";
    /**
     * How long the producer waits for more transactions after the first before it cuts a block
     * (milliseconds, 0 to 1000; default 0): 0 cuts what waits as soon as the producer is free, so
     * one submitter waits for no one, and whatever queued while a block was being stored shares
     * the next block (one commit for many concurrent access entries).
     */
    public static final String BLOCK_DELAY_PROPERTY = "medledger.ledger.block-delay-ms";

    @Inject
    KgcKeyStore keys;

    @EJB
    LedgerTransactions transactions;

    /**
     * The container's default managed thread factory: the block producer runs on one of its threads;
     * in consortium mode so do the node's cutter, witness loop and signature checks (Ratis makes its own).
     */
    @Resource
    ManagedThreadFactory threads;

    private final SecureRandom random = new SecureRandom();
    private final java.util.concurrent.atomic.LongAdder appends = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder appendNanos = new java.util.concurrent.atomic.LongAdder();
    private TrustAnchors anchors;
    private ContractRegistry contracts;
    private JpaLedgerStore store;
    private String producerId;
    private Ledger ledger;
    /** Consortium mode only (else null): this hospital's replica of the shared ledger. */
    private HospitalNode node;
    private Consortium consortium;
    /** Consortium mode only: this hospital's block-producer key, which also signs its requests to the authority. */
    private Signer nodeKey;
    /** Whether this server's KGC is the consortium's authority (always in single-node mode). */
    private boolean authority = true;

    @PostConstruct
    void open() {
        try {
            Signer kgc = kgcSigner();
            X509Certificate producerCert = keys.certificate(KgcKeyStore.PRODUCER_ALIAS);
            Signer producer = P256SignatureScheme.fromPrivateKey(keys.privateKey(KgcKeyStore.PRODUCER_ALIAS));
            Optional<ConsortiumSettings> consortiumSettings = ConsortiumSettings.fromSystemProperties();
            if (consortiumSettings.isPresent()) {
                openConsortiumNode(kgc, producer, new org.medledger.consortium.NodeTls(keys.privateKey(KgcKeyStore.PRODUCER_ALIAS),
                        producerCert), consortiumSettings.get());
                return;
            }
            // The producer's member certificate is a pure function of its key and the key's own
            // validity, so every start yields the same trust anchors (RFC 6979 signatures).
            producerId = System.getProperty(PRODUCER_ID_PROPERTY,
                    "producer-" + SignedTreeHead.keyId(producer.publicKey()).hex().substring(0, 32));
            MemberCertificate producerMember = MemberCertificate.issue(kgc, producerId, Role.BLOCK_PRODUCER,
                    producer.publicKey(), producerCert.getNotBefore().getTime(), producerCert.getNotAfter().getTime());
            anchors = new TrustAnchors(KGC_ID, Bytes.of(kgc.publicKey()), List.of(producerMember))
                    .validated(P256SignatureScheme.INSTANCE);
            contracts = SeedContracts.registry(anchors, P256SignatureScheme.INSTANCE);
            store = new JpaLedgerStore(transactions);
            LedgerConfig config = LedgerConfig.defaults(anchors, contracts, P256SignatureScheme.INSTANCE, producerId, producer,
                    Clock.systemUTC());
            config = config.withLogId(System.getProperty(LOG_ID_PROPERTY, config.logId())).withCheckpointFile(checkpointFile())
                    .withBlockCutting(config.maxBlockTransactions(),
                            java.time.Duration.ofMillis(Math.max(0, Math.min(1000, Long.getLong(BLOCK_DELAY_PROPERTY, 0)))));
            // Opening verifies the stored chain (and that it extends the checkpoint file): a tampered
            // ledger stops the deployment instead of being served.
            ledger = Ledger.open(store, config, threads);
            String log = config.logId();
            LOG.info(() -> "Ledger node " + producerId + " of log " + log + " open at size " + ledger.size());
        } catch (DomainException e) {
            throw new IllegalStateException("ledger keys unavailable: " + e.getMessage());
        }
    }

    /**
     * Consortium mode: this server is hospital {@code settings.nodeId()} of the configured
     * consortium; its block-producer key must be the one certified for it among the anchors. The
     * nodes talk mutual TLS with the producer key and its certificate (the key store's), and accept
     * only peers whose certificate is over a hospital's certified producer key.
     * The ledger is replicated ({@link HospitalNode}); the membership is recorded on the ledger
     * at first start by the node that holds the KGC's ledger key.
     */
    private void openConsortiumNode(Signer kgc, Signer producer, org.medledger.consortium.NodeTls tls, ConsortiumSettings settings) {
        Consortium shape = Consortium.decode(settings.membership(), ContractRegistry.of(), P256SignatureScheme.INSTANCE);
        anchors = shape.anchors().validated(P256SignatureScheme.INSTANCE);
        contracts = MembershipContract.with(SeedContracts.registry(anchors, P256SignatureScheme.INSTANCE), anchors,
                P256SignatureScheme.INSTANCE);
        consortium = new Consortium(anchors, shape.hospitals(), shape.quorum(), contracts, P256SignatureScheme.INSTANCE);
        producerId = settings.nodeId();
        nodeKey = producer;
        authority = Arrays.equals(kgc.publicKey(), anchors.kgcPublicKey().toArray());
        store = new JpaLedgerStore(transactions);
        try {
            node = HospitalNode.start(consortium, producerId, producer, store,
                    NodeSettings.defaults(settings.raftDirectory(), settings.peers()).withTls(tls), Clock.systemUTC(), threads,
                    this::indexAccesses);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the consortium node did not start: " + e.getMessage());
        }
        LOG.info(() -> "Consortium node " + producerId + " of " + consortium.hospitals() + " (quorum " + consortium.quorum()
                + ") open at size " + node.replica().size());
        if (Arrays.equals(kgc.publicKey(), anchors.kgcPublicKey().toArray())) {
            Thread t = threads.newThread(() -> recordMembership(kgc));
            t.start();
        }
    }

    /**
     * Consortium mode: every access entry ({@code access.record}) of a block this node stores goes
     * into the patient index ({@code access_entry}) here, whichever node wrote it, so a patient's
     * audit lists it on every node. An entry already indexed is left as it is.
     */
    private void indexAccesses(org.medledger.ledger.block.Block block, long firstLogIndex) {
        List<org.medledger.ledger.tx.Transaction> txs = block.transactions();
        for (int i = 0; i < txs.size(); i++) {
            org.medledger.ledger.tx.TxBody b = txs.get(i).body();
            if (!b.contract().equals(org.medledger.ledger.contract.seeds.AccessContract.NAME) || !b.function().equals("record")) {
                continue;
            }
            long index = firstLogIndex + i;
            Arguments a = b.args();
            transactions.inTransaction(em -> {
                if (em.createNativeQuery("SELECT log_index FROM access_entry WHERE log_index = ?1").setParameter(1, index)
                        .getResultList().isEmpty()) {
                    em.createNativeQuery("INSERT INTO access_entry (log_index, scheme, holder_id, patient_id, accessor_id, outcome, "
                                    + "reason, accessed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                            .setParameter(1, index).setParameter(2, a.string("scheme")).setParameter(3, a.string("holderId"))
                            .setParameter(4, a.string("patientId")).setParameter(5, a.string("accessorId"))
                            .setParameter(6, a.string("outcome")).setParameter(7, a.string("reason")).setParameter(8, a.number("at"))
                            .executeUpdate();
                }
                return null;
            });
        }
    }

    /** At first start, the KGC's node records the membership on the ledger ({@code consortium.record}). */
    private void recordMembership(Signer kgc) {
        for (int attempt = 0; attempt < 30 && node != null; attempt++) {
            if (node.replica().state(MembershipContract.NAMESPACE, MembershipContract.KEY).isPresent()) {
                return;
            }
            try {
                Receipt r = node.submitAndWait(consortium.membershipTransaction(kgc, System.currentTimeMillis(), random.nextLong()));
                LOG.info(() -> "Consortium membership recorded on the ledger at index " + r.logIndex());
                return;
            } catch (RuntimeException e) {
                LOG.info(() -> "Consortium membership not recorded yet (" + e.getMessage() + "); retrying");
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Whether this server is a node of a consortium (otherwise the single-node ledger). */
    public boolean inConsortium() {
        return node != null;
    }

    /** Consortium mode: the latest tree head with a quorum of hospital co-signatures. */
    public Optional<WitnessedTreeHead> witnessedHead() {
        return node == null ? Optional.empty() : node.witnessedHead();
    }

    /**
     * Whether this server's KGC is the one every node trusts: in consortium mode the node whose KGC
     * ledger key is the membership's KGC key (the authority), in single-node mode always.
     */
    public boolean isAuthority() {
        return authority;
    }

    /** Consortium mode: this hospital's id in the membership (empty in single-node mode). */
    public Optional<String> nodeId() {
        return node == null ? Optional.empty() : Optional.of(producerId);
    }

    /** The leader as this node sees it (consortium mode). */
    public Optional<String> leader() {
        return node == null ? Optional.empty() : node.leader();
    }

    /** Consortium mode: the co-signatures this node holds for tree size {@code size} (its own included). */
    public List<org.medledger.consortium.Cosignature> cosignatures(long size) {
        return node == null ? List.of() : node.witnesses().cosignatures(size);
    }

    /** Hospitals this node has refused as witnesses (split view, equivocation, failed audit). */
    public java.util.Set<String> refusedWitnesses() {
        return node == null ? java.util.Set.of() : node.witnesses().refused();
    }

    /**
     * Consortium mode: this hospital's signature over {@link NodeSignatures#message} of
     * {@code purpose} and {@code body} with its block-producer key (the key the membership
     * certifies for it), for requests to other nodes. Domain-separated from blocks and heads.
     */
    public byte[] signAsNode(String purpose, byte[] body) throws DomainException {
        if (nodeKey == null) {
            throw new DomainException(DomainException.Kind.CONFLICT, "NOT_IN_CONSORTIUM", "this server is not a consortium node");
        }
        return nodeKey.sign(NodeSignatures.message(purpose, body));
    }

    /** The authority only: the KGC ledger key's signature over {@link NodeSignatures#message} (published parameters). */
    public byte[] signAsAuthority(String purpose, byte[] body) throws DomainException {
        if (!authority) {
            throw new DomainException(DomainException.Kind.CONFLICT, "NOT_AUTHORITY", "this node is not the consortium's authority");
        }
        return kgcSigner().sign(NodeSignatures.message(purpose, body));
    }

    /** Consortium mode: the consortium (hospitals, quorum, anchors). */
    public Optional<Consortium> consortium() {
        return Optional.ofNullable(consortium);
    }

    private static Path checkpointFile() {
        String configured = System.getProperty(CHECKPOINT_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        String data = System.getProperty("jboss.server.data.dir");
        return data == null ? null : Path.of(data, "medledger", "ledger.sth");
    }

    /**
     * On undeploy and server shutdown: stops accepting submissions and cuts every pending append
     * into a block before the producer thread ends, so no acknowledged-to-be request is dropped.
     */
    @PreDestroy
    void close() {
        if (node != null) {
            node.close();
            LOG.info(() -> "Consortium node " + producerId + " closed");
        }
        if (ledger != null) {
            long size = ledger.size();
            ledger.close();
            LOG.info(() -> "Ledger node closed at size " + ledger.size() + " (" + (ledger.size() - size)
                    + " pending entries appended while closing)");
        }
    }

    private Signer kgcSigner() throws DomainException {
        return P256SignatureScheme.fromPrivateKey(keys.privateKey(KgcKeyStore.KGC_LEDGER_ALIAS));
    }

    /**
     * Submits {@code contract.function(args)} as the KGC, endorsed by the KGC, and waits until it
     * is in a committed block.
     */
    private Receipt submit(Signer kgc, String contract, String function, Arguments args) throws DomainException {
        TxBody body = new TxBody(KGC_ID, contract, function, args, System.currentTimeMillis(), random.nextLong());
        return submitSigned(body.sign(kgc).endorse(KGC_ID, kgc));
    }

    /**
     * Submits a transaction its submitter signed itself (a patient's consent, a holder's access
     * entry) and waits until it is in a committed block; the ledger checks the signature against
     * the submitter's member certificate.
     */
    @RolesAllowed({"doctor", "patient", "family", "hospital-admin", "kgc-operator", "insurer", "researcher", "network-admin", "medical-center"})
    public Receipt submitSigned(org.medledger.ledger.tx.Transaction tx) throws DomainException {
        long start = System.nanoTime();
        try {
            Receipt r = node != null ? node.submitAndWait(tx) : ledger.submitAndWait(tx);
            appends.increment();
            appendNanos.add(System.nanoTime() - start);
            return r;
        } catch (LedgerException e) {
            throw reject(e);
        } catch (ConsortiumException e) {
            LOG.info(() -> "consortium refused: " + e.getMessage());
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "LEDGER_" + e.reason().name(),
                    "the consortium did not commit the transaction (" + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        }
    }

    /** Appends acknowledged by this node since it opened (for the append-latency metric). */
    public long appendCount() {
        return appends.sum();
    }

    /** Total time, in nanoseconds, the acknowledged appends took from submission to committed block. */
    public long appendNanos() {
        return appendNanos.sum();
    }

    /**
     * Submits {@code contract.function(args)} as the KGC, endorsed by itself (the NA of CLOUD-CHAIN,
     * the blockchain center of INTER-HOSPITAL): for a hospital's administrator registering its
     * hospital ({@code hains}) and a patient registering itself ({@code ptins}, CLOUD-CHAIN's
     * {@code patient}).
     */
    @RolesAllowed({"hospital-admin", "patient"})
    public Receipt submitAsKgc(String contract, String function, Arguments args) throws DomainException {
        return submit(kgcSigner(), contract, function, args);
    }

    /**
     * The KGC operator's only ledger write: a rotation of the KGC master key pair,
     * {@code keys.rotate(purpose = kgc-master, holderId = kgc, ...)}, signed and endorsed by the KGC.
     */
    @RolesAllowed("kgc-operator")
    public Receipt submitKgcMasterRotation(String oldKeyId, String newKeyId, byte[] publicKey, String rotatedBy)
            throws DomainException {
        return submit(kgcSigner(), KeyRotationContract.NAME, "rotate", Arguments.builder()
                .put("purpose", KeyRotationContract.KGC_MASTER).put("holderId", "kgc")
                .put("oldKeyId", oldKeyId).put("newKeyId", newKeyId).put("publicKey", Bytes.of(publicKey))
                .put("rotatedBy", rotatedBy).put("at", System.currentTimeMillis()).build());
    }

    /**
     * A party's renewal of its KGC partial key under the current master key generation,
     * {@code keys.rotate(purpose = kgc-partial-key, holderId = <scheme>/<role>/<id>, ...)}, signed and
     * endorsed by the KGC after the renewal bean checked the party's proof of possession.
     */
    @RolesAllowed({"patient", "doctor", "hospital-admin"})
    public Receipt submitPartialKeyRenewal(String holderId, String oldKeyId, String newKeyId, byte[] publicPoint,
                                           String renewedBy) throws DomainException {
        return submit(kgcSigner(), KeyRotationContract.NAME, "rotate", Arguments.builder()
                .put("purpose", KeyRotationContract.KGC_PARTIAL_KEY).put("holderId", holderId)
                .put("oldKeyId", oldKeyId).put("newKeyId", newKeyId).put("publicKey", Bytes.of(publicPoint))
                .put("rotatedBy", renewedBy).put("at", System.currentTimeMillis()).build());
    }

    /**
     * Submits a transaction its submitter signed, with the KGC's endorsement added (contracts whose
     * policy needs the KGC, e.g. CLOUD-CHAIN's {@code sc}, uploaded by the patient); the caller has
     * checked what the KGC vouches for.
     */
    @RolesAllowed("patient")
    public Receipt submitEndorsedByKgc(org.medledger.ledger.tx.Transaction tx) throws DomainException {
        return submitSigned(tx.endorse(KGC_ID, kgcSigner()));
    }

    /**
     * A ledger refusal as the domain's typed error (reason code {@code LEDGER_<reason>}): a refusal
     * of what was submitted (its form, signature, submitter, endorsement, timestamp or the
     * contract's own rules) is the caller's (4xx); only a ledger that cannot commit is unavailable.
     */
    static DomainException reject(LedgerException e) {
        {
            DomainException.Kind kind = switch (e.reason()) {
                case MALFORMED, UNKNOWN_CONTRACT, STALE_TIMESTAMP -> DomainException.Kind.INVALID;
                case BAD_SIGNATURE, MEMBER_NOT_ACTIVE, WRONG_ROLE, MISSING_ENDORSEMENT, NOT_AUTHORIZED -> DomainException.Kind.FORBIDDEN;
                case ALREADY_EXISTS, DUPLICATE_TRANSACTION -> DomainException.Kind.CONFLICT;
                case NOT_FOUND, UNKNOWN_MEMBER -> DomainException.Kind.NOT_FOUND;
                case FORK, STORE_FAILURE, OUTCOME_UNKNOWN, CORRUPT, CLOSED -> DomainException.Kind.UNAVAILABLE;
            };
            // the ledger's own text (contract, member and key names) stays in the server log
            LOG.info(() -> "ledger refused: " + e.getMessage());
            return new DomainException(kind, "LEDGER_" + e.reason().name(), "the ledger refused the transaction ("
                    + e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        }
    }

    /**
     * Registers {@code memberId} as a ledger member: the KGC certifies its signing key (SEC1
     * compressed P-256) for the given validity and submits {@code member.register}, endorsed by
     * itself, naming the authenticated caller who asked for the registration ({@code registeredBy})
     * in the KGC-signed transaction, so every registration stays attributable on the ledger.
     */
    @RolesAllowed({"kgc-operator", "hospital-admin", "doctor", "patient", "family", "network-admin", "medical-center"})
    public LedgerRecord registerMember(String memberId, Role role, byte[] publicKey, long notBefore, long notAfter,
                                       String registeredBy) throws DomainException {
        // The caller's own records commit after this ledger commit, in its transaction: if that one
        // rolled back before, the member is on the ledger already. The same key and role, not revoked,
        // is that registration: adopt it so the retry completes (a different one stays a conflict).
        Optional<LedgerRecord> earlier = sameRegistration(memberId, role, publicKey);
        if (earlier.isPresent()) {
            LOG.warning(() -> "ledger member " + memberId + " was registered by an earlier attempt; adopting it");
            return earlier.get();
        }
        Signer kgc = kgcSigner();
        MemberCertificate cert = MemberCertificate.issue(kgc, memberId, role, publicKey, notBefore, notAfter);
        return LedgerRecord.of(submit(kgc, MemberContract.NAME, "register", Arguments.builder()
                .put("certificate", cert.encode()).put("registeredBy", requireRegistrar(registeredBy)).build()));
    }

    private Optional<LedgerRecord> sameRegistration(String memberId, Role role, byte[] publicKey) {
        Optional<VersionedValue> member = state(MemberDirectory.NS_MEMBER, memberId);
        if (member.isEmpty() || isRevoked(memberId)) {
            return Optional.empty();
        }
        MemberCertificate cert = MemberCertificate.decode(member.get().value());
        if (cert.role() != role || !Arrays.equals(cert.publicKey().toArray(), publicKey)) {
            return Optional.empty();
        }
        long index = member.get().version() - 1;
        SignedTreeHead head = latestTreeHead().orElseThrow();
        String txId = transaction(index).flatMap(t -> t.tx()).map(t -> t.id().hex()).orElse("");
        return Optional.of(new LedgerRecord(index, txId, head.treeSize(), head.rootHash().hex(), head.timestamp()));
    }

    /** Marks {@code memberId} revoked on the ledger ({@code member.revoke}, KGC-endorsed). */
    @RolesAllowed({"kgc-operator", "hospital-admin", "network-admin"})
    public Receipt revokeMember(String memberId) throws DomainException {
        return submit(kgcSigner(), MemberContract.NAME, "revoke", Arguments.builder().put("memberId", memberId).build());
    }

    /**
     * Registers {@code memberId} again, under a new key, after its revocation
     * ({@code member.reregister}, KGC-endorsed): the recovery of a member whose registered key was
     * lost or was never its own. The ledger refuses it for a member that is not revoked, in
     * another role, or under the revoked key; the caller who asked is named in the transaction.
     */
    @RolesAllowed("kgc-operator")
    public LedgerRecord reregisterMember(String memberId, Role role, byte[] publicKey, long notBefore, long notAfter,
                                         String registeredBy) throws DomainException {
        Signer kgc = kgcSigner();
        MemberCertificate cert = MemberCertificate.issue(kgc, memberId, role, publicKey, notBefore, notAfter);
        return LedgerRecord.of(submit(kgc, MemberContract.NAME, "reregister", Arguments.builder()
                .put("certificate", cert.encode()).put("registeredBy", requireRegistrar(registeredBy)).build()));
    }

    /** Who asked for a registration: an authenticated id, never absent and never "anonymous". */
    private static String requireRegistrar(String registeredBy) {
        if (registeredBy == null || registeredBy.isBlank() || registeredBy.equals("anonymous")) {
            throw new IllegalArgumentException("a ledger registration names the authenticated caller who asked for it");
        }
        return registeredBy;
    }

    /** Whether the ledger records {@code memberId} as revoked now (not re-registered since). */
    public boolean isRevoked(String memberId) {
        return MemberDirectory.isRevoked(state(MemberDirectory.NS_REVOKED, memberId).map(VersionedValue::value));
    }

    public Optional<SignedTreeHead> latestTreeHead() {
        return node != null ? node.replica().latestTreeHead() : ledger.latestTreeHead();
    }

    public Optional<VersionedValue> state(String namespace, String key) {
        return node != null ? node.replica().state(namespace, key) : ledger.state(namespace, key);
    }

    /** Runs a read-only contract check; a refusal is thrown as the ledger's exception. */
    public void query(String contract, String function, Arguments args) {
        if (node != null) {
            node.replica().query(contract, function, args);
        } else {
            ledger.query(contract, function, args);
        }
    }

    public TrustAnchors anchors() {
        return anchors;
    }

    /** The stored chain, as the verifier reads it (blocks and tree heads). */
    public ChainSource chain() {
        return ChainSource.of(store);
    }

    /** The contracts the verifier replays the chain with (the node's own). */
    /** This deployment's block producer id (configured, or derived from the producer key). */
    public String producerId() {
        return producerId;
    }

    public ContractRegistry contracts() {
        return contracts;
    }

    /** Up to {@code limit} stored tree heads with size at least {@code fromSize}, in size order. */
    public List<SignedTreeHead> treeHeads(long fromSize, int limit) {
        return store.treeHeads(fromSize, limit);
    }

    public Optional<BlockHeader> head() {
        return node != null ? node.replica().head() : ledger.head();
    }

    /** Whether the node accepts submissions (false once closed or stopped on a fork); see {@link Ledger#isOpen()}. */
    public boolean isOpen() {
        return node != null ? node.isRunning() : ledger != null && ledger.isOpen();
    }

    public long size() {
        return node != null ? node.replica().size() : ledger.size();
    }

    public Optional<StoredTransaction> transaction(long logIndex) {
        return node != null ? node.replica().transaction(logIndex) : ledger.transaction(logIndex);
    }

    public InclusionProof inclusionProof(long logIndex, long treeSize) {
        return node != null ? node.replica().inclusionProof(logIndex, treeSize) : ledger.inclusionProof(logIndex, treeSize);
    }

    public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
        return node != null ? node.replica().consistencyProof(firstSize, secondSize) : ledger.consistencyProof(firstSize, secondSize);
    }
}
