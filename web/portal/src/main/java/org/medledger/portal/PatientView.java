package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;
import java.util.Optional;

import org.medledger.emrauth.RecordLocations;
import org.medledger.interhospital.InterHospitalKeyRenewal;

import org.medledger.kgc.IssuedRegistration;
import org.medledger.kgc.boundary.KgcRegistrationService;
import org.medledger.platform.DomainException;

/**
 * The signed-in patient's registration with the KGC (EMR-AUTH, and INTER-HOSPITAL where the patient
 * registered here), each with its renewal notice after a KGC key rotation, and where its records are.
 */
@Named
@RequestScoped
public class PatientView {

    @Inject
    KgcRegistrationService kgc;

    @EJB
    RecordLocations locations;

    @EJB
    InterHospitalKeyRenewal interHospitalRenewal;

    private Optional<IssuedRegistration.Record> registration;
    private Optional<InterHospitalKeyRenewal.State> interHospital;
    private List<RecordLocations.Version> versions;

    /** The patient's EMR versions by hospital and department (no content). */
    public List<RecordLocations.Version> getLocations() {
        if (versions == null) {
            versions = locations.own();
        }
        return versions;
    }

    /** A time (epoch milliseconds) as the page shows it, UTC to the second. */
    public String time(long epochMillis) {
        return java.time.Instant.ofEpochMilli(epochMillis).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    public IssuedRegistration.Record getRegistration() {
        if (registration == null) {
            try {
                registration = Optional.of(kgc.registration(Outcomes.user()));
            } catch (DomainException e) {
                registration = Optional.empty();
            }
        }
        return registration.orElse(null);
    }

    public boolean isRegistered() {
        return getRegistration() != null;
    }

    /** Whether the patient's partial key was issued under an older KGC key id (renewal due after a rotation). */
    public boolean isRenewalDue() throws DomainException {
        return isRegistered() && !getRegistration().kgcKeyId().equals(kgc.currentKeyId());
    }

    /** The patient's INTER-HOSPITAL partial key as registered here (its key id, current or not), or null. */
    public InterHospitalKeyRenewal.State getInterHospital() {
        if (interHospital == null) {
            try {
                interHospital = Optional.of(interHospitalRenewal.patientState(Outcomes.user()));
            } catch (DomainException e) {
                interHospital = Optional.empty();
            }
        }
        return interHospital.orElse(null);
    }

    /** Whether the patient's INTER-HOSPITAL partial key was issued under an older KGC key id (its device renews it). */
    public boolean isInterHospitalRenewalDue() {
        InterHospitalKeyRenewal.State st = getInterHospital();
        return st != null && st.kgcKeyId() != null && !st.current();
    }
}
