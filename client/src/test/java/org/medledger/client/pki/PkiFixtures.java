package org.medledger.client.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;

/** Shared test values; every test builds its own authority in its own temporary directory. */
final class PkiFixtures {

    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    static final char[] PASSWORD = "test-only-ca-password".toCharArray();

    private PkiFixtures() {
    }

    static Clock clockAt(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    static MedicalAuthority authority(Path dir, String name, Clock clock) throws IOException {
        return MedicalAuthority.create(dir, AuthoritySettings.defaults().withSubject("CN=" + name + ",O=MedLedger Test",
                "MedLedger Test"), PASSWORD, clock, new SecureRandom());
    }

    /** The request with its single CertID re-pointed at {@code serial} (nonce kept). */
    static byte[] forSerial(byte[] der, BigInteger serial) throws IOException, OCSPException {
        OCSPReq req = new OCSPReq(der);
        CertificateID other = CertificateID.deriveCertificateID(req.getRequestList()[0].getCertID(), serial);
        return new OCSPReqBuilder().addRequest(other)
                .setRequestExtensions(new Extensions(req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)))
                .build().getEncoded();
    }

    /** The request with another nonce, so the responder echoes a value the client did not send. */
    static byte[] withOtherNonce(byte[] der) throws IOException, OCSPException {
        OCSPReq req = new OCSPReq(der);
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        return new OCSPReqBuilder().addRequest(req.getRequestList()[0].getCertID())
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce).getEncoded())))
                .build().getEncoded();
    }

    /** The request without any nonce. */
    static byte[] withoutNonce(byte[] der) throws IOException, OCSPException {
        OCSPReq req = new OCSPReq(der);
        return new OCSPReqBuilder().addRequest(req.getRequestList()[0].getCertID()).build().getEncoded();
    }
}
