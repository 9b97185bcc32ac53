package org.medledger.kgc.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/**
 * A patient registration issued by the KGC. Only public values: never {@code S_P}, never
 * {@code B_P}. Rows are written once and never updated.
 */
@Entity
@Table(name = "kgc_patient_registration")
public class PatientRegistrationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "patient_id", nullable = false, updatable = false, length = 128)
    private String patientId;

    /** {@code R_P1}, SEC1 compressed, base64. */
    @Column(name = "r_p1", nullable = false, updatable = false, length = 200)
    private String rP1;

    @Column(name = "kgc_key_id", nullable = false, updatable = false, length = 64)
    private String kgcKeyId;

    @Column(name = "registered_by", nullable = false, updatable = false, length = 128)
    private String registeredBy;

    @Column(name = "registered_at", nullable = false, updatable = false)
    private OffsetDateTime registeredAt;

    protected PatientRegistrationEntity() {
        // for JPA
    }

    public PatientRegistrationEntity(String patientId, String rP1, String kgcKeyId, String registeredBy,
                                     OffsetDateTime registeredAt) {
        this.patientId = patientId;
        this.rP1 = rP1;
        this.kgcKeyId = kgcKeyId;
        this.registeredBy = registeredBy;
        this.registeredAt = registeredAt;
    }

    public Long id() {
        return id;
    }

    public String patientId() {
        return patientId;
    }

    public String rP1() {
        return rP1;
    }

    public String kgcKeyId() {
        return kgcKeyId;
    }

    public String registeredBy() {
        return registeredBy;
    }

    public OffsetDateTime registeredAt() {
        return registeredAt;
    }
}
