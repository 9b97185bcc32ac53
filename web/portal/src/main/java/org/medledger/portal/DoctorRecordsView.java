package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.Part;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.medledger.doctorcustody.DoctorCustodyService;
import org.medledger.emrauth.HospitalClouds;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/**
 * A doctor's records in the portal with its EMR-AUTH keys in portal custody
 * ({@link DoctorCustodyService}): creating the keys (opt-in), reading a patient's record for a
 * department (EMR search; the FHIR record is rendered by the browser for a person) and writing a
 * diagnosis as a new EMR version. Every protocol step runs in the EJBs the REST API uses.
 */
@Named
@RequestScoped
public class DoctorRecordsView {

    @EJB
    DoctorCustodyService custody;

    @EJB
    HospitalClouds clouds;

    @Inject
    KgcRegistrationService kgc;

    private Optional<DoctorCustodyService.Custody> current;
    private Part certificate;
    private String hospitalId;
    private String patientId;
    private String departmentId;
    private String diagnosis;
    private DoctorCustodyService.Read read;
    private String consultPatient;
    private String consultSession;
    private String signal;

    public DoctorCustodyService.Custody getCustody() {
        if (current == null) {
            try {
                current = custody.custody(Outcomes.user());
            } catch (DomainException e) {
                current = Optional.empty();
            }
        }
        return current.orElse(null);
    }

    public boolean isInCustody() {
        return getCustody() != null;
    }

    /** Registered with the KGC from a device (its keys there), not in custody. */
    public boolean isOnDevice() {
        if (isInCustody()) {
            return false;
        }
        try {
            kgc.doctorRegistration(Outcomes.user());
            return true;
        } catch (DomainException e) {
            return false;
        }
    }

    public List<HospitalClouds.Cloud> getHospitals() {
        return clouds.registered().stream().filter(c -> "active".equals(c.state())).toList();
    }

