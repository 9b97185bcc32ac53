package org.medledger.kgc.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A doctor registration issued by the KGC: public values only, written once. */
@Entity
@Table(name = "kgc_doctor_registration")
public class DoctorRegistrationEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "doctor_id", nullable = false, updatable = false, length = 128)
    private String doctorId;

    @Column(name = "r_d1", nullable = false, updatable = false, length = 200)
    private String rD1;

    @Column(name = "cert_serial", nullable = false, updatable = false, length = 80)
    private String certSerial;

    @Column(name = "cert_sha256", nullable = false, updatable = false, length = 64)
    private String certSha256;

    @Column(name = "kgc_key_id", nullable = false, updatable = false, length = 64)
    private String kgcKeyId;

    @Column(name = "registered_by", nullable = false, updatable = false, length = 128)
    private String registeredBy;

    @Column(name = "registered_at", nullable = false, updatable = false)
    private OffsetDateTime registeredAt;

    protected DoctorRegistrationEntity() {
        // for JPA
    }

    public DoctorRegistrationEntity(String doctorId, String rD1, String certSerial, String certSha256,
                                    String kgcKeyId, String registeredBy, OffsetDateTime registeredAt) {
        this.doctorId = doctorId;
        this.rD1 = rD1;
        this.certSerial = certSerial;
        this.certSha256 = certSha256;
        this.kgcKeyId = kgcKeyId;
        this.registeredBy = registeredBy;
        this.registeredAt = registeredAt;
    }
}
