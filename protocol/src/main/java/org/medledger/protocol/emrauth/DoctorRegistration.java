package org.medledger.protocol.emrauth;

import java.util.Arrays;
import java.util.Objects;

import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;

/**
 * Doctor → PC over the secure channel: {@code (ID_D, Cert_D)} (seed 000, doctor registration
 * step 1). {@code Cert_D} is the DER X.509 certificate from the medical authority.
 */
public record DoctorRegistration(String idD, byte[] certD) {

    static final String LABEL = "EMR-AUTH/DoctorRegistration";

    public DoctorRegistration {
        Objects.requireNonNull(idD, "ID_D is required.");
        Objects.requireNonNull(certD, "Cert_D is required.");
        if (idD.isEmpty() || certD.length == 0) {
            throw new IllegalArgumentException("ID_D and Cert_D must not be empty.");
        }
        certD = certD.clone();
    }

    @Override
    public byte[] certD() {
        return certD.clone();
    }

    public byte[] encode() {
        return LabelledEncoder.of(LABEL).utf8(idD).bytes(certD).toByteArray();
    }

    public static DoctorRegistration decode(byte[] encoded) throws ProtocolException {
        LabelledDecoder d = LabelledDecoder.open(encoded, LABEL);
        String id = d.utf8();
        byte[] cert = d.bytes();
        d.finish();
        if (id.isEmpty() || cert.length == 0) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "empty ID_D or Cert_D");
        }
        return new DoctorRegistration(id, cert);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DoctorRegistration && ((DoctorRegistration) o).idD.equals(idD)
                && Arrays.equals(((DoctorRegistration) o).certD, certD);
    }

    @Override
    public int hashCode() {
        return idD.hashCode() * 31 + Arrays.hashCode(certD);
    }

    @Override
    public String toString() {
        return "DoctorRegistration[ID_D=" + idD + ", Cert_D=" + certD.length + " bytes]";
    }
}
