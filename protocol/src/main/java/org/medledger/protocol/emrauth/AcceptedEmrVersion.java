package org.medledger.protocol.emrauth;

import java.util.Objects;

/**
 * A doctor-signed EMR version the HPC has verified: what it persists (encrypted, by the
 * server) and the {@link IndexUpdate} to send to the public cloud.
 */
public record AcceptedEmrVersion(String idP, String idD, String idDE, byte[] content, long createdAt, byte[] doctorSignature,
                                 IndexUpdate indexUpdate) {

    public AcceptedEmrVersion {
        Objects.requireNonNull(idP, "ID_P is required.");
        Objects.requireNonNull(idD, "ID_D is required.");
        Objects.requireNonNull(idDE, "ID_DE is required.");
        content = Objects.requireNonNull(content, "Content is required.").clone();
        doctorSignature = Objects.requireNonNull(doctorSignature, "Signature is required.").clone();
        Objects.requireNonNull(indexUpdate, "Index update is required.");
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public byte[] doctorSignature() {
        return doctorSignature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AcceptedEmrVersion v && v.idP.equals(idP) && v.idD.equals(idD) && v.idDE.equals(idDE)
                && java.util.Arrays.equals(v.content, content) && v.createdAt == createdAt
                && java.util.Arrays.equals(v.doctorSignature, doctorSignature) && v.indexUpdate.equals(indexUpdate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(idP, idD, idDE, java.util.Arrays.hashCode(content), createdAt);
    }

    @Override
    public String toString() {
        return "AcceptedEmrVersion[" + idD + ", " + idDE + ", " + content.length + " bytes]";
    }
}
