package org.medledger.portal;

import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.medledger.kgc.boundary.KgcRegistrationService;

/** A certificate uploaded in a form (PEM or DER), as DER; what is wrong is said beside the field. */
final class CertificateUpload {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private CertificateUpload() {
    }

    /** The uploaded certificate as DER, or null with a message beside {@code clientId}. */
    static byte[] der(Part upload, String clientId, String missing) {
        if (upload == null || upload.getSize() == 0) {
            Outcomes.invalid(clientId, missing);
            return null;
        }
        if (upload.getSize() > KgcRegistrationService.MAX_CERTIFICATE * 2L) {
            Outcomes.invalid(clientId, "The file is too large for a certificate.");
            return null;
        }
        byte[] raw;
        try (InputStream in = upload.getInputStream()) {
            raw = in.readNBytes(KgcRegistrationService.MAX_CERTIFICATE * 2);
        } catch (IOException e) {
            Outcomes.invalid(clientId, "The file could not be read; choose it again.");
            return null;
        }
        Matcher pem = PEM.matcher(new String(raw, StandardCharsets.US_ASCII));
        if (pem.find()) {
            try {
                return Base64.getMimeDecoder().decode(pem.group(1));
            } catch (IllegalArgumentException e) {
                Outcomes.invalid(clientId, "The PEM file is damaged.");
                return null;
            }
        }
        return raw;
    }
}
