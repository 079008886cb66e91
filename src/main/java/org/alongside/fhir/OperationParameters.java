package org.alongside.fhir;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.method.BaseMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationMethodBinding;
import ca.uhn.fhir.rest.server.method.OperationParameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alongside.interaction.InteractionPipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The one place where every operation's parameters are checked, before HAPI binds them to the operation's method
 * (where a wrong body or value type used to end in a NullPointerException or a ClassCastException: a 500). What is
 * allowed comes from the operations' own {@code @OperationParam} declarations, through HAPI's method binding, so it
 * is exactly what the OperationDefinitions advertise:
 * <ul>
 *   <li>400, naming the parameter: a body that is not a Parameters resource ($validate: or a resource of the URL's
 *       type), an unknown parameter, one given too few or too many times, a value of the wrong type or without a
 *       value, a primitive in the URL that does not parse;</li>
 *   <li>404: the instance the operation is invoked on (but for $validate, which may check an update-as-create, and
 *       the conformance resources, which their operations find in memory), or a resource a reference parameter
 *       names, does not exist (or the caller may not see it: existence is not revealed).</li>
 * </ul>
 * The shape is checked before HAPI binds the parameters; the existence of what they name after the access check.
 * Business rules stay with the operations (422).
 */
@Interceptor
public class OperationParameters {

    /** HAPI's response parameters, allowed on any request. */
    private static final Set<String> RESPONSE_PARAMETERS = Set.of("_format", "_pretty", "_summary", "_elements");
    private static final String VALIDATE = "$validate";
    private static final String CHECKED = OperationParameters.class.getName() + ".checked";

    private final FhirContext fhirContext;
    private final InteractionPipeline pipeline;
    /** Types served from memory, not the store (conformance resources): their operations look up their instance. */
    private final Set<String> inMemoryTypes;

    OperationParameters(FhirContext fhirContext, InteractionPipeline pipeline, Set<String> inMemoryTypes) {
        this.fhirContext = fhirContext;
        this.pipeline = pipeline;
        this.inMemoryTypes = Set.copyOf(inMemoryTypes);
    }

    /** The shape of the parameters, before HAPI binds them (binding a wrong type fails inside HAPI with a 500). */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public void checkParameters(RequestDetails request) {
        OperationMethodBinding method = operationBinding(request);
        if (method == null) {
            return;
        }
        String operation = request.getOperation();
        Map<String, OperationParameter> declared = new LinkedHashMap<>();
        method.getParameters().stream().filter(OperationParameter.class::isInstance).map(OperationParameter.class::cast)
                .forEach(p -> declared.put(p.getName(), p));
        Map<String, List<ParametersParameterComponent>> given = given(request, operation, declared);
        for (Map.Entry<String, List<ParametersParameterComponent>> entry : given.entrySet()) {
            OperationParameter parameter = declared.get(entry.getKey());
            if (parameter == null) {
                throw new InvalidRequestException("Unknown parameter '" + entry.getKey() + "' for " + operation
                        + "; it takes " + (declared.isEmpty() ? "no parameters" : String.join(", ", declared.keySet())));
            }
            for (ParametersParameterComponent part : entry.getValue()) {
                checkType(request, parameter, part);
            }
        }
        for (OperationParameter parameter : declared.values()) {
            int count = given.getOrDefault(parameter.getName(), List.of()).size();
            if (count < requiredCount(operation, parameter)) {
                throw new InvalidRequestException("Parameter '" + parameter.getName() + "' is required for " + operation);
            }
            if (parameter.getMax() >= 0 && count > parameter.getMax()) {
                throw new InvalidRequestException("Parameter '" + parameter.getName() + "' may be given at most "
                        + parameter.getMax() + " time(s) for " + operation);
            }
        }
        // the instance as the URL names it (HAPI later sets the id of a resource $validate checks, too). Not for
        // $validate: it may check an update to an id that does not exist yet (update-as-create)
        String instance = request.getId() != null && request.getId().hasIdPart() && !VALIDATE.equals(operation)
                && !inMemoryTypes.contains(request.getResourceName()) ? request.getId().getIdPart() : null;
        request.getUserData().put(CHECKED, new Checked(given, instance));
    }

