package org.medledger.protocol.emrauth;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.medledger.protocol.common.ContentId;
import org.medledger.protocol.common.Aead;
import org.medledger.protocol.common.AssociatedData;
import org.medledger.protocol.common.CertificateVerifier;
import org.medledger.protocol.common.CheckValues;
import org.medledger.protocol.common.CurveProfile;
import org.medledger.protocol.common.DirectoryEntry;
import org.medledger.protocol.common.Ecdsa;
import org.medledger.protocol.common.Environment;
import org.medledger.protocol.common.Hpke;
import org.medledger.protocol.common.LabelledDecoder;
import org.medledger.protocol.common.LabelledEncoder;
import org.medledger.protocol.common.MasterPublicKey;
import org.medledger.protocol.common.MasterSecret;
import org.medledger.protocol.common.PartialKey;
import org.medledger.protocol.common.PartyKeys;
import org.medledger.protocol.common.ProtocolException;
import org.medledger.protocol.common.Reason;
import org.medledger.protocol.common.SecretBytes;
import org.medledger.protocol.common.SecretScalar;
import org.medledger.protocol.common.TrustContext;

/**
 * The public cloud PC of EMR-AUTH: the KGC holding {@code s} ({@code PK = s·P}) and the
 * record index. Request handling is stateless; persistence goes through
 * {@link PublicCloudStore}, which only ever sees sealed or keyed values (erratum 7).
 */
public final class PublicCloud {

    private static final String ISSUED_AD = "EMR-AUTH/PC/issued-secret";
    private static final String INDEX_AD = "EMR-AUTH/PC/index-value";

    private final Environment env;
    private final CurveProfile curve;
    private final MasterSecret master;
    private final CertificateVerifier certificates;
    private final TrustContext trust;
    private final PartyKeys keys;
    private final PublicCloudStore store;
    private final String idPc;
    private final SecretBytes indexMacKey;
    private final SecretBytes indexSealKey;
    private final SecretBytes issuedSealKey;

    /** Registration only: issues partial keys, keeps nothing. */
    public PublicCloud(Environment env, MasterSecret master, CertificateVerifier certificates) {
        this(env, master, certificates, null, null, null, null);
    }

    /** Full public cloud: registration, EMR search and index maintenance. */
    public PublicCloud(Environment env, MasterSecret master, TrustContext trust, PartyKeys keys, PublicCloudStore store, String idPc) {
        this(env, master, Objects.requireNonNull(trust, "Trust context is required.").certificates(), trust,
                Objects.requireNonNull(keys, "Party keys are required."), Objects.requireNonNull(store, "Store is required."),
                Objects.requireNonNull(idPc, "ID_PC is required."));
    }

    private PublicCloud(Environment env, MasterSecret master, CertificateVerifier certificates, TrustContext trust,
                        PartyKeys keys, PublicCloudStore store, String idPc) {
        this.env = Objects.requireNonNull(env, "Environment is required.");
        this.master = Objects.requireNonNull(master, "Master secret is required.");
        this.certificates = Objects.requireNonNull(certificates, "Certificate verifier is required.");
        this.trust = trust;
        this.keys = keys;
        this.store = store;
        this.idPc = idPc;
        this.curve = env.curve();
        if (!master.curve().equals(curve)) {
            throw new IllegalArgumentException("Master secret is on another curve.");
        }
        // Keys derived from the PC's secret for the index and the issued-key vault (erratum 7).
        this.indexMacKey = master.deriveKey("EMR-AUTH/PC/k_index-mac");
        this.indexSealKey = master.deriveKey("EMR-AUTH/PC/k_index-seal");
        this.issuedSealKey = master.deriveKey("EMR-AUTH/PC/k_issued-seal");
    }

    /** {@code PK}, published to every party. */
    public MasterPublicKey masterPublicKey() {
        return master.publicKey();
    }

    public String id() {
        return idPc;
    }

