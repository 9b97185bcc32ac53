package org.medledger.protocol.pki;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.medledger.protocol.common.CertificateStatusSource;

/**
 * Revocation status from an OCSP responder (RFC 6960), failing closed. For each check it
 * builds a request for the CertID (SHA-1 issuer name/key hash, serial; §4.1.1) with a fresh
 * nonce (RFC 8954), POSTs it to the configured responder or the certificate's AIA
 * {@code id-ad-ocsp} URI, and accepts the answer only if
 * <ul>
 * <li>the response is {@code successful} and of type {@code id-pkix-ocsp-basic} (§4.2.1);</li>
 * <li>it is signed by the issuer itself, or by a responder certificate the issuer signed with
 *     {@code id-kp-OCSPSigning}, valid now, whose ResponderID matches (§4.2.2.2);</li>
 * <li>it echoes our nonce;</li>
 * <li>it has a SingleResponse for exactly our CertID;</li>
 * <li>{@code thisUpdate ≤ now + skew} and {@code now ≤ nextUpdate + skew} (or, without
 *     nextUpdate, {@code now ≤ thisUpdate + maxAge}) at the injected clock (§4.2.2.1).</li>
 * </ul>
 * Everything else (responder down, timeout, tryLater, unknown, malformed, unsigned) is
 * {@link Status#UNKNOWN}; {@link #check} tells which {@link OcspOutcome} it was.
 * <p>Thread-safe; build one per relying party and share it (with its
 * transport). Responses are not cached: every check asks the responder.
 */
public final class OcspStatusSource implements CertificateStatusSource {

    private static final System.Logger LOG = System.getLogger(OcspStatusSource.class.getName());
    /** RFC 8954 allows 1..32 octets. */
    static final int NONCE_LENGTH = 32;

    private final OcspTransport transport;
    private final URI responder;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration skew;
    private final Duration maxAge;
    private final DigestCalculatorProvider digests = new BcDigestCalculatorProvider();

    private OcspStatusSource(Builder b) {
        this.transport = b.transport;
        this.responder = b.responder;
        this.clock = b.clock;
        this.random = b.random;
        this.skew = b.skew;
        this.maxAge = b.maxAge;
    }

    /** @param clock     the time against which thisUpdate/nextUpdate and the responder certificate are checked
     *  @param random    source of request nonces
     *  @param transport the network leg (the core does no I/O; callers bring e.g. an HTTP transport) */
    public static Builder builder(Clock clock, SecureRandom random, OcspTransport transport) {
        return new Builder(clock, random, transport);
    }

    @Override
    public Status status(X509Certificate certificate, X509Certificate issuer) {
        return check(certificate, issuer).status();
    }

    /** The status together with the reason it was reached. Never throws. */
    public OcspOutcome check(X509Certificate certificate, X509Certificate issuer) {
        OcspOutcome outcome;
        try {
            outcome = query(Objects.requireNonNull(certificate), Objects.requireNonNull(issuer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = OcspOutcome.RESPONDER_UNREACHABLE;
        } catch (RuntimeException e) {
            outcome = OcspOutcome.CHECK_FAILED;
        }
        if (outcome.status() == Status.UNKNOWN) {
            LOG.log(Level.WARNING, "OCSP status of certificate serial {0} is unknown: {1}",
                    certificate == null ? "?" : certificate.getSerialNumber().toString(16), outcome);
        }
        return outcome;
    }

    private OcspOutcome query(X509Certificate certificate, X509Certificate issuer) throws InterruptedException {
        Optional<URI> uri = responder != null ? Optional.of(responder) : responderFromAia(certificate);
        if (uri.isEmpty()) {
            return OcspOutcome.NO_RESPONDER_URI;
        }
        X509CertificateHolder issuerHolder;
        CertificateID id;
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] request;
        try {
            issuerHolder = new JcaX509CertificateHolder(issuer);
            id = new CertificateID(digests.get(CertificateID.HASH_SHA1), issuerHolder, certificate.getSerialNumber());
            OCSPReq req = new OCSPReqBuilder().addRequest(id)
                    .setRequestExtensions(new Extensions(nonceExtension(nonce))).build();
            request = req.getEncoded();
        } catch (CertificateException | OCSPException | OperatorCreationException | IOException e) {
            return OcspOutcome.CHECK_FAILED;
        }

        byte[] answer;
        try {
            answer = transport.exchange(uri.get(), request);
        } catch (IOException e) {
            return OcspOutcome.RESPONDER_UNREACHABLE;
        }

        BasicOCSPResp basic;
        try {
            OCSPResp resp = new OCSPResp(answer);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                return OcspOutcome.RESPONDER_REFUSED;
            }
            Object body = resp.getResponseObject();
            if (!(body instanceof BasicOCSPResp)) {
                return OcspOutcome.MALFORMED_RESPONSE;
            }
            basic = (BasicOCSPResp) body;
        } catch (IOException | OCSPException | RuntimeException e) {
            return OcspOutcome.MALFORMED_RESPONSE;
        }

        Instant now = clock.instant();
        OcspOutcome signer = verifySigner(basic, issuer, issuerHolder, now);
        if (signer != null) {
            return signer;
        }
        if (!nonceMatches(basic, nonce)) {
            return OcspOutcome.NONCE_MISMATCH;
        }
        SingleResp single = matching(basic, id.getSerialNumber(), issuerHolder);
        if (single == null) {
            return OcspOutcome.NO_MATCHING_RESPONSE;
        }
        if (!fresh(single, now)) {
            return OcspOutcome.NOT_FRESH;
        }
        CertificateStatus s = single.getCertStatus();
        if (s == CertificateStatus.GOOD) {
            return OcspOutcome.GOOD;
        }
        if (s instanceof RevokedStatus) {
            return OcspOutcome.REVOKED;
        }
        return OcspOutcome.CERT_UNKNOWN_TO_RESPONDER;
    }