    /** What checkParameters found, for checkTargets; instance: the id in the URL, if any. */
    private record Checked(Map<String, List<ParametersParameterComponent>> given, String instance) {
    }

    /**
     * What the operation is invoked on and what its references name must exist. Checked after the access check
     * (security.OperationAccess, same pointcut, registered earlier), so nothing is looked up for a caller who may not
     * invoke the operation, and a record the caller may not see is "not known" like one that does not exist.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkTargets(RequestDetails request) {
        if (!(request.getUserData().get(CHECKED) instanceof Checked checked)) {
            return;
        }
        if (checked.instance() != null && !pipeline.isVisible(request.getResourceName(), checked.instance())) {
            throw new ResourceNotFoundException(request.getResourceName() + "/" + checked.instance() + " is not known");
        }
        checked.given().forEach((name, parts) -> parts.forEach(part -> checkReferenceTarget(name, part)));
    }

    /** The operation the request is for, or null (not an operation, or one HAPI will refuse itself). */
    private static OperationMethodBinding operationBinding(RequestDetails request) {
        if (request.getOperation() == null || !(request.getServer() instanceof RestfulServer server)) {
            return null;
        }
        try {
            return server.determineResourceMethod(request, request.getRequestPath()) instanceof OperationMethodBinding
                    method ? method : null;
        } catch (BaseServerResponseException unknown) {
            return null; // HAPI answers it (unknown operation, wrong method) as it always did
        }
    }

    /** Every parameter the request carries, by name: the URL's, and the Parameters body's (or $validate's resource). */
    private Map<String, List<ParametersParameterComponent>> given(RequestDetails request, String operation,
                                                                 Map<String, OperationParameter> declared) {
        Map<String, List<ParametersParameterComponent>> given = new LinkedHashMap<>();
        request.getParameters().forEach((name, values) -> {
            if (RESPONSE_PARAMETERS.contains(name)) {
                return;
            }
            for (String value : values) {
                given.computeIfAbsent(name, n -> new ArrayList<>()).add(fromUrl(operation, name, value,
                        declared.get(name)));
            }
        });
        IBaseResource body = body(request, operation);
        if (body instanceof Parameters parameters) {
            for (ParametersParameterComponent part : parameters.getParameter()) {
                if (!part.hasName()) {
                    throw new InvalidRequestException("A parameter of " + operation + " has no name");
                }
                given.computeIfAbsent(part.getName(), n -> new ArrayList<>()).add(part);
            }
        } else if (body != null) { // $validate of a resource sent as it is
            given.computeIfAbsent("resource", n -> new ArrayList<>()).add(new ParametersParameterComponent()
                    .setName("resource").setResource((org.hl7.fhir.r4.model.Resource) body));
        }
        return given;
    }