    /** Patient registration, step 2 (seed 000, eq. 2–3). */
    public RegistrationResponse registerPatient(PatientRegistration request) {
        Objects.requireNonNull(request, "Request is required.");
        // R_P1 = r1·P  (seed 000, eq. 2)
        // S_P = r1 + H(ID_P‖B_P‖R_P1)·s mod n  (seed 000, eq. 3)
        PartialKey key = master.issuePartialKey(env.random(),
                rP1 -> EmrAuthHashes.patient(curve, request.idP(), request.bP(), rP1));
        return RegistrationResponse.of(key);
    }

    /** HPC registration, step 2 (seed 000, eq. 5–6). */
    public RegistrationResponse registerHospitalCloud(HospitalCloudRegistration request) {
        Objects.requireNonNull(request, "Request is required.");
        // R_HPC1 = r2·P  (seed 000, eq. 5)
        // S_HPC = r2 + h(ID_HPC‖R_HPC1)·s mod n  (seed 000, eq. 6)
        PartialKey key = master.issuePartialKey(env.random(),
                rHpc1 -> EmrAuthHashes.hospitalCloud(curve, request.idHpc(), rHpc1));
        return RegistrationResponse.of(key);
    }

    /**
     * Doctor registration, step 2 (seed 000, eq. 8–9): stops unless {@code Cert_D} is legal
     * for {@code ID_D}. With a store, {@code S_D} is kept sealed for the search phase.
     *
     * @throws ProtocolException a certificate reason from the {@link CertificateVerifier}
     */
    public RegistrationResponse registerDoctor(DoctorRegistration request) throws ProtocolException {
        Objects.requireNonNull(request, "Request is required.");
        byte[] certD = request.certD();
        certificates.requireLegal(certD, request.idD());
        // R_D1 = r3·P  (seed 000, eq. 8)
        // S_D = r3 + H(ID_D‖Cert_D‖R_D1)·s mod n  (seed 000, eq. 9)
        PartialKey key = master.issuePartialKey(env.random(),
                rD1 -> EmrAuthHashes.doctor(curve, request.idD(), certD, rD1));
        if (store != null) {
            byte[] s = key.encodedSecret();
            try {
                store.putIssuedSecret(EmrAuthRoles.DOCTOR, request.idD(),
                        Aead.seal(issuedSealKey, new AssociatedData(ISSUED_AD, EmrAuthRoles.DOCTOR, request.idD(), 0L), s, env.random()));
            } finally {
                Arrays.fill(s, (byte) 0);
            }
        }
        return RegistrationResponse.of(key);
    }

