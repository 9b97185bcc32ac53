package org.medledger.cloudchain;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import javax.security.auth.Destroyable;

import org.bouncycastle.util.encoders.Hex;
import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.consensus.EcKeys;
import org.medledger.consensus.LedgerNode;
import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.RecordEnvelope;
import org.medledger.custody.RecordTable;
import org.medledger.custody.RecordWrapKeys;
import org.medledger.emrauth.PublicCloudService;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.LedgerReason;
import org.medledger.ledger.contract.seeds.CloudChainContract;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.TxBody;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.cloudchain.CloudChainRoles;
import org.medledger.protocol.cloudchain.CloudServer;
import org.medledger.protocol.cloudchain.ContractRegistry;
import org.medledger.protocol.cloudchain.Ehr;
import org.medledger.protocol.cloudchain.EhrRepository;
import org.medledger.protocol.cloudchain.EhrRequest;
import org.medledger.protocol.cloudchain.EhrResponse;
import org.medledger.protocol.cloudchain.EhrUpload;
import org.medledger.protocol.cloudchain.LogTransaction;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;

/**
 * CLOUD-CHAIN's cloud server CS as served here (seed 001, §5.4–5.6): it stores the EHRs medical
 * centers send under their pre-shared {@code KMS_j}, encrypted at rest ({@code cc_ehr}), only for
 * a patient the center has a contract {@code Sc} with on the ledger, and releases one only after
 * the center-signed access-log transaction is committed on the ledger (the access's one entry,
 * through {@link AccessLedger}); if that append fails nothing leaves. The CS is a ledger member
 * ({@code cloud-server}, role CLOUD) with its own key; its keys live in the hospital key store.
 */
@Stateless
public class CloudServerService {

    private static final Logger LOG = Logger.getLogger(CloudServerService.class.getName());
    /** The cloud server's member id on the ledger and holder id of its access entries. */
    public static final String CLOUD_SERVER_ID = "cloud-server";
    static final Duration MEMBERSHIP = Duration.ofDays(5 * 365);
    static final RecordEnvelope ENVELOPE = new RecordEnvelope("MEDLEDGER/CLOUD-CHAIN/CS/ehr");
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The EHRs at rest as one of the tables re-wrapped by a rotation of a hospital's record key:
     * the rows of medical center {@code PID_j} belong to the hospital of the same id as the center
     * ({@code centerId}); key w0 is the cloud server's own record key (entry {@code cc-cs}).
     */
    public static final RecordTable TABLE = new RecordTable("CLOUD-CHAIN", "cc_ehr", "id",
            "pid IN (SELECT pid FROM cc_medical_center WHERE center_id = ?1)", "pid, hid, t_up", null, CloudServerService::initialKey,
            (hospitalId, c) -> new RecordTable.Binding(ENVELOPE, (String) c[0], (String) c[1], ((Number) c[2]).longValue()));

    @Inject
    CloudChainVault vault;

    @EJB
    RecordWrapKeys wrapKeys;

    @EJB
    PublicCloudService pc;

    @EJB
    LedgerNode ledger;

    @EJB
    AccessLedger accesses;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** The outcome of a released EHR request: the answer for the center and the access entry's place on the ledger. */
    public record Released(EhrResponse response, long logIndex) {
    }

