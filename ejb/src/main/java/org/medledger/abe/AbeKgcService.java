package org.medledger.abe;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

import org.medledger.custody.KgcKeyStore;
import org.medledger.custody.Pkcs12Vault;
import org.medledger.platform.DomainException;
import org.medledger.platform.Refusals;
import org.medledger.protocol.abe.AccessPolicy;
import org.medledger.protocol.abe.AttributeKey;
import org.medledger.protocol.abe.IdentityKey;
import org.medledger.protocol.abe.KeyDelivery;
import org.medledger.protocol.abe.KeyGenerationCenter;
import org.medledger.protocol.abe.PublicParameters;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.KemPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.SecretBytes;

/**
 * ABE-CHAIN's key generation center (seed 003, Setup and KeyGen; Fig. 3 step 0). α and a are
 * derived from the KGC master secret in the KGC key store (HKDF, label {@value #SEED_LABEL}), per
 * call, so the ABE master secret exists nowhere else and never in a column. For ABE and IBE the
 * KGC necessarily computes the users' keys (the paper's KeyGen needs MSK): each key goes only to
 * its authenticated holder, HPKE-sealed to a P-256 KEM key — for a patient the one certified in
 * its directory entry, so only the device that registered can open it. Attributes are never taken
 * from a request: the caller's Keycloak roles decide them ({@code AbeAttributes}).
 */
@Stateless
public class AbeKgcService {

    private static final Logger LOG = Logger.getLogger(AbeKgcService.class.getName());
    public static final String SEED_LABEL = "MEDLEDGER/ABE-CHAIN/KGC/master-seed";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pkcs12Vault HOSPITAL_VAULT = Pkcs12Vault.named("hospital");

    private static volatile PublicParameters cached;

    @Inject
    KgcKeyStore kgcKeys;

    @PersistenceContext(unitName = "medledger")
    EntityManager em;

    /** What the holder receives: the sealed key and the attributes (or identity) it carries. */
    public record DeliveredKey(String holderId, String kind, Set<String> attributes, byte[] sealed) {
    }

    /** PP, derived once per deployment from the KGC key store (public). */
    @PermitAll
    public PublicParameters publicParameters() throws DomainException {
        PublicParameters pp = cached;
        if (pp == null) {
            pp = withKgc(KeyGenerationCenter::publicParameters);
            cached = pp;
        }
        return pp;
    }

