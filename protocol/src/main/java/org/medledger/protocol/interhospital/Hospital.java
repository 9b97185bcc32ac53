package org.medledger.protocol.interhospital;

import java.util.Objects;

import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.TrustContext;

/**
 * A hospital of INTER-HOSPITAL; "hospital A" and "hospital B" are roles of this class.
 * Holds {@code (R_H, S_H)} and its own signing and KEM keys.
 */
public final class Hospital {

    private final ImplicitKeyParty party;
    private final LedgerChecks ledger;

    public Hospital(Environment env, TrustContext trust, PartyKeys keys, String idH, LedgerChecks ledger) {
        this.party = new ImplicitKeyParty(env, trust, keys, idH, InterHospitalRoles.HOSPITAL);
        this.ledger = Objects.requireNonNull(ledger, "Ledger checks are required.");
    }

    public String id() {
        return party.id();
    }

    public PartyKeys keys() {
        return party.keys();
    }

    /** Registration step 1 (seed 002, §3.5). */
    public RegistrationRequest registrationRequest(String detail) {
        return party.request(detail);
    }

    /** Registration step 3 (seed 002, eq. 9 / 13). */
    public void acceptRegistration(RegistrationGrant grant) throws ProtocolException {
        party.accept(grant);
    }

    public boolean isRegistered() {
        return party.isRegistered();
    }

    public PartialKey partialKey() {
        return party.partialKey();
    }

    /**
     * Step 2 towards a patient or another hospital (seed 002, eq. 15–20, 35–40, 51–56).
     *
     * @throws ProtocolException freshness, decryption, point, directory or replay reasons
     */
    public HospitalSession accept(HandshakeHello hello) throws ProtocolException {
        Handshake.Responder r = Handshake.Responder.accept(party.env(), party.trust(), ledger, id(), party.partialKey(),
                party.keys().kem(), hello);
        return new HospitalSession(this, r);
    }

    /** Resumes a session exported with {@link HospitalSession#export}. */
    public HospitalSession resume(org.medledger.protocol.common.SessionSealer sealer, String sessionId, byte[] sealed)
            throws ProtocolException {
        return HospitalSession.resume(this, sealer, sessionId, sealed);
    }

    /** As hospital B: opens a session with the holding hospital {@code holderId} (seed 002, eq. 50). */
    public HospitalLink connect(String holderId) throws ProtocolException {
        DirectoryEntry h = party.trust().resolve(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, holderId,
                party.env().freshness().now());
        return new HospitalLink(this, new Handshake.Initiator(party.env(), party.trust(), ledger, id(), InterHospitalRoles.HOSPITAL,
                party.partialKey(), h));
    }

    /** This hospital's certified directory entry ({@code Cert_H}). */
    DirectoryEntry certificate() throws ProtocolException {
        return party.trust().resolve(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, id(), party.env().freshness().now());
    }

    ImplicitKeyParty party() {
        return party;
    }

    LedgerChecks ledger() {
        return ledger;
    }

    @Override
    public String toString() {
        return "Hospital[" + id() + "]";
    }
}