    /**
     * The cloud server's keys exist and it is a ledger member (done once, at the first medical
     * center's registration, named on the ledger as asked for by {@code registeredBy}, that
     * registration's caller; a retry adopts the same registration).
     */
    public void ensureRegistered(String registeredBy) throws DomainException {
        Optional<SecretBytes> stored = vault.cloudServer();
        Keys keys;
        if (stored.isPresent()) {
            keys = Keys.open(pc.curve(), stored.get());
        } else {
            keys = Keys.generate(pc.curve());
            byte[] encoded = keys.encode();
            try {
                vault.putCloudServer(encoded);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
        }
        try {
            if (ledger.state(MemberDirectory.NS_MEMBER, CLOUD_SERVER_ID).isEmpty()) {
                long now = System.currentTimeMillis();
                ledger.registerMember(CLOUD_SERVER_ID, Role.CLOUD, keys.publicKey(), now, now + MEMBERSHIP.toMillis(),
                        registeredBy);
                LOG.info("CLOUD-CHAIN cloud server registered as ledger member " + CLOUD_SERVER_ID);
            }
        } finally {
            keys.destroy();
        }
    }

    /** Keeps the cloud server's copy of {@code KMS_j} (the pre-shared key of a newly registered center). */
    public void shareKey(String pid, SecretBytes kms) throws DomainException {
        byte[] k = kms.reveal();
        try {
            vault.putCloudServerKms(pid, k);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** EHR storing step 2 (seed 001, §5.4 step 2). */
    public Ehr acceptUpload(EhrUpload upload) throws DomainException {
        try (Served cs = new Served()) {
            return cs.server.acceptUpload(upload);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } catch (Carried c) {
            throw c.refusal;
        }
    }

    /**
     * EHR requesting step 2 (seed 001, §5.5 step 2) with the log transaction of §5.6 committed
     * before the answer exists.
     */
    public Released handleRequest(EhrRequest request) throws DomainException {
        try (Served cs = new Served()) {
            EhrResponse response = cs.server.handleRequest(request);
            return new Released(response, cs.logged);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } catch (Carried c) {
            throw c.refusal;
        }
    }

    /** A refusal from a callback the protocol core cannot throw checked (repository, access log). */
    private static final class Carried extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient DomainException refusal;

        Carried(DomainException refusal) {
            super(refusal.code(), null, false, false);
            this.refusal = refusal;
        }
    }

    /** The protocol's cloud server over this server's key store, database and ledger, for one call. */
    private final class Served implements AutoCloseable, EhrRepository, ContractRegistry {
        final Keys keys;
        final Environment env;
        final CloudServer server;
        final List<SecretBytes> opened = new ArrayList<>();
        long logged = -1;

        Served() throws DomainException {
            SecretBytes raw = vault.cloudServer().orElseThrow(() -> new DomainException(DomainException.Kind.UNAVAILABLE,
                    "CLOUD_SERVER_UNAVAILABLE", "the cloud server has no keys yet (no medical center is registered)"));
            keys = Keys.open(pc.curve(), raw);
            env = pc.environment();
            server = new CloudServer(env, pc.trust(env), this::kms, this, this, this::append);
        }

        private Optional<SecretBytes> kms(String pid) {
            if (pid.length() != 64 || !pid.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return Optional.empty();
            }
            try {
                Optional<SecretBytes> k = vault.cloudServerKms(pid);
                k.ifPresent(opened::add);
                return k;
            } catch (DomainException e) {
                throw new Carried(e);
            }
        }

        /** Tx = {HID_i, PID_j, T_access, Sig_j}: submitted by the CS, the one ledger entry of this access (§5.6). */
        private void append(LogTransaction tx) {
            String hid = Hex.toHexString(tx.hidI());
            Arguments args = Arguments.builder().put("hid", hid).put("pid", tx.pidJ()).put("tAccess", tx.tAccess())
                    .put("sigJ", org.medledger.ledger.codec.Bytes.of(tx.sigJ())).build();
            TxBody body = new TxBody(CLOUD_SERVER_ID, CloudChainContract.NAME, "access-log", args, System.currentTimeMillis(),
                    RANDOM.nextLong());
            AccessEntry entry = new AccessEntry(CloudChainRoles.SCHEME, CLOUD_SERVER_ID, hid, tx.pidJ(), AccessEntry.Outcome.RELEASED,
                    "CONTRACT", tx.tAccess());
            try {
                logged = accesses.append(entry, body.sign(EcKeys.signer(keys.ledgerKey))).logIndex();
            } catch (DomainException e) {
                throw new Carried(e);
            }
        }

        @Override
        public boolean hasContract(byte[] hidI, String pidJ) {
            try {
                ledger.query(CloudChainContract.NAME, "scchk", Arguments.builder().put("hid", Hex.toHexString(hidI)).put("pid", pidJ)
                        .build());
                return true;
            } catch (LedgerException e) {
                return notFound(e);
            } catch (jakarta.ejb.EJBException e) {
                // the ledger node is a bean: its refusal arrives wrapped
                if (e.getCause() instanceof LedgerException l) {
                    return notFound(l);
                }
                throw e;
            }
        }

        /** The contract's refusal means "no contract"; any other ledger failure fails closed. */
        private boolean notFound(LedgerException e) {
            if (e.reason() == LedgerReason.NOT_FOUND) {
                return false;
            }
            throw new Carried(new DomainException(DomainException.Kind.UNAVAILABLE, "LEDGER_UNAVAILABLE",
                    "the ledger could not answer whether the contract exists"));
        }

        @Override
        public void store(Ehr ehr) {
            String hid = Hex.toHexString(ehr.hidI());
            // wrapped under the current record key of the center's hospital (w0: the cloud server's own key)
            try (RecordWrapKeys.WrapKey k = wrapKeys.current(RecordWrapKeys.holder(centerId(ehr.pidJ())), keys.recordWrapKey)) {
                RecordEnvelope.Sealed sealed = ENVELOPE.seal(k.key(), ehr.pidJ(), hid, ehr.tUp(), ehr.encode());
                em.createNativeQuery("INSERT INTO cc_ehr (hid, pid, t_up, wrapped_key, ciphertext, stored_at, wrap_key_id) "
                                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                        .setParameter(1, hid).setParameter(2, ehr.pidJ()).setParameter(3, ehr.tUp()).setParameter(4, sealed.wrappedKey())
                        .setParameter(5, sealed.ciphertext()).setParameter(6, System.currentTimeMillis()).setParameter(7, k.keyId())
                        .executeUpdate();
            } catch (DomainException e) {
                throw new Carried(e);
            }
        }

        @Override
        public Optional<Ehr> latest(byte[] hidI) {
            String hid = Hex.toHexString(hidI);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT pid, t_up, wrapped_key, ciphertext, wrap_key_id FROM cc_ehr WHERE hid = ?1 "
                            + "ORDER BY id DESC").setParameter(1, hid).setMaxResults(1).getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Object[] r = rows.get(0);
            // the row names the key its per-record key is wrapped under (an unknown or retired key fails closed)
            SecretBytes key;
            try {
                key = wrapKeys.key(RecordWrapKeys.holder(centerId((String) r[0])), (String) r[4], keys.recordWrapKey);
            } catch (DomainException e) {
                throw new Carried(e);
            }
            try {
                byte[] plain = ENVELOPE.open(key, (String) r[0], hid, ((Number) r[1]).longValue(), (byte[]) r[2],
                        (byte[]) r[3]);
                Ehr ehr = Ehr.decode(plain);
                if (!Arrays.equals(ehr.hidI(), hidI) || !ehr.pidJ().equals(r[0])) {
                    throw new ProtocolException(org.medledger.protocol.common.Reason.MALFORMED_MESSAGE, "stored EHR is for another row");
                }
                return Optional.of(ehr);
            } catch (ProtocolException e) {
                throw new Carried(new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                        "the stored EHR does not open under the cloud server's key"));
            } finally {
                key.destroy();
            }
        }

        /** The id of medical center {@code pid} (its hospital's record keys wrap its EHRs). */
        private String centerId(String pid) {
            List<?> ids = em.createNativeQuery("SELECT center_id FROM cc_medical_center WHERE pid = ?1").setParameter(1, pid)
                    .getResultList();
            if (ids.isEmpty()) {
                throw new Carried(new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_CENTER", "no medical center " + pid));
            }
            return ids.get(0).toString();
        }

        @Override
        public void close() {
            keys.destroy();
            opened.forEach(SecretBytes::destroy);
        }
    }

    /** Key w0 of the EHRs at rest: the cloud server's own record key (a copy), once it has keys. */
    static Optional<SecretBytes> initialKey(HospitalKeyStore keyStore, String hospitalId) throws DomainException {
        Optional<SecretBytes> raw = keyStore.vault().secret("cc-cs");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Keys k = Keys.open(CurveProfile.p256(), raw.get());
        try {
            return Optional.of(k.recordWrapKey.copy());
        } finally {
            k.destroy();
        }
    }

    /** The cloud server's own keys: its ledger member key and the key wrapping its per-record keys. */
    static final class Keys implements Destroyable {
        private static final String LABEL = "MEDLEDGER/CLOUD-CHAIN/CS/keys";
        final SecretScalar ledgerKey;
        final SecretBytes recordWrapKey;

        private Keys(SecretScalar ledgerKey, SecretBytes recordWrapKey) {
            this.ledgerKey = ledgerKey;
            this.recordWrapKey = recordWrapKey;
        }

        static Keys generate(CurveProfile curve) {
            byte[] w = new byte[32];
            RANDOM.nextBytes(w);
            try {
                return new Keys(SecretScalar.random(curve, RANDOM), SecretBytes.copyOf(w));
            } finally {
                Arrays.fill(w, (byte) 0);
            }
        }

        static Keys open(CurveProfile curve, SecretBytes raw) throws DomainException {
            byte[] b = raw.reveal();
            try {
                LabelledDecoder d = LabelledDecoder.open(b, LABEL);
                Keys k = new Keys(d.secretScalar(curve), d.secretBytes());
                d.finish();
                return k;
            } catch (ProtocolException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "CLOUD_SERVER_UNAVAILABLE", "the cloud server's keys do not open");
            } finally {
                Arrays.fill(b, (byte) 0);
                raw.destroy();
            }
        }

        byte[] publicKey() {
            return ledgerKey.curve().encodePoint(ledgerKey.publicPoint());
        }

        byte[] encode() {
            return LabelledEncoder.of(LABEL).secret(ledgerKey).secret(recordWrapKey).toByteArray();
        }

        @Override
        public void destroy() {
            ledgerKey.destroy();
            recordWrapKey.destroy();
        }

        @Override
        public boolean isDestroyed() {
            return recordWrapKey.isDestroyed();
        }

        @Override
        public String toString() {
            return "CloudServer.Keys[redacted]";
        }
    }
}
