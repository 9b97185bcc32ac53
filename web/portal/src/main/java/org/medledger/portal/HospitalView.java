package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.Part;

import java.util.List;

import org.medledger.audit.LedgerAudit;
import org.medledger.audit.LedgerHealth;
import org.medledger.audit.LedgerVerificationRun;
import org.medledger.audit.VerificationStatus;
import org.medledger.consensus.LedgerRecord;
import org.medledger.emrauth.HospitalCloudService;
import org.medledger.emrauth.HospitalClouds;
import org.medledger.interhospital.InterHospitalKeyRenewal;
import org.medledger.interhospital.ServedHospitals;
import org.medledger.kgc.entity.PartialKeyHistory;
import org.medledger.kgc.IssuedRegistration.DoctorRecord;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/**
 * Hospital IT: the doctors registered with the KGC and their ledger membership, recording a
 * medical authority's revocation (its evidence: the revoked certificate, checked against the
 * authority's CRL and OCSP by the same EJB the REST API uses), node and ledger health, the consortium's members,
 * the INTER-HOSPITAL hospitals served here with the KGC key id of their partial key and its renewal
 * after a KGC rotation ({@link InterHospitalKeyRenewal}, as {@code POST .../partial-key/renewal}).
 */
@Named
@RequestScoped
public class HospitalView {

    @Inject
    KgcRegistrationService kgc;

    @EJB
    LedgerAudit audit;

    @EJB
    LedgerVerificationRun verification;

    @EJB
    HospitalCloudService hospitalClouds;

    @EJB
    HospitalClouds clouds;

    @EJB
    org.medledger.kgc.boundary.HospitalCloudRenewal renewals;

    @EJB
    org.medledger.consensus.ConsortiumMembers consortiumMembers;

    @EJB
    ServedHospitals servedHospitals;

    @EJB
    InterHospitalKeyRenewal interHospitalRenewal;

    private org.medledger.consensus.ConsortiumMembers.View consortium;
    private List<InterHospital> interHospital;

    private String hospitalId;
    private List<HospitalClouds.Cloud> cloudList;
    private String doctorId;
    private Part certificate;
    private List<DoctorView.Status> doctors;

    public String getHospitalId() {
        return hospitalId;
    }

    public void setHospitalId(String hospitalId) {
        this.hospitalId = hospitalId == null ? null : hospitalId.strip();
    }

    /** The hospital clouds registered on this server, newest first. */
    public List<HospitalClouds.Cloud> getClouds() {
        if (cloudList == null) {
            cloudList = clouds.registered();
        }
        return cloudList;
    }

    /** The consortium's members as this node sees them (the same EJB as {@code GET /api/consortium/members}). */
    public org.medledger.consensus.ConsortiumMembers.View getConsortium() {
        if (consortium == null) {
            consortium = consortiumMembers.view();
        }
        return consortium;
    }

