package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.alongside.conformance.ConformanceResources;
import org.alongside.conformance.ExpansionPage;
import org.alongside.conformance.Terminology;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The R4 terminology operations over Alongside's code systems and value sets and the base R4 ones:
 * {@code ValueSet/$expand}, {@code CodeSystem/$lookup}, {@code ValueSet/$validate-code} and
 * {@code CodeSystem/$validate-code}, at type level (the resource named by {@code url}, or given inline) and, but for
 * $lookup (R4 defines it on the type only), on a served instance. Only the parameters declared here are taken; the
 * others of the base OperationDefinitions are refused with 400 by {@link OperationParameters}. Something unknown
 * named in the URL or by {@code url} is a 404 for $expand and $lookup; $validate-code answers {@code result = false}
 * with a message.
 */
public class TerminologyOperations {

    static final String EXPAND_DEFINITION = "http://hl7.org/fhir/OperationDefinition/ValueSet-expand";
    static final String LOOKUP_DEFINITION = "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup";
    static final String VALUE_SET_VALIDATE_DEFINITION = "http://hl7.org/fhir/OperationDefinition/ValueSet-validate-code";
    static final String CODE_SYSTEM_VALIDATE_DEFINITION =
            "http://hl7.org/fhir/OperationDefinition/CodeSystem-validate-code";

    private final Terminology terminology;
    private final ConformanceResources conformance;

    TerminologyOperations(Terminology terminology, ConformanceResources conformance) {
        this.terminology = terminology;
        this.conformance = conformance;
    }

