package org.medledger.consent;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;

import org.medledger.consensus.LedgerNode;
import org.medledger.consensus.LedgerRecord;
import org.medledger.kgc.entity.PatientRegistrations;
import org.medledger.ledger.crypto.P256SignatureScheme;
import org.medledger.ledger.member.MemberCertificate;
import org.medledger.ledger.member.MemberDirectory;
import org.medledger.ledger.member.Role;
import org.medledger.platform.DomainException;

/**
 * A patient's consent key: the P-256 key its consent transactions are signed with, created by the
 * patient (in the browser, WebCrypto non-extractable, or on the device client) and never seen by
 * the server. Registering it makes the patient a ledger member: the KGC certifies the public key
 * ({@link MemberCertificate}) in a {@code member.register} entry, after the authenticated patient,
 * registered with the KGC, proved possession of the key. The device client's key certification
 * ({@code PublicCloudService.certifyParty}) makes the same membership; with the same key it adopts
 * this one.
 */
@Stateless
public class ConsentKeys {

    private static final Logger LOG = Logger.getLogger(ConsentKeys.class.getName());
    /** How far the proof's time may be from the server's clock. */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    /** How long the KGC certifies a consent key. */
    static final Duration VALIDITY = Duration.ofDays(365);

    @EJB
    LedgerNode ledger;

    @Inject
    PatientRegistrations patients;

    @Resource
    SessionContext context;

    /** A consent key on the ledger: the public key and where its certificate is in the log. */
    public record Registered(byte[] publicKey, long notBefore, long notAfter, long logIndex) {
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    /**
     * Registers the caller's consent key (SEC1 compressed P-256): refused unless the caller is a
     * KGC-registered patient, {@code proof} is the key's signature over
     * {@link ConsentKeyProof#message} within {@link #MAX_SKEW} of now, and the caller has no other consent
     * key on the ledger.
     */
    @RolesAllowed("patient")
    public LedgerRecord register(byte[] publicKey, long signedAt, byte[] proof) throws DomainException {
        String patient = context.getCallerPrincipal().getName();
        if (publicKey == null || !P256SignatureScheme.INSTANCE.isValidPublicKey(publicKey)) {
            throw new DomainException(DomainException.Kind.INVALID, "INVALID_KEY",
                    "the consent key must be a compressed P-256 point");
        }
        if (!patients.exists(patient)) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "NOT_REGISTERED",
                    "patient " + patient + " is not registered with the KGC");
        }
        long now = System.currentTimeMillis();
        if (Math.abs(now - signedAt) > MAX_SKEW.toMillis()) {
            throw new DomainException(DomainException.Kind.INVALID, "STALE_PROOF",
                    "the proof of possession must be signed within " + MAX_SKEW.toMinutes() + " minutes of the server's clock");
        }
        if (proof == null || !P256SignatureScheme.INSTANCE.verify(publicKey, ConsentKeyProof.message(patient, publicKey, signedAt), proof)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "NO_PROOF_OF_POSSESSION",
                    "the request is not signed by the consent key");
        }
        Optional<Registered> existing = own();
        if (existing.isPresent() && !Arrays.equals(existing.get().publicKey(), publicKey)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "CONSENT_KEY_EXISTS",
                    "you already have a consent key on the ledger (created " + java.time.Instant.ofEpochMilli(
                            existing.get().notBefore()) + "); sign your consents where it is kept");
        }
        LedgerRecord r = ledger.registerMember(patient, Role.PATIENT, publicKey, now, now + VALIDITY.toMillis(), patient);
        LOG.info(() -> "Consent key of patient " + patient + " certified on the ledger at index " + r.logIndex());
        return r;
    }

    /** The caller's consent key on the ledger, if it has one and it is not revoked. */
    @RolesAllowed("patient")
    public Optional<Registered> own() {
        String patient = context.getCallerPrincipal().getName();
        if (ledger.isRevoked(patient)) {
            return Optional.empty();
        }
        return ledger.state(MemberDirectory.NS_MEMBER, patient).flatMap(v -> {
            MemberCertificate c = MemberCertificate.decode(v.value());
            return c.role() == Role.PATIENT
                    ? Optional.of(new Registered(c.publicKey().toArray(), c.notBefore(), c.notAfter(), v.version() - 1))
                    : Optional.empty();
        });
    }
}
