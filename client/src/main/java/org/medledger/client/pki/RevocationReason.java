package org.medledger.client.pki;

import java.util.Locale;

import org.bouncycastle.asn1.x509.CRLReason;

/** CRLReason codes (RFC 5280 §5.3.1) the authority uses, with CLI names such as {@code key-compromise}. */
public enum RevocationReason {
    UNSPECIFIED(CRLReason.unspecified),
    KEY_COMPROMISE(CRLReason.keyCompromise),
    CA_COMPROMISE(CRLReason.cACompromise),
    AFFILIATION_CHANGED(CRLReason.affiliationChanged),
    SUPERSEDED(CRLReason.superseded),
    CESSATION_OF_OPERATION(CRLReason.cessationOfOperation),
    CERTIFICATE_HOLD(CRLReason.certificateHold),
    PRIVILEGE_WITHDRAWN(CRLReason.privilegeWithdrawn);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The RFC 5280 reason code. */
    public int code() {
        return code;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts {@code key-compromise}, {@code keyCompromise} and {@code KEY_COMPROMISE}. */
    public static RevocationReason parse(String text) {
        String wanted = text.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
        for (RevocationReason r : values()) {
            if (r.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown revocation reason: " + text);
    }
}
