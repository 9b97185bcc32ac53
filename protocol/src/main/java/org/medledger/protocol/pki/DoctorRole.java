package org.medledger.protocol.pki;

import java.security.cert.X509Certificate;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The doctor role as the medical authority writes it into {@code Cert_D}: an
 * {@code OU=doctor} attribute in the subject (PROTOCOLS.md §0 "…and the doctor role").
 * Use {@link #isPresentIn} as the role check of
 * {@link org.medledger.protocol.common.PkixCertificateVerifier}.
 */
public final class DoctorRole {

    public static final String ORGANIZATIONAL_UNIT = "doctor";

    private DoctorRole() {
    }

    public static boolean isPresentIn(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU") && ORGANIZATIONAL_UNIT.equals(rdn.getValue().toString())) {
                    return true;
                }
            }
            return false;
        } catch (InvalidNameException e) {
            return false;
        }
    }
}
