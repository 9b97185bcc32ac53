package org.medledger.protocol.interhospital;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.KemKeyPair;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.TrustContext;

/**
 * The implicit-key handshake INTER-HOSPITAL runs three times (PAT↔HPA eq. 14–29, PAT↔HPB
 * eq. 34–49, HPB↔HPA eq. 50–65): the initiator X with {@code (R_X, S_X)} and ephemeral
 * {@code a}, the hospital H with {@code (R_H, S_H)} and ephemeral {@code b}:
 * {@code K1 = S_H·T_X + b·PK_X = S_X·T_H + a·PK_H}, {@code K2 = b·T_X = a·T_H},
 * {@code SEK = H2(K1, K2)}, confirmed both ways with {@code H3}.
 */
final class Handshake {

    static final String HELLO = "INTER-HOSPITAL/eq14/hello";
    static final String C = "INTER-HOSPITAL/eq26/c";

    private Handshake() {
    }

    static void requireCertifiedPoint(DirectoryEntry e, ECPoint r) throws ProtocolException {
        if (e.partialKeyPoint().isEmpty() || !e.partialKeyPoint().get().equals(r)) {
            throw new ProtocolException(Reason.BAD_PARTIAL_KEY, "R_X is not the one the center certified");
        }
    }

    static void requireLedger(LedgerChecks ledger, ContractQuery q) throws ProtocolException {
        if (!ledger.holds(q)) {
            throw new ProtocolException(Reason.UNKNOWN_PARTY, q.contract() + " does not hold");
        }
    }

    /** The initiating side (patient or requesting hospital). */
    static final class Initiator {
        private final Environment env;
        private final CurveProfile c;
        private final TrustContext trust;
        private final LedgerChecks ledger;
        private final String idX;
        private final PartialKey own;
        private final DirectoryEntry responder;
        private final SecretScalar a;
        private final ECPoint tX;
        private final HandshakeHello hello;
        private SecretBytes sek;
        private ECPoint tH;

        Initiator(Environment env, TrustContext trust, LedgerChecks ledger, String idX, String roleX, PartialKey own, DirectoryEntry responder) {
            this.env = env;
            this.c = env.curve();
            this.trust = trust;
            this.ledger = ledger;
            this.idX = idX;
            this.own = own;
            this.responder = responder;
            this.a = SecretScalar.random(c, env.random());
            // T_X = a·P  (seed 002, eq. 14, 34, 50)
            this.tX = a.publicPoint();
            long ts = env.freshness().now();
            byte[] plain = LabelledEncoder.of(HELLO + "/plain").utf8(idX).utf8(roleX).point(c, own.publicPoint()).point(c, tX)
                    .int64(ts).utf8(responder.partyId()).toByteArray();
            // (ID_X, R_X, T_X) sent encrypted to the hospital (erratum 2)
            this.hello = new HandshakeHello(Hpke.seal(responder.kemKey(), HELLO, null, plain, env.random()), ts);
        }

        HandshakeHello hello() {
            return hello;
        }

        String responderId() {
            return responder.partyId();
        }

        DirectoryEntry responder() {
            return responder;
        }

