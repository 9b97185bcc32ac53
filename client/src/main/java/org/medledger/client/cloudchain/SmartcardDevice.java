package org.medledger.client.cloudchain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

import org.medledger.client.ApiProblem;
import org.medledger.client.emrauth.DeviceStore;
import org.medledger.protocol.cloudchain.CardIssuance;
import org.medledger.protocol.cloudchain.Patient;
import org.medledger.protocol.cloudchain.PatientAuthentication;
import org.medledger.protocol.cloudchain.Smartcard;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.TrustContext;
import org.medledger.protocol.common.VerificationKey;

/**
 * The patient's CLOUD-CHAIN smartcard on the device (seed 001): the card's
 * {@code {A_i, B_i, C_i, D_i}} with its failure counter, {@code ID_i}, and the network
 * administrator's keys pinned at registration, all in the device's PKCS#12 store. The card
 * password {@code PW_i} is never stored: without it the card yields nothing, and after
 * {@link Smartcard#DEFAULT_MAX_FAILURES} wrong passwords it stays locked (the counter is saved
 * after every attempt, so a copy of the store cannot be guessed at faster than that).
 */
public final class SmartcardDevice {

    static final String CARD = "cloud-chain/card";
    static final String ID = "cloud-chain/id";
    static final String HID = "cloud-chain/hid";
    static final String PK = "cloud-chain/kgc-public-key";
    static final String CERTIFIER = "cloud-chain/certifier-key";

    private final CloudChainClient api;
    private final DeviceStore store;
    private final CurveProfile curve;
    private final SecureRandom random;

    public SmartcardDevice(CloudChainClient api, DeviceStore store, CurveProfile curve, SecureRandom random) {
        this.api = api;
        this.store = store;
        this.curve = curve;
        this.random = random;
    }

    /**
     * Registration (seed 001, §5.1.1) for the logged-in patient {@code idI}: picks {@code a_i},
     * sends {@code HID_i}, personalizes the card with the issued {@code x_i} and {@code PW_i},
     * has {@code PK_i} recorded on the ledger, and pins the NA's keys. Returns {@code HID_i} (hex).
     */
    public String register(String token, String idI, SecretBytes pw, MasterPublicKey pinnedPk, VerificationKey certifierKey)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        if (store.get(CARD).isPresent()) {
            throw new ProtocolException(Reason.BAD_PARAMETER, "this device already holds a CLOUD-CHAIN smartcard");
        }
        Patient patient = new Patient(env(), trust(token, pinnedPk, certifierKey), idI);
        Patient.Registration reg = patient.beginRegistration();
        byte[] hid = reg.enrolment().hidI();
        CardIssuance issued = api.registerPatient(token, hid);
        Smartcard card = reg.complete(issued, pw);
        issued.xI().destroy();
        store.put(PK, pinnedPk.encoded());
        store.put(CERTIFIER, certifierKey.encoded());
        store.put(ID, idI.getBytes(StandardCharsets.UTF_8));
        store.put(HID, hid);
        save(card);
        api.registerPatientKey(token, hid, reg.patientKey());
        return CloudChainClient.hex(hid);
    }

    public record Contracted(String hid, String pid, long ledgerLogIndex) {
    }

    /**
     * Authentication with medical center {@code pid} (seed 001, §5.2; its {@code Cert_j} checked
     * against the pinned NA key) and the smart-contract upload (§5.3): the center then creates
     * {@code Sc(HID_i, PID_j, Cert_j)} on the ledger.
     *
     * @throws ProtocolException {@code WRONG_PASSWORD} or {@code CARD_LOCKED} from the card, or a
     *         check of the center's answer
     */
    public Contracted contractWith(String token, String pid, SecretBytes pw)
            throws IOException, InterruptedException, ApiProblem, ProtocolException {
        Smartcard card = card();
        Patient patient = new Patient(env(), trust(token, pinnedPk(), pinnedCertifier()), id());
        PatientAuthentication auth;
        try {
            auth = patient.authenticate(card, pw, pid);
        } finally {
            save(card);
        }
        CloudChainClient.Authenticated a = api.authenticate(token, pid, auth.request());
        auth.acceptResponse(a.response());
        long index = api.contract(token, pid, a.sessionId(), auth.contractUpload());
        auth.sessionKey().destroy();
        return new Contracted(CloudChainClient.hex(auth.hid()), pid, index);
    }

    /** {@code HID_i} of this device's card (hex), as registered. */
    public String hid() throws IOException {
        SecretBytes h = store.require(HID);
        try {
            return CloudChainClient.hex(h.reveal());
        } finally {
            h.destroy();
        }
    }

    public boolean isLocked() throws IOException, ProtocolException {
        return card().isLocked();
    }

    public int failedAttempts() throws IOException, ProtocolException {
        return card().failedAttempts();
    }

    private Smartcard card() throws IOException, ProtocolException {
        SecretBytes raw = store.require(CARD);
        byte[] b = raw.reveal();
        try {
            return Smartcard.restore(b);
        } finally {
            Arrays.fill(b, (byte) 0);
            raw.destroy();
        }
    }

    private void save(Smartcard card) throws IOException {
        byte[] b = card.export();
        try {
            store.put(CARD, b);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private String id() throws IOException {
        SecretBytes s = store.require(ID);
        try {
            return new String(s.reveal(), StandardCharsets.UTF_8);
        } finally {
            s.destroy();
        }
    }

    private MasterPublicKey pinnedPk() throws IOException, ProtocolException {
        SecretBytes s = store.require(PK);
        try {
            return MasterPublicKey.decode(curve, s.reveal());
        } finally {
            s.destroy();
        }
    }

    private VerificationKey pinnedCertifier() throws IOException, ProtocolException {
        SecretBytes s = store.require(CERTIFIER);
        try {
            return VerificationKey.decode(curve, s.reveal());
        } finally {
            s.destroy();
        }
    }

    private Environment env() {
        return Environment.of(curve, Clock.systemUTC(), random);
    }

    private TrustContext trust(String token, MasterPublicKey pk, VerificationKey certifier) {
        return new TrustContext(pk, certifier, api.directory(token), (certificate, id) -> {
            throw new ProtocolException(Reason.CERT_INVALID, "CLOUD-CHAIN uses no doctor certificates");
        });
    }
}
