package org.medledger.emrauth;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.medledger.platform.DomainException;

/**
 * EMR versions are FHIR R4 resources in JSON (a Bundle or a single resource), parsed strictly
 * with HAPI FHIR's R4 structures on store and again on read: unknown elements, wrong types and
 * malformed JSON are refused ({@code INVALID_FHIR}), never stored or released. The verdict is a
 * function of the bytes alone, so content that passed is remembered by its SHA-256 (the last
 * {@value #REMEMBERED} records): reading the version just stored, or the same version again, does
 * not parse the same bytes again (a 64 KiB Bundle costs milliseconds to parse). A refusal is never
 * remembered; other bytes are parsed.
 */
public final class FhirRecords {

    /** The FHIR R4 context is expensive to build and thread-safe: one per application. */
    private static final FhirContext R4 = FhirContext.forR4Cached();

    static final int REMEMBERED = 1024;

    /** SHA-256 (hex) of content that parsed strictly → its resource type; least recently used dropped first. */
    private static final Map<String, String> VALID = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    });

    /** How many times content was parsed (for tests). */
    static final LongAdder PARSED = new LongAdder();

    private FhirRecords() {
    }

    /** Parses {@code content} (UTF-8 FHIR JSON) strictly; returns the resource type, e.g. {@code Bundle}. */
    public static String requireValid(byte[] content) throws DomainException {
        String digest = HexFormat.of().formatHex(sha256(content));
        String known = VALID.get(digest);
        if (known != null) {
            return known;
        }
        String type = parse(content);
        VALID.put(digest, type);
        return type;
    }

    private static String parse(byte[] content) throws DomainException {
        PARSED.increment();
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("the record is not UTF-8 text");
        }
        IParser parser = R4.newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        try {
            IBaseResource r = parser.parseResource(json);
            return r.fhirType();
        } catch (DataFormatException | ClassCastException | IllegalArgumentException | IllegalStateException e) {
            throw invalid("the record is not a valid FHIR R4 JSON resource");
        }
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DomainException invalid(String detail) {
        return new DomainException(DomainException.Kind.INVALID, "INVALID_FHIR", detail);
    }
}