    /** ValueSet/$expand and ValueSet/[id]/$expand. */
    @Operation(name = "$expand", type = ValueSet.class, idempotent = true)
    public ValueSet expand(@IdParam(optional = true) IdType id,
                           @OperationParam(name = "url", max = 1) UriType url,
                           @OperationParam(name = "valueSet", max = 1) ValueSet valueSet,
                           @OperationParam(name = "filter", max = 1) StringType filter,
                           @OperationParam(name = "offset", max = 1) IntegerType offset,
                           @OperationParam(name = "count", max = 1) IntegerType count,
                           @OperationParam(name = "displayLanguage", max = 1) CodeType displayLanguage,
                           @OperationParam(name = "includeDesignations", max = 1) BooleanType includeDesignations) {
        ValueSet source = valueSetFrom("$expand", id, url, valueSet)
                .orElseThrow(() -> new ResourceNotFoundException("ValueSet " + value(url) + " is not known"));
        ExpansionPage.Request request;
        try {
            request = new ExpansionPage.Request(blankToNull(value(filter)), offset == null ? 0 : offset.getValue(),
                    count == null ? null : count.getValue(), blankToNull(value(displayLanguage)),
                    includeDesignations != null && includeDesignations.booleanValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("$expand: " + e.getMessage());
        }
        try {
            return terminology.expand(source, request);
        } catch (Terminology.NotExpandable e) {
            throw new UnprocessableEntityException(e.getMessage());
        }
    }

    /** CodeSystem/$lookup: name, version, display, designations and properties of a code. */
    @Operation(name = "$lookup", type = CodeSystem.class, idempotent = true)
    public Parameters lookup(@OperationParam(name = "code", max = 1) CodeType code,
                             @OperationParam(name = "system", max = 1) UriType system,
                             @OperationParam(name = "coding", max = 1) Coding coding,
                             @OperationParam(name = "displayLanguage", max = 1) CodeType displayLanguage,
                             @OperationParam(name = "property") List<CodeType> property) {
        Coding wanted = coding("$lookup", code, system, coding, null);
        if (!wanted.hasSystem()) {
            throw new InvalidRequestException("$lookup needs a 'system' with the 'code' (or a 'coding' with both)");
        }
        List<String> properties = property == null ? List.of()
                : property.stream().map(IPrimitiveType::getValue).toList();
        Parameters out = (Parameters) terminology.lookup(wanted.getSystem(), wanted.getCode(),
                        blankToNull(value(displayLanguage)), properties)
                .orElseThrow(() -> new ResourceNotFoundException("Code " + wanted.getCode() + " is not known in "
                        + wanted.getSystem()))
                .toParameters(terminology.context(), property == null ? null : property);
        // HAPI writes a designation's "use" even when it has none; R4 wants a value in every part
        out.getParameter().forEach(p -> p.getPart().removeIf(part -> !part.hasValue() && !part.hasResource()
                && !part.hasPart()));
        return out;
    }

    /** ValueSet/$validate-code and ValueSet/[id]/$validate-code. */
    @Operation(name = "$validate-code", type = ValueSet.class, idempotent = true)
    public Parameters validateInValueSet(@IdParam(optional = true) IdType id,
                                         @OperationParam(name = "url", max = 1) UriType url,
                                         @OperationParam(name = "valueSet", max = 1) ValueSet valueSet,
                                         @OperationParam(name = "code", max = 1) CodeType code,
                                         @OperationParam(name = "system", max = 1) UriType system,
                                         @OperationParam(name = "display", max = 1) StringType display,
                                         @OperationParam(name = "coding", max = 1) Coding coding,
                                         @OperationParam(name = "codeableConcept", max = 1)
                                         CodeableConcept codeableConcept) {
        Optional<ValueSet> source = valueSetFrom("$validate-code", id, url, valueSet);
        List<Coding> codings = codings("$validate-code", code, system, coding, codeableConcept, display);
        if (source.isEmpty()) {
            return answer(new Terminology.Validation(false, "ValueSet " + value(url) + " is not known", null));
        }
        return answer(best(codings, c -> terminology.validateInValueSet(source.get(), c.getSystem(), c.getCode(),
                c.getDisplay())));
    }

    /** CodeSystem/$validate-code and CodeSystem/[id]/$validate-code. */
    @Operation(name = "$validate-code", type = CodeSystem.class, idempotent = true)
    public Parameters validateInCodeSystem(@IdParam(optional = true) IdType id,
                                           @OperationParam(name = "url", max = 1) UriType url,
                                           @OperationParam(name = "code", max = 1) CodeType code,
                                           @OperationParam(name = "display", max = 1) StringType display,
                                           @OperationParam(name = "coding", max = 1) Coding coding,
                                           @OperationParam(name = "codeableConcept", max = 1)
                                           CodeableConcept codeableConcept) {
        String systemUrl;
        if (id != null && id.hasIdPart()) {
            if (url != null) {
                throw new InvalidRequestException("$validate-code on a CodeSystem instance takes no 'url'");
            }
            systemUrl = served(CodeSystem.class, id).getUrl();
        } else {
            systemUrl = value(url);
        }
        UriType system = systemUrl == null ? null : new UriType(systemUrl);
        List<Coding> codings = codings("$validate-code", code, system, coding, codeableConcept, display);
        for (Coding c : codings) {
            if (systemUrl != null && c.hasSystem() && !systemUrl.equals(c.getSystem())) {
                throw new InvalidRequestException("$validate-code: the coding's system " + c.getSystem()
                        + " is not the code system " + systemUrl);
            }
        }
        return answer(best(codings, c -> terminology.validateInCodeSystem(c.getSystem(), c.getCode(),
                c.getDisplay())));
    }

    /** The value set the operation works on: the instance, the one {@code url} names, or the one given inline. */
    private Optional<ValueSet> valueSetFrom(String operation, IdType id, UriType url, ValueSet inline) {
        boolean instance = id != null && id.hasIdPart();
        int given = (instance ? 1 : 0) + (url != null ? 1 : 0) + (inline != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidRequestException(operation + " needs exactly one value set: the instance in the URL, "
                    + "a 'url' or a 'valueSet'");
        }
        if (instance) {
            return Optional.of(served(ValueSet.class, id));
        }
        return inline != null ? Optional.of(inline) : terminology.valueSet(url.getValue());
    }

    /** A ValueSet or CodeSystem this server serves (fhir-profiles), by id; 404 otherwise. */
    private <T extends org.hl7.fhir.r4.model.MetadataResource> T served(Class<T> type, IdType id) {
        String name = type.getSimpleName();
        return conformance.findByTypeAndId(name, id.getIdPart()).filter(type::isInstance).map(type::cast)
                .orElseThrow(() -> new ResourceNotFoundException(name + "/" + id.getIdPart() + " is not known"));
    }

    /** The one coding the request names: {@code code} (with {@code system}) or {@code coding}. */
    private static Coding coding(String operation, CodeType code, UriType system, Coding coding, StringType display) {
        if ((code == null) == (coding == null)) {
            throw new InvalidRequestException(operation + " needs either a 'code' or a 'coding'");
        }
        if (coding != null) {
            if (!coding.hasCode()) {
                throw new InvalidRequestException(operation + ": the 'coding' has no code");
            }
            return coding;
        }
        return new Coding(value(system), code.getValue(), value(display));
    }

    /** The codings to check: one from {@code code}/{@code coding}, or those of the {@code codeableConcept}. */
    private static List<Coding> codings(String operation, CodeType code, UriType system, Coding coding,
                                        CodeableConcept concept, StringType display) {
        if (concept != null) {
            if (code != null || coding != null) {
                throw new InvalidRequestException(operation + " takes one of 'code', 'coding' and 'codeableConcept'");
            }
            List<Coding> codings = new ArrayList<>();
            for (Coding c : concept.getCoding()) {
                if (!c.hasSystem() || !c.hasCode()) {
                    throw new InvalidRequestException(operation + ": every coding of the 'codeableConcept' needs a "
                            + "system and a code");
                }
                codings.add(c);
            }
            if (codings.isEmpty()) {
                throw new InvalidRequestException(operation + ": the 'codeableConcept' has no coding");
            }
            return codings;
        }
        Coding one = coding(operation, code, system, coding, display);
        if (!one.hasSystem()) {
            throw new InvalidRequestException(operation + " needs a 'system' with the 'code'");
        }
        return List.of(one);
    }

    /** The first valid answer among the codings (a CodeableConcept is valid when one of them is), else the first. */
    private static Terminology.Validation best(List<Coding> codings,
                                               java.util.function.Function<Coding, Terminology.Validation> check) {
        Terminology.Validation first = null;
        for (Coding c : codings) {
            Terminology.Validation v = check.apply(c);
            if (v.result()) {
                return v;
            }
            first = first == null ? v : first;
        }
        return first;
    }

    private static Parameters answer(Terminology.Validation validation) {
        Parameters out = new Parameters();
        out.addParameter().setName("result").setValue(new BooleanType(validation.result()));
        if (validation.message() != null) {
            out.addParameter().setName("message").setValue(new StringType(validation.message()));
        }
        if (validation.display() != null) {
            out.addParameter().setName("display").setValue(new StringType(validation.display()));
        }
        return out;
    }

    private static String value(IPrimitiveType<String> value) {
        return value == null ? null : value.getValue();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
