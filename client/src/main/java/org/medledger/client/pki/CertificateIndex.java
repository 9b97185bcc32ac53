package org.medledger.client.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriter;
import jakarta.json.stream.JsonGenerator;

/**
 * The authority's index ({@code index.json}): every issued certificate with its status, and
 * the number of the next CRL. An immutable snapshot; changes produce a new one that
 * {@link #save} writes atomically.
 */
record CertificateIndex(List<CertificateRecord> records, BigInteger nextCrlNumber) {

    static final String FILE = "index.json";

    CertificateIndex {
        records = List.copyOf(records);
        Objects.requireNonNull(nextCrlNumber, "CRL number is required.");
    }

    static CertificateIndex empty() {
        return new CertificateIndex(List.of(), BigInteger.ONE);
    }

    Optional<CertificateRecord> find(BigInteger serial) {
        return records.stream().filter(r -> r.serial().equals(serial)).findFirst();
    }

    CertificateIndex with(CertificateRecord added) {
        if (find(added.serial()).isPresent()) {
            throw new IllegalStateException("serial already issued");
        }
        List<CertificateRecord> all = new ArrayList<>(records);
        all.add(added);
        return new CertificateIndex(all, nextCrlNumber);
    }

    CertificateIndex replaced(CertificateRecord changed) {
        List<CertificateRecord> all = new ArrayList<>(records);
        all.replaceAll(r -> r.serial().equals(changed.serial()) ? changed : r);
        return new CertificateIndex(all, nextCrlNumber);
    }

    CertificateIndex afterCrl() {
        return new CertificateIndex(records, nextCrlNumber.add(BigInteger.ONE));
    }

    static CertificateIndex load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        try (JsonReader r = Json.createReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            JsonObject o = r.readObject();
            List<CertificateRecord> records = new ArrayList<>();
            for (JsonValue v : o.getJsonArray("certificates")) {
                JsonObject c = v.asJsonObject();
                boolean revoked = !c.isNull("revokedAt");
                records.add(new CertificateRecord(new BigInteger(c.getString("serial"), 16),
                        CertificateProfile.valueOf(c.getString("profile")), c.getString("subjectId"),
                        c.getString("subject"), Instant.parse(c.getString("notBefore")),
                        Instant.parse(c.getString("notAfter")),
                        revoked ? Instant.parse(c.getString("revokedAt")) : null,
                        revoked ? RevocationReason.valueOf(c.getString("reason")) : null));
            }
            return new CertificateIndex(records, new BigInteger(o.getString("nextCrlNumber")));
        } catch (JsonException | ClassCastException | NullPointerException | IllegalArgumentException
                 | java.time.format.DateTimeParseException e) {
            throw new IOException("the index " + file + " is damaged", e);
        }
    }

    void save(Path dir) throws IOException {
        JsonArrayBuilder certs = Json.createArrayBuilder();
        for (CertificateRecord r : records) {
            JsonObjectBuilder c = Json.createObjectBuilder()
                    .add("serial", r.serialHex())
                    .add("profile", r.profile().name())
                    .add("subjectId", r.subjectId())
                    .add("subject", r.subject())
                    .add("notBefore", r.notBefore().toString())
                    .add("notAfter", r.notAfter().toString());
            if (r.isRevoked()) {
                c.add("revokedAt", r.revokedAt().toString()).add("reason", r.reason().name());
            } else {
                c.addNull("revokedAt").addNull("reason");
            }
            certs.add(c);
        }
        JsonObject o = Json.createObjectBuilder()
                .add("nextCrlNumber", nextCrlNumber.toString())
                .add("certificates", certs).build();
        StringWriter text = new StringWriter();
        try (JsonWriter w = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(text)) {
            w.writeObject(o);
        }
        AuthorityFiles.writePublic(dir.resolve(FILE), (text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
