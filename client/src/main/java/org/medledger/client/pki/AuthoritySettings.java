package org.medledger.client.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

/**
 * How the authority names itself and what it writes into the certificates it issues.
 *
 * @param subject       the CA's distinguished name (RFC 4514), e.g. {@code CN=MedLedger Medical Authority,O=MedLedger}
 * @param organization  the {@code O=} of doctor certificates
 * @param ocspUrl       AIA id-ad-ocsp URL in issued certificates, or {@code null}
 * @param crlUrl        CRL distribution point in issued certificates, or {@code null}
 * @param caValidity    lifetime of the CA certificate
 */
public record AuthoritySettings(String subject, String organization, URI ocspUrl, URI crlUrl, Duration caValidity) {

    static final String FILE = "authority.json";
    public static final String DEFAULT_SUBJECT = "CN=MedLedger Medical Authority,O=MedLedger";
    public static final String DEFAULT_ORGANIZATION = "MedLedger";

    public AuthoritySettings {
        Objects.requireNonNull(subject, "Subject is required.");
        new X500Principal(subject); // rejects a malformed name now rather than at signing time
        Objects.requireNonNull(organization, "Organization is required.");
        Objects.requireNonNull(caValidity, "CA validity is required.");
        if (caValidity.isNegative() || caValidity.isZero()) {
            throw new IllegalArgumentException("CA validity must be positive.");
        }
        requireHttp(ocspUrl);
        requireHttp(crlUrl);
    }

    /** Default names, no OCSP/CRL URLs, ten years. */
    public static AuthoritySettings defaults() {
        return new AuthoritySettings(DEFAULT_SUBJECT, DEFAULT_ORGANIZATION, null, null, Duration.ofDays(3650));
    }

    public AuthoritySettings withOcspUrl(URI url) {
        return new AuthoritySettings(subject, organization, url, crlUrl, caValidity);
    }

    public AuthoritySettings withCrlUrl(URI url) {
        return new AuthoritySettings(subject, organization, ocspUrl, url, caValidity);
    }

    public AuthoritySettings withSubject(String dn, String org) {
        return new AuthoritySettings(dn, org, ocspUrl, crlUrl, caValidity);
    }

    private static void requireHttp(URI url) {
        if (url != null && !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException("OCSP and CRL URLs must be http or https.");
        }
    }

    static AuthoritySettings load(Path dir) throws IOException {
        try (JsonReader r = Json.createReader(Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8))) {
            JsonObject o = r.readObject();
            return new AuthoritySettings(o.getString("subject"), o.getString("organization"),
                    o.isNull("ocspUrl") ? null : URI.create(o.getString("ocspUrl")),
                    o.isNull("crlUrl") ? null : URI.create(o.getString("crlUrl")),
                    Duration.parse(o.getString("caValidity")));
        } catch (JsonException | ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new IOException("the settings " + dir.resolve(FILE) + " are damaged", e);
        }
    }

    void save(Path dir) throws IOException {
        JsonObjectBuilder o = Json.createObjectBuilder().add("subject", subject).add("organization", organization)
                .add("caValidity", caValidity.toString());
        if (ocspUrl == null) {
            o.addNull("ocspUrl");
        } else {
            o.add("ocspUrl", ocspUrl.toString());
        }
        if (crlUrl == null) {
            o.addNull("crlUrl");
        } else {
            o.add("crlUrl", crlUrl.toString());
        }
        StringWriter text = new StringWriter();
        try (JsonWriter w = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            w.writeObject(o.build());
        }
        AuthorityFiles.writePublic(dir.resolve(FILE), (text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