    /** An instant as the page shows it, UTC to the second; a dash when absent. */
    public String instant(java.time.Instant at) {
        return at == null ? "—" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** A time (epoch milliseconds) as the page shows it, UTC to the second. */
    public String time(long epochMillis) {
        return java.time.Instant.ofEpochMilli(epochMillis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /**
     * Registers a hospital private cloud (EMR-AUTH eq. 5–7): its keys are generated here and kept in
     * the hospital key store, the KGC certifies its public keys and makes it a ledger member.
     */
    public void registerCloud() {
        if (hospitalId == null || !KgcRegistrationService.PARTY_ID.matcher(hospitalId).matches()) {
            Outcomes.invalid("cloud:hospitalId", "Enter the hospital cloud's identifier: letters, digits, '.', '_', '@' or '-'.");
            return;
        }
        try {
            HospitalCloudService.Registered r = hospitalClouds.register(hospitalId, Outcomes.user());
            cloudList = null;
            Outcomes.done("Hospital cloud " + r.hospitalId() + " registered: its keys are in the hospital key store and it "
                    + "is a ledger member (entry " + r.ledgerLogIndex() + ").");
            hospitalId = null;
        } catch (DomainException e) {
            Outcomes.refused("cloud:hospitalId", e);
        }
    }

    /** After a KGC master key rotation: renews the hospital cloud's partial key under the current KGC key id. */
    public void renewCloud() {
        if (hospitalId == null || !KgcRegistrationService.PARTY_ID.matcher(hospitalId).matches()) {
            Outcomes.invalid("cloud:hospitalId", "Enter the hospital cloud's identifier: letters, digits, '.', '_', '@' or '-'.");
            return;
        }
        try {
            org.medledger.kgc.boundary.HospitalCloudRenewal.Renewed r = renewals.renew(hospitalId, Outcomes.user());
            Outcomes.done("Hospital cloud " + r.hospitalId() + " renewed under KGC key id " + r.keyId() + " (was "
                    + r.previousKeyId() + "): ledger entry " + r.logIndex() + ".");
            hospitalId = null;
        } catch (DomainException e) {
            Outcomes.refused("cloud:hospitalId", e);
        }
    }

    /**
     * An INTER-HOSPITAL hospital served here: who registered it and when, the KGC key id its partial
     * key was issued under ({@code null} when it cannot be read), whether that key is current or due
     * for renewal, the partial keys it held before (public facts only), or why its keys cannot be read.
     */
    public record InterHospital(String hospitalId, String registeredBy, long registeredAt, String kgcKeyId, boolean current,
                                List<PartialKeyHistory.Superseded> superseded, String problem) {

        public boolean renewalDue() {
            return kgcKeyId != null && !current;
        }

        /** The state as the page words it. */
        public String state() {
            return problem != null ? "keys unavailable: " + problem : current ? "current" : "renewal due";
        }
    }

    /** The INTER-HOSPITAL hospitals served here, by identifier, each with where its partial key stands. */
    public List<InterHospital> getInterHospital() {
        if (interHospital == null) {
            interHospital = servedHospitals.registered().stream().map(this::interHospital).toList();
        }
        return interHospital;
    }

    private InterHospital interHospital(ServedHospitals.Served h) {
        try {
            InterHospitalKeyRenewal.State st = interHospitalRenewal.hospitalState(h.hospitalId());
            return new InterHospital(h.hospitalId(), h.registeredBy(), h.registeredAt(), st.kgcKeyId(), st.current(),
                    newestFirst(st.superseded()), null);
        } catch (DomainException e) {
            return new InterHospital(h.hospitalId(), h.registeredBy(), h.registeredAt(), null, false, List.of(),
                    e.getMessage() + " (" + e.code() + ")");
        }
    }

    private static <T> List<T> newestFirst(List<T> oldestFirst) {
        java.util.ArrayList<T> l = new java.util.ArrayList<>(oldestFirst);
        java.util.Collections.reverse(l);
        return l;
    }

    /**
     * After a KGC master key rotation: renews the INTER-HOSPITAL hospital's partial key with the
     * proof its key store's {@code S_H} signs, through the same EJB call as the REST API and the CLI
     * (only the administrator who registered it; one ledger entry).
     */
    public void renewInterHospital() {
        // the row's own hidden field names the hospital (not the row's position, which may have moved since)
        String interHospitalId = jakarta.faces.context.FacesContext.getCurrentInstance().getExternalContext()
                .getRequestParameterMap().get("ih-hospital");
        if (interHospitalId == null || !KgcRegistrationService.PARTY_ID.matcher(interHospitalId).matches()) {
            Outcomes.invalid(null, "Choose the hospital to renew from the list.");
            return;
        }
        try {
            InterHospitalKeyRenewal.HospitalRenewed r = interHospitalRenewal.renewHospital(interHospitalId, Outcomes.user());
            interHospital = null;
            Outcomes.done("Hospital " + r.hospitalId() + " renewed: its INTER-HOSPITAL partial key is now issued under KGC key id "
                    + r.kgcKeyId() + " (was " + r.previousKeyId() + "); ledger entry " + r.logIndex() + ".");
        } catch (DomainException e) {
            Outcomes.refused(e);
        }
    }

    public String getDoctorId() {
        return doctorId;
    }

    public void setDoctorId(String doctorId) {
        this.doctorId = doctorId == null ? null : doctorId.strip();
    }

    public Part getCertificate() {
        return certificate;
    }

    public void setCertificate(Part certificate) {
        this.certificate = certificate;
    }

    /** Every registered doctor (newest first) with its ledger membership. */
    public List<DoctorView.Status> getDoctors() {
        if (doctors == null) {
            doctors = kgc.doctorRegistrations(200).stream().map(this::status).toList();
        }
        return doctors;
    }

    private DoctorView.Status status(DoctorRecord r) {
        boolean[] m = audit.membership(r.doctorId());
        return new DoctorView.Status(r, m[0], m[1]);
    }

    public LedgerHealth getHealth() {
        return audit.health();
    }

    public VerificationStatus getVerification() {
        return verification.status();
    }

    /** Records the authority's revocation of the certificate {@code doctorId} registered with. */
    public void recordRevocation() {
        boolean idOk = doctorId != null && KgcRegistrationService.PARTY_ID.matcher(doctorId).matches();
        if (!idOk) {
            Outcomes.invalid("revocation:doctorId", "Enter the doctor's identifier: letters, digits, '.', '_', '@' or '-'.");
        }
        byte[] der = certificateDer();
        if (!idOk || der == null) {
            return;
        }
        try {
            LedgerRecord r = kgc.recordDoctorRevocation(doctorId, der, Outcomes.user());
            Outcomes.done("Revocation of " + doctorId + " recorded on the ledger: entry " + r.logIndex()
                    + ", tree size " + r.treeSize() + ".");
            doctors = null;
        } catch (DomainException e) {
            Outcomes.refused("revocation:certificate", e);
        }
    }

    /** The uploaded certificate as DER (PEM or DER accepted), or null with a message beside the field. */
    private byte[] certificateDer() {
        return CertificateUpload.der(certificate, "revocation:certificate", "Choose the doctor's revoked certificate (PEM or DER file).");
    }
}
