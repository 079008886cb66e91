package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.alongside.interaction.PatientEverything;
import org.alongside.interaction.SearchBundles;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/** {@code Patient/[id]/$everything} and {@code Patient/$everything}, by GET or POST, paged by the Bundle's links. */
public class PatientEverythingOperation {

    static final String DEFINITION = "http://hl7.org/fhir/OperationDefinition/Patient-everything";

    private final PatientEverything everything;

    PatientEverythingOperation(PatientEverything everything) {
        this.everything = everything;
    }

    /** One operation at both levels (one binding, so the parameter checks of OperationParameters see it). */
    @Operation(name = "$everything", type = Patient.class, idempotent = true, canonicalUrl = DEFINITION)
    public Bundle everything(@IdParam(optional = true) IdType patient,
                             @OperationParam(name = "_since", max = 1) StringType since,
                             @OperationParam(name = "_type") List<StringType> types,
                             @OperationParam(name = "_count", max = 1) IntegerType count,
                             @OperationParam(name = "_cursor", max = 1) StringType cursor,
                             @OperationParam(name = "start", max = 1) StringType start,
                             @OperationParam(name = "end", max = 1) StringType end, RequestDetails request) {
        String id = patient == null || !patient.hasIdPart() ? null : patient.getIdPart();
        return everything.everything(id, request(request, since, types, count, cursor, start, end));
    }

    /**
     * The parameters as a GET carries them (POST bodies included), so the paging links are plain GETs. Undeclared
     * ones never get here: OperationParameters refuses them.
     */
    private static SearchBundles.Request request(RequestDetails request, StringType since, List<StringType> types,
                                                 IntegerType count, StringType cursor, StringType start,
                                                 StringType end) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        put(params, "_since", since);
        if (types != null && !types.isEmpty()) {
            params.put("_type", types.stream().map(StringType::getValue).toList());
        }
        put(params, "_count", count);
        put(params, "_cursor", cursor);
        put(params, "start", start);
        put(params, "end", end);
        return new SearchBundles.Request("Patient", params, request.getFhirServerBase(), request.getRequestPath(),
                false);
    }

    private static void put(Map<String, List<String>> params, String name, IPrimitiveType<?> value) {
        if (value != null && value.getValueAsString() != null) {
            params.put(name, List.of(value.getValueAsString()));
        }
    }
}
