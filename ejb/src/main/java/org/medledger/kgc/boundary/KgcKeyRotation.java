package org.medledger.kgc.boundary;

import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.custody.KgcKeyStore;
import org.medledger.platform.DomainException;

/**
 * Rotation of the KGC master key pair (issue 15), an operator's action: the KGC generates the next
 * generation of {@code (s, PK)} in its key store, the rotation is appended to the ledger (contract
 * {@code keys}, endorsed by the KGC's ledger key), and from then on partial keys are issued under
 * the new key id. Earlier generations stay in the store and are published with their key ids, so a
 * registration made under one stays verifiable; see docs/protocols/kgc-key-rotation.md for what a
 * rotation means for parties registered under an older key.
 */
@Stateless
public class KgcKeyRotation {

    private static final Logger LOG = Logger.getLogger(KgcKeyRotation.class.getName());

    /** How long a new master key's certificate is valid (the KGC key inventory warns 30 days ahead). */
    static final Duration VALIDITY = Duration.ofDays(3 * 365);

    @Inject
    KgcKeyStore keys;

    @jakarta.ejb.EJB
    LedgerNode ledger;

    @Resource
    SessionContext context;

    /** One generation as published: public parts only. */
    public record Generation(int generation, String keyId, String curve, byte[] publicKey, Instant notBefore, Instant notAfter,
                             boolean current) {
        public Generation {
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    /** A rotation done: the key ids before and after and the ledger entry that records it. */
    public record Rotated(String previousKeyId, String keyId, int generation, long logIndex) {
    }

    /** Every generation of the master key pair, oldest first; the last is current. */
    @PermitAll
    public List<Generation> generations() throws DomainException {
        return keys.masterKeys().stream().map(k -> new Generation(k.generation(), k.keyId(), k.publicKey().curve().name(),
                k.publicKey().encoded(), k.certificate().getNotBefore().toInstant(), k.certificate().getNotAfter().toInstant(),
                k.current())).toList();
    }

    /** Rotates the master key pair; the ledger entry names the operator. Withdrawn again if the ledger refuses it. */
    @RolesAllowed("kgc-operator")
    public Rotated rotateMaster() throws DomainException {
        String operator = context.getCallerPrincipal().getName();
        KgcKeyStore.MasterKey previous = keys.currentMasterKey();
        KgcKeyStore.MasterKey made = keys.rotateMaster(new SecureRandom(), VALIDITY);
        long index;
        try {
            index = ledger.submitKgcMasterRotation(previous.keyId(), made.keyId(), made.publicKey().encoded(), operator).logIndex();
        } catch (DomainException | RuntimeException e) {
            keys.withdrawMaster(made.keyId());
            throw e;
        }
        LOG.info(() -> "KGC master key rotated by " + operator + ": key id " + previous.keyId() + " -> " + made.keyId()
                + " (generation " + made.generation() + "), ledger entry " + index);
        return new Rotated(previous.keyId(), made.keyId(), made.generation(), index);
    }
}