        /** Step 3, key part (seed 002, eq. 21–25, 41–45, 57–61). */
        void onChallenge(HandshakeChallenge ch) throws ProtocolException {
            if (sek != null) {
                throw new IllegalStateException("Handshake already completed.");
            }
            env.freshness().requireFresh(ch.ts());
            String idH = new String(ch.responderId(), StandardCharsets.UTF_8);
            if (!idH.equals(responder.partyId())) {
                throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "challenge from another hospital");
            }
            ECPoint rH = c.decodePoint(ch.rH());
            ECPoint tHp = c.decodePoint(ch.tH());
            if (ch.chk().length != CheckValues.LENGTH) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "CHK has the wrong length");
            }
            requireCertifiedPoint(responder, rH);
            // PK_H = R_H + H1(ID_H, R_H)·PK  (seed 002, eq. 21)
            BigInteger hH = InterHospitalHashes.h1(c, idH, rH);
            ECPoint pkH = trust.masterPublicKey().implicitKey(rH, hH);
            // K_PA1 = S_PAT·T_HPA + a·PK_HPA  (seed 002, eq. 22)
            ECPoint k1 = SecretScalar.sumOfTwoMultiplies(own.secret(), tHp, a, pkH);
            // K_PA2 = a·T_HPA  (seed 002, eq. 23)
            ECPoint k2 = a.multiply(tHp);
            // SEK_AP = H2(K_PA1, K_PA2)  (seed 002, eq. 24)
            SecretBytes key = InterHospitalHashes.h2(c, k1, k2, idX, idH, tX, tHp);
            // CHK_PA ?= H3(SEK_AP, T_PAT)  (seed 002, eq. 25)
            CheckValues.requireEqual(InterHospitalHashes.chkResponder(c, key, tX, idX, idH, ch.ts()), ch.chk());
            env.freshness().requireFirstSeen("INTER-HOSPITAL/" + idX + "/HandshakeChallenge", ContentId.ofAuthenticatedEncoding(ch.encode()), ch.ts());
            // hachk / hbchk: the hospital is on the ledger
            requireLedger(ledger, new HospitalCheck(idH));
            this.sek = key;
            this.tH = tHp;
            a.destroy();
        }

        /** Step 3, message part: {@code c = E_SEK(payload)}, {@code CHK = H3(SEK, T_H)} (seed 002, eq. 26–27). */
        HandshakeConfirm confirm(byte[] payload) {
            SecretBytes key = key();
            long ts = env.freshness().now();
            byte[] ct = Aead.seal(key, new AssociatedData(C, idX, responder.partyId(), ts), payload, env.random());
            byte[] chk = InterHospitalHashes.chkInitiator(c, key, tH, idX, responder.partyId());
            return new HandshakeConfirm(ct, chk, ts);
        }

        SecretBytes key() {
            if (sek == null) {
                throw new IllegalStateException("Handshake not completed.");
            }
            return sek;
        }
    }

    /** The hospital's side. */
    static final class Responder {
        private final Environment env;
        private final CurveProfile c;
        private final LedgerChecks ledger;
        private final String idH;
        private final String idX;
        private final String roleX;
        private final DirectoryEntry initiator;
        private final ECPoint tH;
        private final SecretBytes sek;
        private final HandshakeChallenge challenge;
        private boolean confirmed;

        private Responder(Environment env, LedgerChecks ledger, String idH, String idX, String roleX, DirectoryEntry initiator, ECPoint tH,
                          SecretBytes sek, HandshakeChallenge challenge) {
            this.env = env;
            this.c = env.curve();
            this.ledger = ledger;
            this.idH = idH;
            this.idX = idX;
            this.roleX = roleX;
            this.initiator = initiator;
            this.tH = tH;
            this.sek = sek;
            this.challenge = challenge;
        }

        /** Step 2 (seed 002, eq. 15–20, 35–40, 51–56). */
        static Responder accept(Environment env, TrustContext trust, LedgerChecks ledger, String idH, PartialKey own, KemKeyPair kem,
                                HandshakeHello hello) throws ProtocolException {
            CurveProfile c = env.curve();
            env.freshness().requireFresh(hello.ts());
            byte[] plain = Hpke.open(kem, HELLO, null, hello.cHello());
            LabelledDecoder d = LabelledDecoder.open(plain, HELLO + "/plain");
            String idX = d.utf8();
            String roleX = d.utf8();
            ECPoint rX = d.point(c);
            ECPoint tX = d.point(c);
            long ts = d.int64();
            String to = d.utf8();
            d.finish();
            if (ts != hello.ts() || !to.equals(idH)) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "hello fields do not match");
            }
            if (!roleX.equals(InterHospitalRoles.PATIENT) && !roleX.equals(InterHospitalRoles.HOSPITAL)) {
                throw new ProtocolException(Reason.MALFORMED_MESSAGE, "unknown initiator role");
            }
            DirectoryEntry entry = trust.resolve(InterHospitalRoles.SCHEME, roleX, idX, env.freshness().now());
            requireCertifiedPoint(entry, rX);
            env.freshness().requireFirstSeen("INTER-HOSPITAL/" + idH + "/HandshakeHello", ContentId.ofAuthenticatedEncoding(hello.encode()), hello.ts());
            SecretScalar b = SecretScalar.random(c, env.random());
            try {
                // T_HPA = b·P  (seed 002, eq. 15)
                ECPoint tH = b.publicPoint();
                // PK_PAT = R_PAT + H1(ID_PAT, R_PAT)·PK  (seed 002, eq. 16)
                ECPoint pkX = trust.masterPublicKey().implicitKey(rX, InterHospitalHashes.h1(c, idX, rX));
                // K_AP1 = S_HPA·T_PAT + b·PK_PAT  (seed 002, eq. 17)
                ECPoint k1 = SecretScalar.sumOfTwoMultiplies(own.secret(), tX, b, pkX);
                // K_AP2 = b·T_PAT  (seed 002, eq. 18)
                ECPoint k2 = b.multiply(tX);
                // SEK_AP = H2(K_AP1, K_AP2)  (seed 002, eq. 19)
                SecretBytes sek = InterHospitalHashes.h2(c, k1, k2, idX, idH, tX, tH);
                // CHK_PA = H3(SEK_AP, T_PAT)  (seed 002, eq. 20)
                long tsChallenge = env.freshness().now();
                byte[] chk = InterHospitalHashes.chkResponder(c, sek, tX, idX, idH, tsChallenge);
                HandshakeChallenge ch = new HandshakeChallenge(idH.getBytes(StandardCharsets.UTF_8), c.encodePoint(own.publicPoint()),
                        c.encodePoint(tH), chk, tsChallenge);
                return new Responder(env, ledger, idH, idX, roleX, entry, tH, sek, ch);
            } finally {
                b.destroy();
            }
        }

        HandshakeChallenge challenge() {
            return challenge;
        }

        String initiatorId() {
            return idX;
        }

        String initiatorRole() {
            return roleX;
        }

        DirectoryEntry initiator() {
            return initiator;
        }

        /** Step 4, check part (seed 002, eq. 28–29): {@code CHK_AP}, ledger check, decrypt. */
        byte[] onConfirm(HandshakeConfirm confirm) throws ProtocolException {
            if (confirmed) {
                throw new IllegalStateException("Handshake already confirmed.");
            }
            env.freshness().requireFresh(confirm.ts());
            // CHK_AP ?= H3(SEK_AP, T_HPA)  (seed 002, eq. 28)
            CheckValues.requireEqual(InterHospitalHashes.chkInitiator(c, sek, tH, idX, idH), confirm.chk());
            // message = D_SEK_AP(c_PAT)  (seed 002, eq. 29)
            byte[] payload = Aead.open(sek, new AssociatedData(C, idX, idH, confirm.ts()), confirm.c());
            env.freshness().requireFirstSeen("INTER-HOSPITAL/" + idH + "/HandshakeConfirm", ContentId.ofAuthenticatedEncoding(confirm.encode()), confirm.ts());
            // ptchk (patient) or hachk/hbchk (hospital) on the ledger
            requireLedger(ledger, roleX.equals(InterHospitalRoles.PATIENT) ? new PatientCheck(idX) : new HospitalCheck(idX));
            confirmed = true;
            return payload;
        }

        SecretBytes key() {
            return sek;
        }

        boolean isConfirmed() {
            return confirmed;
        }

        /** State for {@link HospitalSession#export}. */
        LabelledEncoder writeState(LabelledEncoder e) {
            return e.utf8(idH).utf8(idX).utf8(roleX).bytes(initiator.encode()).point(c, tH).secret(sek).bytes(challenge.encode())
                    .int32(confirmed ? 1 : 0);
        }

        static Responder readState(Environment env, LedgerChecks ledger, LabelledDecoder d) throws ProtocolException {
            CurveProfile c = env.curve();
            String idH = d.utf8();
            String idX = d.utf8();
            String roleX = d.utf8();
            DirectoryEntry entry = DirectoryEntry.decode(c, d.bytes());
            ECPoint tH = d.point(c);
            SecretBytes sek = d.secretBytes();
            HandshakeChallenge ch = HandshakeChallenge.decode(c, d.bytes());
            boolean confirmed = d.int32() == 1;
            Responder r = new Responder(env, ledger, idH, idX, roleX, entry, tH, sek, ch);
            r.confirmed = confirmed;
            return r;
        }
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