    public String time(long epochMillis) {
        return java.time.Instant.ofEpochMilli(epochMillis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** Creates the doctor's keys in the custody of the chosen hospital's key store. */
    public void createKeys() {
        boolean hospitalOk = hospitalId != null && !hospitalId.isBlank();
        if (!hospitalOk) {
            Outcomes.invalid("keys:hospital", "Choose the hospital whose key store keeps your keys.");
        }
        byte[] der = CertificateUpload.der(certificate, "keys:certificate",
                "Choose your medical-authority certificate (PEM or DER file; the public certificate, not its key).");
        if (!hospitalOk || der == null) {
            return;
        }
        try {
            DoctorCustodyService.Custody c = custody.create(Outcomes.user(), der, hospitalId);
            current = Optional.of(c);
            Outcomes.done("Your EMR-AUTH keys were created in the key store of " + c.hospitalId()
                    + " and registered with the key generation center; each use will be an entry on the ledger.");
        } catch (DomainException e) {
            Outcomes.refused("keys:certificate", e);
        }
    }

    /** Reads the patient's record for the department (EMR search). */
    public void readRecord() {
        if (!ids("find")) {
            return;
        }
        try {
            read = custody.read(Outcomes.user(), patientId, departmentId);
            if (read.released()) {
                Outcomes.done("Record of " + patientId + " (" + departmentId + ") released by " + read.hospitalId()
                        + " after its access entry " + read.logIndex() + " was on the ledger.");
            } else {
                Outcomes.refused("find:patient", new DomainException(DomainException.Kind.FORBIDDEN, read.reason(),
                        "Refused by " + read.hospitalId() + "; the refusal is ledger entry " + read.logIndex()));
                read = null;
            }
        } catch (DomainException e) {
            Outcomes.refused("find:patient", e);
        }
    }

    /** Writes the diagnosis as a new EMR version. */
    public void writeDiagnosis() {
        boolean ok = ids("diagnose");
        if (diagnosis == null || diagnosis.isBlank()) {
            Outcomes.invalid("diagnose:diagnosis", "Enter the diagnosis.");
            ok = false;
        } else if (diagnosis.length() > DoctorCustodyService.MAX_DIAGNOSIS) {
            Outcomes.invalid("diagnose:diagnosis", "The diagnosis is longer than " + DoctorCustodyService.MAX_DIAGNOSIS
                    + " characters.");
            ok = false;
        }
        if (!ok) {
            return;
        }
        try {
            DoctorCustodyService.Written w = custody.writeDiagnosis(Outcomes.user(), patientId, departmentId, diagnosis);
            Outcomes.done("Diagnosis written as a new EMR version of " + patientId + " (" + departmentId + ") at "
                    + w.hospitalId() + ": " + w.resources() + " resources; key use on the ledger at entry "
                    + w.keyUseIndex() + ".");
            diagnosis = null;
        } catch (DomainException e) {
            Outcomes.refused("diagnose:diagnosis", e);
        }
    }

    /** Answers the consultation request the patient's device left for this doctor. */
    public void answerConsultation() {
        if (consultPatient == null || !KgcRegistrationService.PARTY_ID.matcher(consultPatient).matches()) {
            Outcomes.invalid("answer:patient", "Enter the patient's identifier: letters, digits, '.', '_', '@' or '-'.");
            return;
        }
        try {
            DoctorCustodyService.Consultation c = custody.answerConsultation(Outcomes.user(), consultPatient);
            consultSession = c.sessionId();
            Outcomes.done("Consultation with " + consultPatient + " answered: the patient was authenticated and a session "
                    + "key agreed. Waiting for the patient's message.");
        } catch (DomainException e) {
            Outcomes.refused("answer:patient", e);
        }
    }

    /** Reads the patient's message (signal) once it has arrived. */
    public void checkSignal() {
        try {
            DoctorCustodyService.Consultation c = custody.readSignal(Outcomes.user(), consultSession, consultPatient);
            consultSession = c.sessionId();
            signal = c.signal();
            Outcomes.done(signal == null ? "No message from " + consultPatient + " yet; check again in a moment."
                    : "Message from " + consultPatient + " received.");
        } catch (DomainException e) {
            consultSession = null;
            Outcomes.refused(e);
        }
    }

    /** Sends the consultation's diagnosis to the patient and stores it as a new EMR version. */
    public void sendDiagnosis() {
        boolean ok = true;
        if (departmentId == null || !KgcRegistrationService.PARTY_ID.matcher(departmentId).matches()) {
            Outcomes.invalid("reply:department", "Enter the department, e.g. cardiology.");
            ok = false;
        }
        if (diagnosis == null || diagnosis.isBlank() || diagnosis.length() > DoctorCustodyService.MAX_DIAGNOSIS) {
            Outcomes.invalid("reply:diagnosis", "Enter the diagnosis (at most " + DoctorCustodyService.MAX_DIAGNOSIS
                    + " characters).");
            ok = false;
        }
        if (!ok) {
            return;
        }
        try {
            DoctorCustodyService.Written w = custody.diagnoseConsultation(Outcomes.user(), consultSession, consultPatient,
                    departmentId, diagnosis);
            Outcomes.done("Diagnosis sent to " + consultPatient + " and written as a new EMR version at " + w.hospitalId()
                    + ".");
            consultSession = null;
            signal = null;
            diagnosis = null;
        } catch (DomainException e) {
            consultSession = null;
            signal = null;
            Outcomes.refused(e);
        }
    }

    /** A consultation is open (also while its form is being posted). */
    public boolean isConsultationOpen() {
        return consultSession != null || posted("signal");
    }

    /** The patient's message was read (also while the reply form is being posted). */
    public boolean isSignalRead() {
        return signal != null || posted("reply");
    }

    /** While a postback of {@code form} is decoded (not when the answer is rendered). */
    private static boolean posted(String form) {
        jakarta.faces.context.FacesContext ctx = jakarta.faces.context.FacesContext.getCurrentInstance();
        return ctx.getCurrentPhaseId() != jakarta.faces.event.PhaseId.RENDER_RESPONSE
                && ctx.getExternalContext().getRequestParameterMap().containsKey(form);
    }

    public String getConsultPatient() {
        return consultPatient;
    }

    public void setConsultPatient(String consultPatient) {
        this.consultPatient = consultPatient == null ? null : consultPatient.strip();
    }

    public String getConsultSession() {
        return consultSession;
    }

    public void setConsultSession(String consultSession) {
        this.consultSession = consultSession == null || consultSession.isBlank() ? null : consultSession.strip();
    }

    public String getSignal() {
        return signal;
    }

    private boolean ids(String form) {
        boolean ok = true;
        if (patientId == null || !KgcRegistrationService.PARTY_ID.matcher(patientId).matches()) {
            Outcomes.invalid(form + ":patient", "Enter the patient's identifier: letters, digits, '.', '_', '@' or '-'.");
            ok = false;
        }
        if (departmentId == null || !KgcRegistrationService.PARTY_ID.matcher(departmentId).matches()) {
            Outcomes.invalid(form + ":department", "Enter the department, e.g. cardiology.");
            ok = false;
        }
        return ok;
    }

    /** The released record (FHIR R4 JSON) for the browser to render, or null. */
    public String getRecordJson() {
        return read == null || read.content() == null ? null : new String(read.content(), StandardCharsets.UTF_8);
    }

    public DoctorCustodyService.Read getRead() {
        return read;
    }

    public Part getCertificate() {
        return certificate;
    }

    public void setCertificate(Part certificate) {
        this.certificate = certificate;
    }

    public String getHospitalId() {
        return hospitalId;
    }

    public void setHospitalId(String hospitalId) {
        this.hospitalId = hospitalId == null ? null : hospitalId.strip();
    }

    public String getPatientId() {
        return patientId;
    }

    public void setPatientId(String patientId) {
        this.patientId = patientId == null ? null : patientId.strip();
    }

    public String getDepartmentId() {
        return departmentId;
    }

    public void setDepartmentId(String departmentId) {
        this.departmentId = departmentId == null ? null : departmentId.strip();
    }

    public String getDiagnosis() {
        return diagnosis;
    }

    public void setDiagnosis(String diagnosis) {
        this.diagnosis = diagnosis;
    }
}