    private IBaseResource body(RequestDetails request, String operation) {
        byte[] bytes = request.loadRequestContents();
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
        IBaseResource body;
        try {
            body = (encoding == null ? EncodingEnum.JSON : encoding).newParser(fhirContext)
                    .parseResource(new String(bytes, StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            throw new InvalidRequestException("The body of " + operation + " is not a FHIR resource: " + e.getMessage());
        }
        String bodyType = fhirContext.getResourceType(body);
        boolean ownResource = VALIDATE.equals(operation) && bodyType.equals(request.getResourceName());
        if (!(body instanceof Parameters) && !ownResource) {
            throw new InvalidRequestException("The body of " + operation + " must be a Parameters resource"
                    + (VALIDATE.equals(operation) ? " or a " + request.getResourceName() : "") + ", not " + bodyType);
        }
        return body;
    }

    /** A URL parameter as a part; a primitive that does not parse as its declared type is refused. */
    private ParametersParameterComponent fromUrl(String operation, String name, String value,
                                                 OperationParameter parameter) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " has no value");
        }
        String type = parameter == null ? null : parameter.getParamType();
        if (type == null || type.equals("string")) {
            return new ParametersParameterComponent().setName(name).setValue(new StringType(value));
        }
        BaseRuntimeElementDefinition<?> definition = fhirContext.getElementDefinition(type);
        if (definition == null || !(definition.newInstance() instanceof IPrimitiveType<?> primitive)) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " is a " + type
                    + ", which cannot be given in the URL; POST a Parameters resource");
        }
        try {
            primitive.setValueAsString(value);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " must be a " + type);
        }
        return new ParametersParameterComponent().setName(name).setValue((org.hl7.fhir.r4.model.Type) primitive);
    }

    /** The part's value or resource matches the declared type ("Resource" or a resource type: a resource). */
    private void checkType(RequestDetails request, OperationParameter parameter, ParametersParameterComponent part) {
        String operation = request.getOperation();
        String name = parameter.getName();
        if (part.hasPart()) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " takes a value, not parts");
        }
        String expected = expectedType(operation, parameter);
        boolean isResource = part.getResource() != null; // even an empty one: $validate reports what it lacks
        Base actual = isResource ? part.getResource() : part.getValue();
        if (actual == null || !isResource && actual.isEmpty()
                || actual instanceof PrimitiveType<?> primitive && !primitive.hasValue()) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " has no value");
        }
        if (expected == null) {
            return;
        }
        boolean resourceExpected = expected.equals("Resource") || fhirContext.getResourceTypes().contains(expected);
        boolean matches = resourceExpected
                ? isResource && (expected.equals("Resource") || actual.fhirType().equals(expected))
                : !isResource && actual.fhirType().equals(expected);
        if (!matches) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " must be a "
                    + (resourceExpected ? "resource" + (expected.equals("Resource") ? "" : " (" + expected + ")")
                    : expected) + ", not " + (isResource ? "a resource" : "a " + actual.fhirType()));
        }
        if (VALIDATE.equals(operation) && !actual.fhirType().equals(request.getResourceName())) {
            throw new InvalidRequestException("Parameter '" + name + "' of " + operation + " must be a "
                    + request.getResourceName() + ", the type in the URL, not a " + actual.fhirType());
        }
    }

    /** A relative reference must name a resource that exists and that the caller may see. */
    private void checkReferenceTarget(String name, ParametersParameterComponent part) {
        if (!(part.getValue() instanceof Reference reference)) {
            return;
        }
        IIdType target = reference.getReferenceElement();
        if (target.isAbsolute() || !target.hasResourceType() || !target.hasIdPart() || reference.getReference() == null
                || reference.getReference().contains("?") || !fhirContext.getResourceTypes().contains(
                target.getResourceType())) {
            return; // contained, absolute, conditional or not a resource type: the operation itself decides
        }
        if (!pipeline.isVisible(target.getResourceType(), target.getIdPart())) {
            throw new ResourceNotFoundException("Parameter '" + name + "': " + target.getResourceType() + "/"
                    + target.getIdPart() + " is not known");
        }
    }

    /** The declared type; HAPI leaves $validate's resource parameter untyped in its binding (not in its definition). */
    private static String expectedType(String operation, OperationParameter parameter) {
        return VALIDATE.equals(operation) && parameter.getName().equals("resource") ? "Resource"
                : parameter.getParamType();
    }

    /** $validate needs a resource, which HAPI declares optional because it may also come as the whole body. */
    private static int requiredCount(String operation, OperationParameter parameter) {
        return VALIDATE.equals(operation) && parameter.getName().equals("resource") ? 1 : parameter.getMin();
    }
}