    /**
     * EMR search step 2 (seed 000, eq. 27–30): checks the doctor, looks up the index and
     * answers with {@code (C_C, Sig_C, T_C)} plus the lookup record to audit.
     *
     * @throws ProtocolException {@link Reason#UNKNOWN_PARTY} if no index entry exists, or a
     *         check reason
     */
    public EmrSearchOutcome handleEmrSearch(EmrSearchRequest request) throws ProtocolException {
        Objects.requireNonNull(request, "Request is required.");
        TrustContext t = requireFull();
        env.freshness().requireFresh(request.tD2());
        // (ID_P‖T_D2‖ID_D‖Cert_D‖ID_DE) = D_PRK_PC(C_D2)  (seed 000, eq. 27)
        byte[] plain = Hpke.open(keys.kem(), DoctorEmrSearch.C_D2, null, request.cD2());
        LabelledDecoder d = LabelledDecoder.open(plain, DoctorEmrSearch.C_D2 + "/plain");
        String idP = d.utf8();
        long tD2 = d.int64();
        String idD = d.utf8();
        byte[] certD = d.bytes();
        String idDE = d.utf8();
        d.finish();
        if (tD2 != request.tD2()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_D2 differ");
        }
        // Cert_D is legal  (seed 000, eq. 27)
        certificates.requireLegal(certD, idD);
        DirectoryEntry doctor = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.DOCTOR, idD, env.freshness().now());
        SecretScalar sD = issuedSecret(EmrAuthRoles.DOCTOR, idD);
        try {
            // V_PUK_D(Sig_D2) over S_D, which the PC issued  (seed 000, eq. 28)
            ContentId signedD2 = Ecdsa.verify(doctor.signingKey(), DoctorEmrSearch.signedD2(curve, sD, tD2, idP, idDE, idD, idPc), request.sigD2());
            requireRegisteredCertificate(doctor, sD, idD, certD);
            env.freshness().requireFirstSeen("EMR-AUTH/PC/" + idPc + "/EmrSearchRequest", signedD2, tD2);
            byte[] handle = indexHandle(idP, idDE);
            String idHpc = openIndex(handle).orElseThrow(
                    () -> new ProtocolException(Reason.UNKNOWN_PARTY, "no record index for this patient and department")).idHpc();
            long tC = env.freshness().now();
            // C_C = E_PUK_D(ID_HPC‖ID_DE‖T_C)  (seed 000, eq. 29)
            byte[] inner = LabelledEncoder.of(DoctorEmrSearch.C_C + "/plain").utf8(idHpc).utf8(idDE).int64(tC).toByteArray();
            byte[] cC = Hpke.seal(doctor.kemKey(), DoctorEmrSearch.C_C, null, inner, env.random());
            // Sig_C = S_PRK_PC(ID_DE‖S_D‖ID_HPC‖T_C), plus ID_D, ID_P and T_D2: the answer to this request only
            // (seed 000, eq. 30; erratum 4; emr-auth.md)
            byte[] sigC = Ecdsa.sign(keys.signing(), DoctorEmrSearch.signedC(sD, idDE, idHpc, tC, idD, idP, tD2));
            return new EmrSearchOutcome(new EmrSearchResponse(cC, sigC, tC), new IndexLookupRecord(idD, handle, idHpc, tC));
        } finally {
            sD.destroy();
        }
    }

    /**
     * {@code Cert_D} must be the certificate {@code S_D} was issued for:
     * {@code S_D·P == R_D1 + H(ID_D‖Cert_D‖R_D1)·PK} (eq. 9–10). Without this, a doctor's old
     * keys would pass the PC with any other legal certificate for {@code ID_D} (e.g. the one
     * re-issued after the old was revoked); the patient and the HPC get this binding from
     * {@code SEK1}/{@code SEK2}.
     */
    private void requireRegisteredCertificate(DirectoryEntry doctor, SecretScalar sD, String idD, byte[] certD)
            throws ProtocolException {
        ECPoint rD1 = doctor.partialKeyPoint().orElseThrow(
                () -> new ProtocolException(Reason.UNKNOWN_PARTY, "no partial-key point certified for this doctor"));
        try {
            PartialKey.verify(master.publicKey(), rD1, sD, EmrAuthHashes.doctor(curve, idD, certD, rD1));
        } catch (ProtocolException e) {
            throw new ProtocolException(Reason.CERT_IDENTITY_MISMATCH, "not the certificate this doctor registered with");
        }
    }

    /**
     * Applies an HPC-signed index update (erratum 8): the entry
     * {@code HMAC(k_index, ID_P‖ID_DE) ↦ AEAD(ID_HPC‖ID_D‖version)} is added or moved forward.
     * Authorized like the write it follows: the patient's consent for {@code (ID_D, ID_DE)}; an
     * existing entry changes only by the HPC that holds the record, and only to a newer version.
     *
     * @throws ProtocolException {@link Reason#NOT_AUTHORIZED} without consent, from another HPC
     *         or for a version not newer than the indexed one; or a check reason
     */
    public void applyIndexUpdate(IndexUpdate update, ConsentPolicy consent) throws ProtocolException {
        Objects.requireNonNull(update, "Update is required.");
        TrustContext t = requireFull();
        env.freshness().requireFresh(update.tIx());
        byte[] plain = Hpke.open(keys.kem(), HospitalPrivateCloud.C_IX, null, update.cIx());
        LabelledDecoder d = LabelledDecoder.open(plain, HospitalPrivateCloud.C_IX + "/plain");
        String idHpc = d.utf8();
        String idP = d.utf8();
        String idDE = d.utf8();
        String idD = d.utf8();
        long version = d.int64();
        long tIx = d.int64();
        d.finish();
        if (tIx != update.tIx()) {
            throw new ProtocolException(Reason.MALFORMED_MESSAGE, "inner and outer T_IX differ");
        }
        DirectoryEntry hpc = t.resolve(EmrAuthRoles.SCHEME, EmrAuthRoles.HOSPITAL_PRIVATE_CLOUD, idHpc, env.freshness().now());
        ContentId signedIx = Ecdsa.verify(hpc.signingKey(), HospitalPrivateCloud.signedIndex(idHpc, idP, idDE, idD, version, tIx, idPc), update.sigIx());
        env.freshness().requireFirstSeen("EMR-AUTH/PC/" + idPc + "/IndexUpdate", signedIx, tIx);
        if (!consent.permits(idP, idD, idDE)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "no patient consent for this doctor and department");
        }
        byte[] handle = indexHandle(idP, idDE);
        Optional<IndexEntry> current = openIndex(handle);
        if (current.isPresent() && !current.get().idHpc().equals(idHpc)) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "another HPC holds this patient's record for the department");
        }
        if (current.isPresent() && version <= current.get().version()) {
            throw new ProtocolException(Reason.NOT_AUTHORIZED, "the index only moves forward");
        }
        byte[] value = LabelledEncoder.of(INDEX_AD + "/plain").utf8(idHpc).utf8(idD).int64(version).toByteArray();
        store.putIndex(handle, Aead.seal(indexSealKey, indexAd(handle), value, env.random()));
    }

    /** {@code HMAC(k_index, ID_P‖ID_DE)}: the index key that hides identities (erratum 7). */
    byte[] indexHandle(String idP, String idDE) {
        return CheckValues.mac(indexMacKey, LabelledEncoder.of("EMR-AUTH/PC/index-handle").utf8(idP).utf8(idDE));
    }

    private static AssociatedData indexAd(byte[] handle) {
        // Binding the sealed value to its handle stops entries being swapped in the store.
        return new AssociatedData(INDEX_AD, "PC", Hex.toHexString(handle), 0L);
    }

    private record IndexEntry(String idHpc, String idD, long version) {
    }

    private Optional<IndexEntry> openIndex(byte[] handle) throws ProtocolException {
        Optional<byte[]> sealed = store.index(handle);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] plain = Aead.open(indexSealKey, indexAd(handle), sealed.get());
        LabelledDecoder d = LabelledDecoder.open(plain, INDEX_AD + "/plain");
        IndexEntry e = new IndexEntry(d.utf8(), d.utf8(), d.int64());
        d.finish();
        return Optional.of(e);
    }

    private SecretScalar issuedSecret(String role, String id) throws ProtocolException {
        byte[] sealed = store.issuedSecret(role, id)
                .orElseThrow(() -> new ProtocolException(Reason.UNKNOWN_PARTY, "no partial key issued to this party"));
        byte[] s = Aead.open(issuedSealKey, new AssociatedData(ISSUED_AD, role, id, 0L), sealed);
        try {
            return SecretScalar.decode(curve, s);
        } finally {
            Arrays.fill(s, (byte) 0);
        }
    }

    private TrustContext requireFull() {
        if (trust == null) {
            throw new IllegalStateException("This public cloud was built for registration only.");
        }
        return trust;
    }

    @Override
    public String toString() {
        return "PublicCloud[" + idPc + "]";
    }
}