    /** {@code null} if the response is signed by the issuer or its delegated responder (RFC 6960 §4.2.2.2). */
    private OcspOutcome verifySigner(BasicOCSPResp basic, X509Certificate issuer, X509CertificateHolder issuerHolder,
                                     Instant now) {
        RespID respId = basic.getResponderId();
        try {
            if (identifies(respId, issuerHolder)) {
                return signatureVerifies(basic, issuer.getPublicKey()) ? null : OcspOutcome.BAD_SIGNATURE;
            }
            for (X509CertificateHolder holder : basic.getCerts()) {
                if (!identifies(respId, holder)) {
                    continue;
                }
                X509Certificate delegate = new JcaX509CertificateConverter().getCertificate(holder);
                if (!isDelegatedBy(delegate, issuer, now)) {
                    return OcspOutcome.UNTRUSTED_SIGNER;
                }
                return signatureVerifies(basic, delegate.getPublicKey()) ? null : OcspOutcome.BAD_SIGNATURE;
            }
            return OcspOutcome.UNTRUSTED_SIGNER;
        } catch (CertificateException | OCSPException | RuntimeException e) {
            return OcspOutcome.UNTRUSTED_SIGNER;
        }
    }

    private boolean identifies(RespID respId, X509CertificateHolder cert) throws OCSPException {
        try {
            return respId.equals(new RespID(cert.getSubject()))
                    || respId.equals(new RespID(cert.getSubjectPublicKeyInfo(), digests.get(RespID.HASH_SHA1)));
        } catch (OperatorCreationException e) {
            throw new OCSPException("no SHA-1 digest", e);
        }
    }

    private static boolean isDelegatedBy(X509Certificate delegate, X509Certificate issuer, Instant now) {
        try {
            if (!delegate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return false;
            }
            delegate.verify(issuer.getPublicKey());
            delegate.checkValidity(Date.from(now));
            List<String> eku = delegate.getExtendedKeyUsage();
            return eku != null && eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId());
        } catch (CertificateParsingException e) {
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean signatureVerifies(BasicOCSPResp basic, PublicKey key) {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OCSPException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    private static boolean nonceMatches(BasicOCSPResp basic, byte[] nonce) {
        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (echoed == null) {
            return false;
        }
        try {
            byte[] expected = new DEROctetString(nonce).getEncoded();
            return MessageDigest.isEqual(expected, echoed.getExtnValue().getOctets());
        } catch (IOException e) {
            return false;
        }
    }

    private SingleResp matching(BasicOCSPResp basic, BigInteger serial, X509CertificateHolder issuer) {
        for (SingleResp single : basic.getResponses()) {
            CertificateID candidate = single.getCertID();
            try {
                // matchesIssuer recomputes the hashes with the response's own algorithm
                if (candidate.getSerialNumber().equals(serial) && candidate.matchesIssuer(issuer, digests)) {
                    return single;
                }
            } catch (OCSPException | RuntimeException e) {
                // an unsupported hash algorithm cannot be our CertID
            }
        }
        return null;
    }

    private boolean fresh(SingleResp single, Instant now) {
        Instant thisUpdate = single.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(skew))) {
            return false;
        }
        Date nextUpdate = single.getNextUpdate();
        Instant limit = nextUpdate != null ? nextUpdate.toInstant() : thisUpdate.plus(maxAge);
        return !now.isAfter(limit.plus(skew));
    }

    static Extension nonceExtension(byte[] nonce) throws IOException {
        return new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonce).getEncoded());
    }

    /** The first http(s) {@code id-ad-ocsp} URI in the certificate's Authority Information Access. */
    public static Optional<URI> responderFromAia(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return Optional.empty();
        }
        try {
            byte[] inner = DEROctetString.getInstance(ext).getOctets();
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(ASN1Primitive.fromByteArray(inner));
            for (AccessDescription d : aia.getAccessDescriptions()) {
                if (d.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && d.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    URI uri = new URI(d.getAccessLocation().getName().toString());
                    if ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) {
                        return Optional.of(uri);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Settings with safe defaults: AIA responder, 2 min skew, 10 min max age. */
    public static final class Builder {
        private final Clock clock;
        private final SecureRandom random;
        private URI responder;
        private final OcspTransport transport;
        private Duration skew = Duration.ofMinutes(2);
        private Duration maxAge = Duration.ofMinutes(10);

        private Builder(Clock clock, SecureRandom random, OcspTransport transport) {
            this.clock = Objects.requireNonNull(clock, "Clock is required.");
            this.random = Objects.requireNonNull(random, "Random is required.");
            this.transport = Objects.requireNonNull(transport, "Transport is required.");
        }

        /** Always ask this responder instead of the certificate's AIA URI. */
        public Builder responder(URI uri) {
            this.responder = Objects.requireNonNull(uri, "Responder URI is required.");
            return this;
        }

        /** Tolerated clock difference with the responder. */
        public Builder clockSkew(Duration skew) {
            this.skew = Objects.requireNonNull(skew, "Skew is required.");
            if (skew.isNegative()) {
                throw new IllegalArgumentException("Skew must not be negative.");
            }
            return this;
        }

        /** How long an answer without nextUpdate counts as fresh. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = positive(maxAge, "Maximum age");
            return this;
        }

        public OcspStatusSource build() {
            return new OcspStatusSource(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what + " is required.");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive.");
            }
            return d;
        }
    }
}
