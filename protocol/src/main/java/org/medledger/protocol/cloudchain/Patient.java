package org.medledger.protocol.cloudchain;

import java.util.Objects;

import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.TrustContext;

/**
 * The patient P_i of CLOUD-CHAIN, operating a {@link Smartcard} with {@code ID_i} and
 * {@code PW_i}. Trusts the NA's certification key to check medical centers' {@code Cert_j}.
 */
public final class Patient {

    private final Environment env;
    private final TrustContext trust;
    private final String idI;

    public Patient(Environment env, TrustContext trust, String idI) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.trust = Objects.requireNonNull(trust, "Trust context is required.");
        this.idI = Objects.requireNonNull(idI, "ID_i is required.");
    }

    public String id() {
        return idI;
    }

    /**
     * Registration step 1 (seed 001, §5.1.1 step 1): picks {@code a_i} and sends
     * {@code HID_i = h(a_i‖ID_i)}.
     */
    public Registration beginRegistration() {
        byte[] a = new byte[CloudChainHashes.LENGTH];
        env.random().nextBytes(a);
        SecretBytes aI = SecretBytes.copyOf(a);
        PatientEnrolment e = new PatientEnrolment(Smartcard.hid(a, idI));
        java.util.Arrays.fill(a, (byte) 0);
        return new Registration(aI, e);
    }

    /** A registration in progress: keeps {@code a_i} until the card arrives. */
    public final class Registration {
        private final SecretBytes aI;
        private final PatientEnrolment enrolment;
        private byte[] patientKey;

        private Registration(SecretBytes aI, PatientEnrolment enrolment) {
            this.aI = aI;
            this.enrolment = enrolment;
        }

        public PatientEnrolment enrolment() {
            return enrolment;
        }

        /**
         * {@code PK_i = r_i·G} once the card is personalized: the NA records it with {@code HID_i}
         * on the ledger, where it verifies the patient's {@code Sig_i} of every {@code Sc}.
         */
        public byte[] patientKey() {
            if (patientKey == null) {
                throw new IllegalStateException("The card is not personalized yet.");
            }
            return patientKey.clone();
        }

        /** Registration step 3 with default password cost and lockout. */
        public Smartcard complete(CardIssuance issuance, SecretBytes pw) {
            return complete(issuance, pw, Smartcard.DEFAULT_PASSWORD_ITERATIONS, Smartcard.DEFAULT_MAX_FAILURES);
        }

        /**
         * Registration step 3 (seed 001, §5.1.1 step 3): personalizes the card; {@code a_i}
         * and {@code x_i} are wiped afterwards.
         */
        public Smartcard complete(CardIssuance issuance, SecretBytes pw, int passwordIterations, int maxFailures) {
            try {
                Smartcard.Personalized p = Smartcard.personalize(env.curve(), idI, pw, aI, issuance.xI(), env.random(), passwordIterations,
                        maxFailures);
                patientKey = env.curve().encodePoint(p.pkI());
                return p.card();
            } finally {
                aI.destroy();
            }
        }
    }

    /**
     * Authentication step 1 (seed 001, §5.2 step 1) towards the medical center with masked
     * identity {@code pidJ}: unlocks the card and builds {@code <M_1, M_ap, T_1>}.
     *
     * @throws ProtocolException {@link Reason#WRONG_PASSWORD}, {@link Reason#CARD_LOCKED},
     *         or a directory reason for {@code Cert_j}
     */
    public PatientAuthentication authenticate(Smartcard card, SecretBytes pw, String pidJ) throws ProtocolException {
        Objects.requireNonNull(card, "Smartcard is required.");
        DirectoryEntry certJ = trust.resolve(CloudChainRoles.SCHEME, CloudChainRoles.MEDICAL_CENTER, pidJ, env.freshness().now());
        CardSecrets secrets = card.unlock(idI, pw);
        return PatientAuthentication.start(env, certJ, secrets);
    }

    @Override
    public String toString() {
        return "Patient[" + idI + "]";
    }
}
