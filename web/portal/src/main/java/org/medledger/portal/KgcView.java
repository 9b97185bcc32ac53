package org.medledger.portal;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.List;

import org.medledger.audit.LedgerAudit;
import org.medledger.kgc.IssuedRegistration;
import org.medledger.kgc.boundary.KgcRegistrationService;

/** The KGC operator's page: registrations, the ledger directory entries they made, key ids. */
@Named
@RequestScoped
public class KgcView {

    @Inject
    KgcRegistrationService kgc;

    @EJB
    LedgerAudit audit;

    @EJB
    org.medledger.kgc.boundary.KgcKeyInventory inventory;

    private List<org.medledger.kgc.boundary.KgcKeyInventory.Key> keys;
    private List<IssuedRegistration.Record> patients;
    private List<DoctorView.Status> doctors;

    /** The KGC's keys: purpose, id, validity and rotation state (public parts only). */
    public List<org.medledger.kgc.boundary.KgcKeyInventory.Key> getKeys() {
        if (keys == null) {
            keys = inventory.keys();
        }
        return keys;
    }

    public List<IssuedRegistration.Record> getPatients() {
        if (patients == null) {
            patients = kgc.patientRegistrations(200);
        }
        return patients;
    }

    public List<DoctorView.Status> getDoctors() {
        if (doctors == null) {
            doctors = kgc.doctorRegistrations(200).stream().map(r -> {
                boolean[] m = audit.membership(r.doctorId());
                return new DoctorView.Status(r, m[0], m[1]);
            }).toList();
        }
        return doctors;
    }
}
