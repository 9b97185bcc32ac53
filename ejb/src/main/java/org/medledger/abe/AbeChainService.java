package org.medledger.abe;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

import org.medledger.access.AccessEntry;
import org.medledger.access.AccessLedger;
import org.medledger.consensus.LedgerNode;
import org.medledger.emrauth.FhirRecords;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.ledger.LedgerException;
import org.medledger.ledger.codec.Bytes;
import org.medledger.ledger.contract.seeds.AbeChainContract;
import org.medledger.ledger.crypto.Signer;
import org.medledger.ledger.node.Receipt;
import org.medledger.ledger.tx.Arguments;
import org.medledger.ledger.tx.Transaction;
import org.medledger.ledger.tx.TxBody;
import org.medledger.custody.HospitalKeyStore;
import org.medledger.custody.KeyEntry;
import org.medledger.custody.RecordEnvelope;
import org.medledger.custody.RecordTable;
import org.medledger.custody.RecordWrapKeys;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.abe.AccessPolicy;
import org.medledger.protocol.abe.AuthorizationLetter;
import org.medledger.protocol.abe.CombinedScheme;
import org.medledger.protocol.abe.EndorsedRecord;
import org.medledger.protocol.abe.Endorser;
import org.medledger.protocol.abe.Hospital;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.abe.RecordDescriptor;
import org.medledger.protocol.abe.RecordSubmission;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.pairing.PairingGroup;

/**
 * ABE-CHAIN's flow on this server (seed 003, Fig. 3): the pending pool of patient-signed
 * authorization letters (each admitted by the endorsing node's check of σ_P and put on the
 * ledger by the patient's own signed {@code abe-chain.authorization-letter}), the hospital's
 * step (seal the record under the letter's policy, sign with its IBS key), the endorsing node's
 * matching rule, the medical cloud and the descriptor and address on the ledger, and the release
 * of an endorsed record to a data consumer — one access entry on the ledger before anything
 * leaves, refused when the consumer's attributes do not satisfy the policy.
 */
@Stateless
public class AbeChainService {

    private static final Logger LOG = Logger.getLogger(AbeChainService.class.getName());
    public static final String SCHEME = "ABE-CHAIN";
    public static final int MAX_TRANSACTION = 32 * 1024;
    /** A record fits, base64, in the API's 64 KiB body limit (configure-api-limits.cli). */
    public static final int MAX_RECORD = 46 * 1024;
    static final String PENDING = "PENDING";
    static final String ENDORSED = "ENDORSED";
    private static final SecureRandom RANDOM = new SecureRandom();

    @EJB
    AbeKgcService kgc;

    @EJB
    LedgerNode ledger;

    @EJB
    AccessLedger accesses;

    @EJB
    HospitalCloudService hospitals;

    /**
     * The medical cloud's records at rest as one of the tables re-wrapped by a rotation of the
     * hospital's record key: the encoded submission (already policy-encrypted) is sealed once more
     * under the hospital's record key (w0: the key of its EMR-AUTH entry), bound to the descriptor,
     * the patient and the time. A row with no wrapped key was stored before sealing; the next
     * re-wrap seals it.
     */
    public static final RecordTable TABLE = new RecordTable("ABE-CHAIN", "abe_cloud_record", "descriptor_id", "hospital_id = ?1",
            "descriptor_id, patient_id, stored_at", "submission",
            RecordTable.ofEntry(KeyEntry.EMR_AUTH_HPC, HospitalKeyStore::hospitalKeys),
            (hospitalId, c) -> new RecordTable.Binding(envelope((String) c[0]), hospitalId, (String) c[1], ((Number) c[2]).longValue()));

    @jakarta.ejb.EJB
    RecordWrapKeys wrapKeys;

    @jakarta.inject.Inject
    HospitalKeyStore keyStore;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    public record Admitted(String letterId, long logIndex) {
    }

    public record Stored(String descriptorId, String letterId, long descriptorLogIndex, long addressLogIndex) {
    }

