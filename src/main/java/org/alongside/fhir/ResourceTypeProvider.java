package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.annotation.Validate;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Optional;
import org.alongside.conformance.ProfileValidator;
import org.alongside.conformance.ValidationResult;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.interaction.SearchBundles;
import org.alongside.patch.Patches;
import org.alongside.patch.ResourcePatch;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.search.FhirIds;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The REST interactions of one resource type: a thin adapter from HAPI's method binding to the
 * {@link InteractionPipeline}, which checks, stores, filters and audits. One instance per supported type; the type
 * list is configuration.
 */
public class ResourceTypeProvider implements IResourceProvider {

    private final Class<? extends IBaseResource> resourceClass;
    private final String typeName;
    private final InteractionPipeline pipeline;
    private final SearchBundles searchBundles;
    private final SearchRequestParser parser;
    private final ProfileValidator validator;
    private final FhirContext fhirContext;

    ResourceTypeProvider(Class<? extends IBaseResource> resourceClass, String typeName, InteractionPipeline pipeline,
                         SearchBundles searchBundles, SearchRequestParser parser, ProfileValidator validator,
                         FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        this.resourceClass = resourceClass;
        this.typeName = typeName;
        this.pipeline = pipeline;
        this.searchBundles = searchBundles;
        this.parser = parser;
        this.validator = validator;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return resourceClass;
    }

    @Read(version = true)
    public IBaseResource read(@IdParam IdType id) {
        return id.hasVersionIdPart()
                ? pipeline.vread(typeName, id.getIdPart(), versionNumber(id.getVersionIdPart()))
                : pipeline.read(typeName, id.getIdPart());
    }

    @Create
    public MethodOutcome create(@ResourceParam IBaseResource resource, @ConditionalUrlParam String ifNoneExist,
                                RequestDetails request) {
        return outcome(pipeline.create(resource, Optional.ofNullable(ifNoneExist)
                .map(condition -> condition(condition, request))));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam IBaseResource resource,
                                @ConditionalUrlParam String condition, RequestDetails request) {
        if (condition != null) {
            return outcome(pipeline.updateMatching(condition(condition, request), resource));
        }
        Optional<Long> expectedVersion = id.hasVersionIdPart()
                ? Optional.of(versionNumber(id.getVersionIdPart())) : Optional.empty();
        return outcome(pipeline.update(typeName, id.getIdPart(), resource, expectedVersion));
    }

    /**
     * JSON Patch or FHIRPath Patch, on an instance or a conditional URL. The patch is read (400 when malformed) before
     * the record is; the pipeline then reads, patches and updates as the caller, honouring If-Match.
     */
    @Patch
    public MethodOutcome patch(@IdParam IdType id, PatchTypeEnum patchType, @ResourceParam String body,
                               @ConditionalUrlParam String condition, RequestDetails request) {
        ResourcePatch patch = Patches.fromRequest(fhirContext, patchType, body);
        WriteResult result = condition != null
                ? pipeline.patchMatching(condition(condition, request), ifMatch(request), patch::applyTo)
                : pipeline.patch(typeName, id.getIdPart(), ifMatch(request), patch::applyTo);
        // HAPI sets the ETag of an update's answer, not of a patch's; a client patches again with this If-Match
        request.getResponse().addHeader("ETag", "W/\"" + result.version() + "\"");
        return outcome(result);
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id, @ConditionalUrlParam String condition, RequestDetails request) {
        WriteResult result = condition != null
                ? pipeline.deleteMatching(condition(condition, request))
                : pipeline.delete(typeName, id.getIdPart(), ifMatch(request));
        MethodOutcome outcome = new MethodOutcome(new IdType(typeName, result.id(), Long.toString(result.version())));
        outcome.setOperationOutcome(OperationOutcomes.information("Deleted " + typeName + "/" + result.id()));
        return outcome;
    }

    /** $validate: against the given profile, or against whatever Alongside profiles apply. */
    @Validate
    public MethodOutcome validate(@IdParam(optional = true) IdType id, @ResourceParam IBaseResource resource,
                                  @Validate.Profile String profileParam) {
        String profile = canonicalOf(profileParam);
        ValidationResult result = profile == null || profile.isBlank()
                ? validator.validate(resource) : validator.validate(resource, profile);
        MethodOutcome outcome = new MethodOutcome();
        OperationOutcome operationOutcome = (OperationOutcome) result.toOperationOutcome();
        if (!operationOutcome.hasIssue()) {
            operationOutcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("No issues found");
        }
        outcome.setOperationOutcome(operationOutcome);
        return outcome;
    }

    @History
    public Bundle instanceHistory(@IdParam IdType id, RequestDetails request) {
        return RestRequests.answered(searchBundles.history(RestRequests.of(typeName, request), id.getIdPart()), request);
    }

    @History
    public Bundle typeHistory(RequestDetails request) {
        return RestRequests.answered(searchBundles.history(RestRequests.of(typeName, request), null), request);
    }

    @Search(allowUnknownParams = true)
    public Bundle search(RequestDetails request) {
        return RestRequests.answered(searchBundles.search(RestRequests.of(typeName, request)), request);
    }

    /** A conditional URL ({@code Type?params} or {@code params}) as a strict search. */
    private SearchQuery condition(String condition, RequestDetails request) {
        return parser.parseCondition(typeName, condition, request.getFhirServerBase());
    }

    private static MethodOutcome outcome(WriteResult result) {
        MethodOutcome outcome = new MethodOutcome(
                new IdType(result.type(), result.id(), Long.toString(result.version())), result.created());
        outcome.setResource(result.resource());
        outcome.setOperationOutcome(OperationOutcomes.information((result.created() ? "Created " : "Stored ")
                + result.type() + "/" + result.id() + " version " + result.version()));
        return outcome;
    }

    /** HAPI hands over a profile given inside a Parameters body as the datatype's toString ("UriType[url]"). */
    private static String canonicalOf(String profile) {
        if (profile == null) {
            return null;
        }
        java.util.regex.Matcher wrapped = java.util.regex.Pattern.compile("^\\w+Type\\[(.*)]$").matcher(profile);
        return wrapped.matches() ? wrapped.group(1) : profile;
    }

    /** The version in an If-Match header ({@code W/"3"} or {@code "3"}), if the client sent one. */
    private static Optional<Long> ifMatch(RequestDetails request) {
        String header = request.getHeader("If-Match");
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(FhirIds.versionOfETag(header).orElseThrow(() ->
                new InvalidRequestException("If-Match must be a version ETag such as W/\"3\", not " + header)));
    }

    private static long versionNumber(String version) {
        return FhirIds.versionNumber(version).orElseThrow(() ->
                new InvalidRequestException("Version id must be a number, not " + version));
    }
}
