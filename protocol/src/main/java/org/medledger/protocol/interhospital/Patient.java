package org.medledger.protocol.interhospital;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.TrustContext;

/**
 * The patient PAT of INTER-HOSPITAL (mobile device): {@code (R_PAT, S_PAT)}, its own signing
 * and KEM keys, and the medical index of the records hospitals hold. Not thread-safe.
 */
public final class Patient {

    private final ImplicitKeyParty party;
    private final LedgerChecks ledger;
    private final List<MedicalIndexEntry> index = new ArrayList<>();

    public Patient(org.medledger.protocol.common.Environment env, TrustContext trust, PartyKeys keys, String idPat, LedgerChecks ledger) {
        this.party = new ImplicitKeyParty(env, trust, keys, idPat, InterHospitalRoles.PATIENT);
        this.ledger = Objects.requireNonNull(ledger, "Ledger checks are required.");
    }

    public String id() {
        return party.id();
    }

    public PartyKeys keys() {
        return party.keys();
    }

    /** Registration step 1 (seed 002, §3.4): {@code ID_PAT} with our own public keys. */
    public RegistrationRequest registrationRequest(String detail) {
        return party.request(detail);
    }

    /**
     * Registration step 3 (seed 002, eq. 5).
     *
     * @throws ProtocolException {@link org.medledger.protocol.common.Reason#BAD_PARTIAL_KEY} or an entry reason
     */
    public void acceptRegistration(RegistrationGrant grant) throws ProtocolException {
        party.accept(grant);
    }

    public boolean isRegistered() {
        return party.isRegistered();
    }

    public PartialKey partialKey() {
        return party.partialKey();
    }

    /** Starts a visit to hospital {@code hospitalId} (seed 002, eq. 14 or 34). */
    public PatientVisit visit(String hospitalId) throws ProtocolException {
        DirectoryEntry h = party.trust().resolve(InterHospitalRoles.SCHEME, InterHospitalRoles.HOSPITAL, hospitalId,
                party.env().freshness().now());
        return new PatientVisit(this, new Handshake.Initiator(party.env(), party.trust(), ledger, id(), InterHospitalRoles.PATIENT,
                party.partialKey(), h));
    }

    /**
     * Signs {@code S_SK_PAT(ID_HPB, record ids, expiry)}: hospital {@code holderId} may release
     * {@code diagnosisIds} to {@code recipientId} until now + {@code validity}.
     */
    public ReleaseAuthorization authorize(String recipientId, String holderId, List<String> diagnosisIds, Duration validity) {
        long exp = party.env().freshness().now() + validity.toMillis();
        byte[] sig = Ecdsa.sign(party.keys().signing(), ReleaseAuthorization.signedPart(id(), recipientId, holderId, diagnosisIds, exp));
        return new ReleaseAuthorization(id(), recipientId, holderId, diagnosisIds, exp, sig);
    }

    /**
     * The treatment relation for the ledger: lets hospital {@code hospitalId} attach records to
     * this patient ({@code mrins}) until now + {@code validity}; the device submits it as a
     * {@code consent.grant}.
     */
    public TreatmentConsent consentToTreatment(String hospitalId, Duration validity) {
        return new TreatmentConsent(id(), hospitalId, party.env().freshness().now() + validity.toMillis());
    }

    /** The medical index: which hospital holds which record. */
    public List<MedicalIndexEntry> medicalIndex() {
        return List.copyOf(index);
    }

    void remember(MedicalIndexEntry e) {
        index.add(e);
    }

    ImplicitKeyParty party() {
        return party;
    }

    @Override
    public String toString() {
        return "Patient[" + id() + "]";
    }
}
