package org.medledger.kgc.boundary;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.logging.Logger;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.consensus.LedgerNode;
import org.medledger.custody.KgcKeyStore;
import org.medledger.kgc.entity.PartialKeyHistory;
import org.medledger.platform.DatabaseReplayGuard;
import org.medledger.platform.DomainException;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.PartialKeyRenewal;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.VerificationKey;

/**
 * The one renewal of a KGC partial key under the current master key generation, for every party
 * kind ({@link PartialKeyRenewal.Kind}: EMR-AUTH patients, doctors, hospital clouds; INTER-HOSPITAL
 * patients and hospitals; docs/protocols/kgc-key-rotation.md). {@link #check} runs the checks before
 * anything is issued, {@link #record} lists the old key as superseded and appends the one ledger
 * entry; between them the scheme's bean issues the fresh partial key (its own equations) and
 * re-certifies the party's directory entry. Callers are the scheme beans, which authorize the caller
 * further (only itself, only its administrator).
 */
@Stateless
@LocalBean
@RolesAllowed({"patient", "doctor", "hospital-admin"})
public class PartialKeyRenewals {

    private static final Logger LOG = Logger.getLogger(PartialKeyRenewals.class.getName());

    /** Replay scope of renewal proofs in the database replay guard. */
    static final String SCOPE = "kgc/partial-key-renewal";

    @Inject
    KgcKeyStore keys;

    @Inject
    PartialKeyHistory history;

    @Inject
    DatabaseReplayGuard replayGuard;

    @EJB
    LedgerNode ledger;

    /** The party's implicit key under {@code pk} for its point {@code r} (the scheme's equation). */
    @FunctionalInterface
    public interface ImplicitKey {
        VerificationKey of(MasterPublicKey pk, ECPoint r) throws ProtocolException;
    }

    /**
     * The partial key the KGC has on record for a party: the key id it was issued under ({@code null}
     * when not recorded: the proof then shows it) and its point {@code R} (base64).
     */
    public record Held(String keyId, String rBase64) {
    }

    /**
     * The checks of a renewal, before anything is issued: the party is not revoked; {@code kgcKeyId}
     * names a partial key the party holds or held; the proof is by that partial key, fresh and not
     * seen before (database replay guard on the signed content); that partial key is the party's
     * current one and was issued under an older generation than the current.
     *
     * @return the proven partial key's point {@code R} (base64, as held)
     */
    public String check(PartialKeyRenewal.Kind kind, String partyId, Held held, String kgcKeyId, ImplicitKey implicitKey,
                        Instant proofTime, byte[] proof) throws DomainException {
        String who = kind.scheme() + " " + kind.role() + " " + partyId;
        if (ledger.isRevoked(partyId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "REVOKED", who + " is revoked on the ledger and renews nothing");
        }
        if (kgcKeyId == null || kgcKeyId.isEmpty() || kgcKeyId.length() > 64) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_FIELD", "kgcKeyId must name a KGC key id");
        }
        var superseded = history.superseded(kind, partyId, kgcKeyId);
        boolean old = superseded.isPresent() && (held.keyId() == null || !kgcKeyId.equals(held.keyId()));
        if (!old && held.keyId() != null && !kgcKeyId.equals(held.keyId())) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "UNKNOWN_PARTIAL_KEY",
                    who + " holds no partial key issued under key id " + kgcKeyId);
        }
        String rBase64 = old ? superseded.get().rBase64() : held.rBase64();
        MasterPublicKey pk = keys.publicKey(kgcKeyId).orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND,
                "UNKNOWN_PARTIAL_KEY", "the KGC has no master key with key id " + kgcKeyId));
        ECPoint r;
        try {
            r = pk.curve().decodePoint(Base64.getDecoder().decode(rBase64));
        } catch (ProtocolException e) {
            throw new IllegalStateException("stored registration point does not decode");
        }
        ContentId signed;
        try {
            signed = PartialKeyRenewal.verify(kind, implicitKey.of(pk, r), partyId, kgcKeyId, r, proofTime, proof,
                    Clock.systemUTC().instant());
        } catch (ProtocolException e) {
            throw e.reason() == Reason.STALE_TIMESTAMP
                    ? new DomainException(DomainException.Kind.INVALID, "STALE_PROOF",
                            "the renewal proof must be signed within " + PartialKeyRenewal.MAX_SKEW.toMinutes()
                                    + " minutes of the server's clock")
                    : new DomainException(DomainException.Kind.FORBIDDEN, "NO_PROOF_OF_POSSESSION",
                            "the renewal is not signed by the partial key issued under key id " + kgcKeyId);
        }
        if (!replayGuard.firstSeen(SCOPE, signed.digest(), proofTime.plus(PartialKeyRenewal.MAX_SKEW))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "REPLAY", "this renewal request was seen before");
        }
        if (old) {
            throw new DomainException(DomainException.Kind.CONFLICT, "SUPERSEDED_KEY", "the partial key under key id "
                    + kgcKeyId + " was renewed already; " + who + " holds a newer one");
        }
        String current = keys.currentMasterKey().keyId();
        if (kgcKeyId.equals(current)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "ALREADY_CURRENT",
                    who + " holds a partial key under the current key id " + current);
        }
        return rBase64;
    }

    /** The key id under which the KGC issues partial keys now. */
    @PermitAll
    public String currentKeyId() throws DomainException {
        return keys.currentMasterKey().keyId();
    }

    /**
     * Records a renewal after the fresh partial key under {@code newKeyId} was issued and the party's
     * registration and directory entry hold it: the old key listed as superseded and one ledger entry
     * {@code keys.rotate(purpose=kgc-partial-key, holderId=<scheme>/<role>/<id>, oldKeyId, newKeyId)}.
     *
     * @param listed whether the caller listed the superseded key already ({@link PartialKeyHistory#renew})
     * @return the ledger entry's index
     */
    public long record(PartialKeyRenewal.Kind kind, String partyId, String oldKeyId, String oldR, String newKeyId, byte[] newR,
                       String renewedBy, boolean listed) throws DomainException {
        if (!listed) {
            history.recordSuperseded(kind, partyId, oldKeyId, oldR, newKeyId, renewedBy, System.currentTimeMillis());
        }
        long index = ledger.submitPartialKeyRenewal(kind.holder(partyId), oldKeyId, newKeyId, newR, renewedBy).logIndex();
        history.recordLedgerIndex(kind, partyId, oldKeyId, index);
        LOG.info(() -> "KGC renewed the partial key of " + kind.holder(partyId) + ": key id " + oldKeyId + " -> " + newKeyId
                + ", ledger entry " + index + " (by " + renewedBy + ")");
        return index;
    }
}