    /** A record in the medical cloud as listed to data consumers (public description only). */
    public record Listed(String descriptorId, String letterId, String patientId, String hospitalId, String recordId,
                         String summary, String policy, long descriptorLogIndex, long addressLogIndex) {
    }

    /** A release attempt, on the ledger either way; {@code letter} and {@code submission} only if released. */
    public record Release(boolean released, String reason, long logIndex, byte[] letter, byte[] submission) {
    }

    PairingGroup group() {
        return AbePairing.group();
    }

    private Endorser endorser() throws DomainException {
        return new Endorser(CombinedScheme.forVerification(kgc.publicParameters()), Clock.systemUTC());
    }

    /**
     * Fig. 3 step 1: the patient's letter enters the pending pool. The endorsing node checks σ_P
     * under the descriptor's patient and the validity, the letter must be the caller's own and name
     * a hospital served here, and the patient's own ledger transaction must carry exactly this letter.
     */
    @RolesAllowed("patient")
    public Admitted submitLetter(byte[] encodedLetter, byte[] encodedTransaction, String callerId) throws DomainException {
        AuthorizationLetter letter;
        try {
            letter = AuthorizationLetter.decode(group(), encodedLetter);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        RecordDescriptor d = letter.descriptor();
        if (!d.patientId().equals(AccessPolicy.foldAttribute(callerId))) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a patient authorizes only its own records");
        }
        if (!hospitals.isRegistered(d.hospitalId())) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL",
                    "the letter names a hospital not served here");
        }
        try {
            // Verify(σ_P, descriptor ‖ policy ‖ validity) and the validity window  (seed 003, Fig. 3 step 3)
            endorser().admitLetter(letter);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        String letterId = letter.id();
        if (!em.createNativeQuery("SELECT letter_id FROM abe_letter WHERE letter_id = ?1").setParameter(1, letterId)
                .getResultList().isEmpty()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "LETTER_EXISTS", "this letter is already in the pool");
        }
        Transaction tx = letterTransaction(encodedTransaction, letter, callerId);
        Receipt r = ledger.submitSigned(tx);
        em.createNativeQuery("INSERT INTO abe_letter (letter_id, patient_id, hospital_id, record_id, policy, encoded, "
                        + "expires_at, log_index, status, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                .setParameter(1, letterId).setParameter(2, d.patientId()).setParameter(3, d.hospitalId())
                .setParameter(4, d.recordId()).setParameter(5, letter.policy().canonical()).setParameter(6, encodedLetter)
                .setParameter(7, letter.expiresAt()).setParameter(8, r.logIndex()).setParameter(9, PENDING)
                .setParameter(10, System.currentTimeMillis()).executeUpdate();
        LOG.info(() -> "ABE-CHAIN: letter " + letterId + " of " + callerId + " admitted, ledger index " + r.logIndex());
        return new Admitted(letterId, r.logIndex());
    }

    private static Transaction letterTransaction(byte[] encoded, AuthorizationLetter letter, String callerId)
            throws DomainException {
        if (encoded == null || encoded.length == 0 || encoded.length > MAX_TRANSACTION) {
            throw invalid("INVALID_TRANSACTION", "transaction must be 1 to " + MAX_TRANSACTION + " bytes");
        }
        Transaction tx;
        Arguments a;
        try {
            tx = Transaction.decode(encoded);
            a = tx.body().args();
            boolean same = tx.body().contract().equals(AbeChainContract.NAME)
                    && tx.body().function().equals("authorization-letter")
                    && a.string("letterId").equals(letter.id())
                    && a.string("patientId").equals(callerId)
                    && a.bytes("policy").equals(Bytes.utf8(letter.policy().canonical()))
                    && a.bytes("descriptor").equals(Bytes.of(letter.descriptor().toBytes()));
            if (!same) {
                throw invalid("LETTER_TRANSACTION_MISMATCH",
                        "the ledger transaction must be abe-chain.authorization-letter for exactly this letter");
            }
        } catch (RuntimeException e) {
            throw invalid("INVALID_TRANSACTION", "not a well-formed authorization-letter transaction");
        }
        if (!tx.body().submitter().equals(callerId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_OWN_IDENTITY",
                    "a patient submits only its own letter, signed by itself");
        }
        return tx;
    }

    /**
     * Fig. 3 steps 2–5 for a letter in the pool: the hospital seals the record (a FHIR R4 resource)
     * under the authorized policy and signs the submission with its IBS key; the endorsing node
     * applies the matching rule; the descriptor goes on the ledger (endorsed by the hospital), the
     * sealed record into the medical cloud, its address on the ledger.
     */
    @RolesAllowed("hospital-admin")
    public Stored storeRecord(String hospitalId, String letterId, byte[] record, String callerId) throws DomainException {
        List<?> admins = em.createNativeQuery("SELECT registered_by FROM hpc_registration WHERE hospital_id = ?1")
                .setParameter(1, hospitalId).getResultList();
        if (admins.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_HOSPITAL", "no such hospital is served here");
        }
        if (!callerId.equals(admins.get(0))) {
            // The hospital's own administrator (the one who registered it) acts for it; no other.
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_HOSPITAL_ADMIN",
                    "only the administrator of this hospital stores its records");
        }
        if (record == null || record.length == 0 || record.length > MAX_RECORD) {
            throw invalid("INVALID_RECORD", "the record must be 1 to " + MAX_RECORD + " bytes");
        }
        FhirRecords.requireValid(record);
        List<?> rows = em.createNativeQuery("SELECT encoded, status FROM abe_letter WHERE letter_id = ?1 AND hospital_id = ?2")
                .setParameter(1, letterId).setParameter(2, AccessPolicy.foldAttribute(hospitalId)).getResultList();
        if (rows.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_LETTER",
                    "no authorization letter with this id for this hospital");
        }
        Object[] row = (Object[]) rows.get(0);
        if (!PENDING.equals(row[1])) {
            throw new DomainException(DomainException.Kind.CONFLICT, "LETTER_ALREADY_ENDORSED",
                    "a record was already endorsed under this letter");
        }
        PublicParameters pp = kgc.publicParameters();
        EndorsedRecord endorsed;
        RecordSubmission submission;
        try {
            AuthorizationLetter letter = AuthorizationLetter.decode(group(), (byte[]) row[0]);
            Hospital hospital = new Hospital(kgc.hospitalIdentityKey(hospitalId), new CombinedScheme(pp, RANDOM),
                    Clock.systemUTC(), RANDOM);
            // CT = Encrypt_ATT(policy, m), body = AES-GCM(HKDF(m), record), σ_H  (seed 003, Fig. 3 step 2)
            submission = hospital.submit(letter, record);
            // The endorsing node: both signatures, same descriptor, same policy  (seed 003, Fig. 3 step 3)
            endorsed = endorser().endorse(letter, RecordSubmission.decode(group(), submission.toBytes()));
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
        String descriptorId = endorsed.submission().id();
        byte[] encodedSubmission = endorsed.submission().toBytes();
        RecordDescriptor d = endorsed.descriptor();
        Signer holder = hospitals.ledgerSigner(hospitalId);
        Receipt described = ledger.submitSigned(hospitalTx(hospitalId, holder, "record-descriptor", Arguments.builder()
                .put("descriptorId", descriptorId).put("letterId", letterId).put("hospitalId", hospitalId)
                .put("policy", Bytes.utf8(endorsed.letter().policy().canonical()))
                .put("ciphertextHash", Bytes.of(sha256(endorsed.sealed().toBytes())))
                .put("description", Bytes.of(d.toBytes())).build()));
        long storedAt = System.currentTimeMillis();
        RecordEnvelope.Sealed sealed;
        String wrapKeyId;
        try (SecretBytesCopy w0 = initialKey(d.hospitalId());
             RecordWrapKeys.WrapKey k = wrapKeys.current(RecordWrapKeys.holder(d.hospitalId()), w0.key())) {
            sealed = envelope(descriptorId).seal(k.key(), d.hospitalId(), d.patientId(), storedAt, encodedSubmission);
            wrapKeyId = k.keyId();
        }
        em.createNativeQuery("INSERT INTO abe_cloud_record (descriptor_id, letter_id, patient_id, hospital_id, record_id, "
                        + "summary, policy, submission, descriptor_log_index, address_log_index, stored_at, wrapped_key, wrap_key_id) "
                        + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, -1, ?10, ?11, ?12)")
                .setParameter(1, descriptorId).setParameter(2, letterId).setParameter(3, d.patientId())
                .setParameter(4, d.hospitalId()).setParameter(5, d.recordId()).setParameter(6, d.summary())
                .setParameter(7, endorsed.letter().policy().canonical()).setParameter(8, sealed.ciphertext())
                .setParameter(9, described.logIndex()).setParameter(10, storedAt).setParameter(11, sealed.wrappedKey())
                .setParameter(12, wrapKeyId).executeUpdate();
        Receipt addressed = ledger.submitSigned(hospitalTx(hospitalId, holder, "cloud-address", Arguments.builder()
                .put("descriptorId", descriptorId).put("address", Bytes.utf8(address(descriptorId))).build()));
        em.createNativeQuery("UPDATE abe_cloud_record SET address_log_index = ?1 WHERE descriptor_id = ?2")
                .setParameter(1, addressed.logIndex()).setParameter(2, descriptorId).executeUpdate();
        em.createNativeQuery("UPDATE abe_letter SET status = ?1 WHERE letter_id = ?2")
                .setParameter(1, ENDORSED).setParameter(2, letterId).executeUpdate();
        LOG.info(() -> "ABE-CHAIN: record " + descriptorId + " of hospital " + hospitalId + " endorsed (by " + callerId
                + "), ledger indexes " + described.logIndex() + ", " + addressed.logIndex());
        return new Stored(descriptorId, letterId, described.logIndex(), addressed.logIndex());
    }

    /** The medical cloud address written on the ledger for a stored record. */
    public static String address(String descriptorId) {
        return "medledger-cloud:abe-chain/records/" + descriptorId;
    }

    private static Transaction hospitalTx(String hospitalId, Signer holder, String function, Arguments args) {
        TxBody body = new TxBody(hospitalId, AbeChainContract.NAME, function, args, System.currentTimeMillis(), RANDOM.nextLong());
        return body.sign(holder).endorse(hospitalId, holder);
    }

    /** The records in the medical cloud, optionally of one patient, newest first (public descriptions). */
    @RolesAllowed({"insurer", "researcher", "patient", "auditor"})
    public List<Listed> list(String patientId) {
        String sql = "SELECT descriptor_id, letter_id, patient_id, hospital_id, record_id, summary, policy, "
                + "descriptor_log_index, address_log_index FROM abe_cloud_record"
                + (patientId == null ? "" : " WHERE patient_id = ?1") + " ORDER BY descriptor_log_index DESC";
        var q = em.createNativeQuery(sql).setMaxResults(200);
        if (patientId != null) {
            q.setParameter(1, AccessPolicy.foldAttribute(patientId));
        }
        List<Listed> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Listed((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                    (String) r[6], ((Number) r[7]).longValue(), ((Number) r[8]).longValue()));
        }
        return out;
    }

    /**
     * Fig. 3 steps 6–7: a data consumer downloads an endorsed record. The descriptor must be on the
     * ledger now; the consumer's attributes (from its token) must satisfy the policy; either way the
     * access entry (holder: the record's hospital) is committed on the ledger before anything is
     * released. The consumer verifies both signatures and decrypts on its own device.
     */
    @RolesAllowed({"insurer", "researcher"})
    public Release release(String descriptorId, String callerId, Set<String> attributes) throws DomainException {
        List<?> rows = em.createNativeQuery("SELECT letter_id, patient_id, hospital_id, policy, submission, wrapped_key, wrap_key_id, "
                + "stored_at FROM abe_cloud_record WHERE descriptor_id = ?1").setParameter(1, descriptorId).getResultList();
        if (rows.isEmpty()) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_RECORD", "no record with this descriptor id");
        }
        Object[] r = (Object[]) rows.get(0);
        String letterId = (String) r[0];
        String patientId = (String) r[1];
        String hospitalId = (String) r[2];
        requireOnLedger(descriptorId);
        Set<String> folded = new TreeSet<>();
        attributes.forEach(a -> folded.add(AccessPolicy.foldAttribute(a)));
        boolean satisfied;
        try {
            satisfied = AccessPolicy.parse((String) r[3]).isSatisfiedBy(folded);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "STORED_RECORD_UNREADABLE", "the stored policy does not parse");
        }
        long now = System.currentTimeMillis();
        AccessEntry entry = satisfied
                ? new AccessEntry(SCHEME, hospitalId, patientId, callerId, AccessEntry.Outcome.RELEASED, "POLICY_SATISFIED", now)
                : AccessEntry.refused(SCHEME, hospitalId, patientId, callerId, "POLICY_NOT_SATISFIED", now);
        // Opened before the access is logged: a record that does not open is refused with nothing on the ledger.
        byte[] submission = satisfied ? opened(descriptorId, r) : null;
        // Committed on the ledger before the record leaves this method; if this throws, nothing is released.
        AccessLedger.Recorded recorded = accesses.append(entry, hospitals.ledgerSigner(hospitalId));
        LOG.info(() -> "ABE-CHAIN: record " + descriptorId + " " + entry.outcome().wire() + " to " + callerId
                + ", ledger index " + recorded.logIndex());
        if (!satisfied) {
            return new Release(false, "POLICY_NOT_SATISFIED", recorded.logIndex(), null, null);
        }
        byte[] letter = (byte[]) em.createNativeQuery("SELECT encoded FROM abe_letter WHERE letter_id = ?1")
                .setParameter(1, letterId).getSingleResult();
        return new Release(true, "POLICY_SATISFIED", recorded.logIndex(), letter, submission);
    }

    /** The stored submission of row {@code r} opened (a row stored before sealing is as stored). */
    private byte[] opened(String descriptorId, Object[] r) throws DomainException {
        if (r[5] == null) {
            return (byte[]) r[4];
        }
        String hospitalId = (String) r[2];
        try (SecretBytesCopy w0 = initialKey(hospitalId);
             SecretBytesCopy key = new SecretBytesCopy(wrapKeys.key(RecordWrapKeys.holder(hospitalId), (String) r[6], w0.key()))) {
            return envelope(descriptorId).open(key.key(), hospitalId, (String) r[1], ((Number) r[7]).longValue(), (byte[]) r[5],
                    (byte[]) r[4]);
        } catch (ProtocolException e) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "RECORD_UNREADABLE",
                    "the stored record does not open under the hospital's key");
        }
    }

    /** Key w0 of the hospital's records here: the record key of its EMR-AUTH entry. */
    private SecretBytesCopy initialKey(String hospitalId) throws DomainException {
        return new SecretBytesCopy(TABLE.initialKey().find(keyStore, hospitalId).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE", "the hospital's keys are missing")));
    }

    /** A key copy destroyed when done. */
    private record SecretBytesCopy(org.medledger.protocol.common.SecretBytes key) implements AutoCloseable {
        @Override
        public void close() {
            key.destroy();
        }
    }

    /** One envelope label per record: binds the sealed submission to its descriptor, so rows cannot be swapped. */
    static RecordEnvelope envelope(String descriptorId) {
        return new RecordEnvelope("MEDLEDGER/ABE-CHAIN/cloud-record/" + descriptorId);
    }

    private void requireOnLedger(String descriptorId) throws DomainException {
        try {
            ledger.query(AbeChainContract.NAME, "descriptor-check", Arguments.builder().put("descriptorId", descriptorId).build());
        } catch (LedgerException e) {
            throw notOnLedger();
        } catch (EJBException e) {
            if (e.getCause() instanceof LedgerException) {
                throw notOnLedger();
            }
            throw e;
        }
    }

    private static DomainException notOnLedger() {
        return new DomainException(DomainException.Kind.UNAVAILABLE, "NOT_ON_LEDGER",
                "the record's descriptor is not on the ledger, so nothing is released");
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DomainException invalid(String code, String detail) {
        return new DomainException(DomainException.Kind.INVALID, code, detail);
    }
}
