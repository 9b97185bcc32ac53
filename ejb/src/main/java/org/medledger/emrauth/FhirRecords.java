package org.medledger.emrauth;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.medledger.platform.DomainException;

/**
 * EMR versions are FHIR R4 resources in JSON (a Bundle or a single resource), parsed strictly
 * with HAPI FHIR's R4 structures on store and again on read: unknown elements, wrong types and
 * malformed JSON are refused ({@code INVALID_FHIR}), never stored or released.
 */
public final class FhirRecords {

    /** The FHIR R4 context is expensive to build and thread-safe: one per application. */
    private static final FhirContext R4 = FhirContext.forR4Cached();

    private FhirRecords() {
    }

    /** Parses {@code content} (UTF-8 FHIR JSON) strictly; returns the resource type, e.g. {@code Bundle}. */
    public static String requireValid(byte[] content) throws DomainException {
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

    private static DomainException invalid(String detail) {
        return new DomainException(DomainException.Kind.INVALID, "INVALID_FHIR", detail);
    }
}
