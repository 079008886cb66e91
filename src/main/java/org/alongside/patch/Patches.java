package org.alongside.patch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Reads a patch the way it arrives: a PATCH request's body with its media type, or a Bundle entry's resource (a
 * {@code Parameters} for FHIRPath Patch, a {@code Binary} of {@code application/json-patch+json} for JSON Patch),
 * so REST and Bundle entries accept exactly the same patches.
 */
public final class Patches {

    public static final String JSON_PATCH = "application/json-patch+json";

    private Patches() {
    }

    /** A PATCH request's body; XML Patch is not offered (415). */
    public static ResourcePatch fromRequest(FhirContext context, PatchTypeEnum type, String body) {
        return switch (type) {
            case JSON_PATCH -> JsonPatch.parse(context, body);
            case FHIR_PATCH_JSON -> fhirPath(context, body, false);
            case FHIR_PATCH_XML -> fhirPath(context, body, true);
            case XML_PATCH -> throw new UnclassifiedServerFailureException(415, "XML Patch is not supported; send "
                    + JSON_PATCH + " or a FHIRPath Patch (Parameters)");
        };
    }

    /** A Bundle entry's resource with request.method PATCH. */
    public static ResourcePatch fromEntry(FhirContext context, IBaseResource resource, String where) {
        if (resource instanceof Parameters parameters) {
            return FhirPathPatch.parse(context, parameters);
        }
        if (resource instanceof Binary binary && binary.getContentType() != null
                && binary.getContentType().split(";")[0].trim().equalsIgnoreCase(JSON_PATCH)) {
            return JsonPatch.parse(context, binary.hasData() ? new String(binary.getData(), StandardCharsets.UTF_8) : "");
        }
        throw new InvalidRequestException(where + ": a PATCH entry carries a Parameters resource (FHIRPath Patch) "
                + "or a Binary of " + JSON_PATCH);
    }

    private static ResourcePatch fhirPath(FhirContext context, String body, boolean xml) {
        IBaseResource parsed;
        try {
            parsed = (xml ? context.newXmlParser() : context.newJsonParser()).parseResource(body);
        } catch (DataFormatException e) {
            throw new InvalidRequestException("The FHIRPath Patch is not a valid Parameters resource: " + e.getMessage());
        }
        if (!(parsed instanceof Parameters parameters)) {
            throw new InvalidRequestException("A FHIRPath Patch is a Parameters resource, not " + parsed.fhirType());
        }
        return FhirPathPatch.parse(context, parameters);
    }
}