    /** KeyGen_ATT(S) for {@code holderId} with the attributes its token carries, sealed to {@code kemKey}. */
    @RolesAllowed({"insurer", "researcher"})
    public DeliveredKey issueAttributeKey(String holderId, Set<String> attributes, byte[] kemKey) throws DomainException {
        Objects.requireNonNull(holderId, "holder is required");
        if (attributes == null || attributes.isEmpty()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NO_ATTRIBUTES",
                    "the caller's roles carry no ABE-CHAIN attribute");
        }
        KemPublicKey recipient = kem(kemKey);
        Set<String> folded = new TreeSet<>();
        attributes.forEach(a -> folded.add(AccessPolicy.foldAttribute(a)));
        byte[] encoded = withKgc(kgc -> kgc.issueAttributeKey(folded).toBytes());
        return deliver(holderId, KeyDelivery.Kind.ATTRIBUTE, folded, encoded, recipient);
    }

    /**
     * Fig. 3 step 7 on the server, for the portal's claims page ({@code docs/portal.md}): the record
     * {@code descriptorId} just released to the authenticated consumer {@code holderId} (its access
     * entry is on the ledger) is checked as the device checks it — σ_P and σ_H, same descriptor,
     * same policy, the record asked for — and opened with KeyGen_ATT for the caller's attributes,
     * computed for this one decryption and dropped after it: never stored, sealed or sent. The
     * issuance is listed in {@code abe_key_issue} (kind {@code attribute-once}).
     */
    @RolesAllowed({"insurer", "researcher"})
    public byte[] openReleased(String holderId, Set<String> attributes, String descriptorId, byte[] letter,
                               byte[] submission) throws DomainException {
        Objects.requireNonNull(holderId, "holder is required");
        if (attributes == null || attributes.isEmpty()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NO_ATTRIBUTES",
                    "the caller's roles carry no ABE-CHAIN attribute");
        }
        PublicParameters pp = publicParameters();
        org.medledger.protocol.pairing.PairingGroup group = AbePairing.group();
        Set<String> folded = new TreeSet<>();
        attributes.forEach(a -> folded.add(AccessPolicy.foldAttribute(a)));
        try {
            org.medledger.protocol.abe.AuthorizationLetter l = org.medledger.protocol.abe.AuthorizationLetter.decode(group, letter);
            org.medledger.protocol.abe.RecordSubmission sub = org.medledger.protocol.abe.RecordSubmission.decode(group, submission);
            if (!sub.id().equals(descriptorId)) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "NOT_AUTHORIZED",
                        "the released record is not the one asked for");
            }
            // Both signatures, same descriptor, same policy, at the time the letter was valid (Fig. 3 step 3, as the device)
            org.medledger.protocol.abe.EndorsedRecord endorsed = new org.medledger.protocol.abe.Endorser(
                    org.medledger.protocol.abe.CombinedScheme.forVerification(pp),
                    java.time.Clock.fixed(java.time.Instant.ofEpochMilli(l.issuedAt()), java.time.ZoneOffset.UTC))
                    .endorse(l, sub);
            byte[] encoded = withKgc(kgc -> kgc.issueAttributeKey(folded).toBytes());
            try {
                AttributeKey key = AttributeKey.decode(pp, encoded);
                record(holderId, "attribute-once", String.join(",", folded));
                // m = Decrypt_ATT(SK, CT), record = AES-GCM⁻¹(HKDF(m), body)  (seed 003, Fig. 3 step 7)
                return new org.medledger.protocol.abe.DataConsumer(key,
                        org.medledger.protocol.abe.CombinedScheme.forVerification(pp)).open(endorsed);
            } finally {
                Arrays.fill(encoded, (byte) 0);
            }
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        }
    }

    /**
     * KeyGen_ID(id) for the patient {@code patientId}, sealed to the KEM key of its directory entry
     * ({@code certifiedKem}), which the request must name.
     */
    @RolesAllowed("patient")
    public DeliveredKey issueIdentityKey(String patientId, byte[] kemKey, Optional<KemPublicKey> certifiedKem)
            throws DomainException {
        KemPublicKey recipient = kem(kemKey);
        if (certifiedKem.isEmpty() || !certifiedKem.get().equals(recipient)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "KEY_NOT_CERTIFIED",
                    "an identity key is sealed only to the KEM key certified in the caller's directory entry");
        }
        String id = AccessPolicy.foldAttribute(patientId);
        byte[] encoded = withKgc(kgc -> kgc.issueIdentityKey(id).toBytes());
        return deliver(patientId, KeyDelivery.Kind.IDENTITY, Set.of(id), encoded, recipient);
    }

    /**
     * The IBS identity key of a hospital served here, kept in the hospital key store under
     * {@code abe-ibs:<id>}; issued by the KGC the first time the hospital signs.
     */
    @RolesAllowed("hospital-admin")
    public IdentityKey hospitalIdentityKey(String hospitalId) throws DomainException {
        String alias = "abe-ibs:" + AccessPolicy.foldAttribute(hospitalId);
        PublicParameters pp = publicParameters();
        Optional<SecretBytes> stored = HOSPITAL_VAULT.secret(alias);
        if (stored.isPresent()) {
            byte[] b = stored.get().reveal();
            try {
                return IdentityKey.decode(pp, b);
            } catch (ProtocolException e) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "HOSPITAL_KEY_UNAVAILABLE",
                        "the hospital's ABE-CHAIN key does not open");
            } finally {
                Arrays.fill(b, (byte) 0);
                stored.get().destroy();
            }
        }
        byte[] encoded = withKgc(kgc -> kgc.issueIdentityKey(hospitalId).toBytes());
        try {
            HOSPITAL_VAULT.put(alias, encoded);
            record(hospitalId, "identity", AccessPolicy.foldAttribute(hospitalId));
            return IdentityKey.decode(pp, encoded);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    private DeliveredKey deliver(String holderId, KeyDelivery.Kind kind, Set<String> attributes, byte[] encoded,
                                 KemPublicKey to) {
        try {
            byte[] sealed = KeyDelivery.seal(to, holderId, kind, encoded, RANDOM);
            record(holderId, kind.wire(), String.join(",", attributes));
            LOG.info(() -> "ABE-CHAIN KGC: " + kind.wire() + " key issued to " + holderId + " for " + attributes);
            return new DeliveredKey(holderId, kind.wire(), Set.copyOf(attributes), sealed);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    private void record(String holderId, String kind, String attributes) {
        em.createNativeQuery("INSERT INTO abe_key_issue (holder_id, kind, attributes, issued_at) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, holderId).setParameter(2, kind).setParameter(3, attributes)
                .setParameter(4, System.currentTimeMillis()).executeUpdate();
    }

    private static KemPublicKey kem(byte[] kemKey) throws DomainException {
        try {
            return KemPublicKey.decode(CurveProfile.p256(), kemKey);
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } catch (RuntimeException e) {
            throw new DomainException(DomainException.Kind.INVALID, "BAD_POINT", "kemKey is not a P-256 public key");
        }
    }

    private interface KgcUse<T> {
        T apply(KeyGenerationCenter kgc) throws ProtocolException;
    }

    /** Runs {@code use} with a KGC set up from the key store's master secret; the secrets are wiped after. */
    private <T> T withKgc(KgcUse<T> use) throws DomainException {
        MasterSecret s = kgcKeys.masterSecret();
        SecretBytes seed = s.deriveKey(SEED_LABEL);
        try {
            return use.apply(KeyGenerationCenter.fromSeed(AbePairing.group(), RANDOM, seed));
        } catch (ProtocolException e) {
            throw Refusals.of(e);
        } finally {
            seed.destroy();
            s.destroy();
        }
    }
}
