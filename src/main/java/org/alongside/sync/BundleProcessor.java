package org.alongside.sync;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.alongside.search.FhirIds;
import org.alongside.config.AlongsideConfig;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.WriteResult;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.interaction.SearchBundles;
import org.alongside.patch.Patches;
import org.alongside.patch.ResourcePatch;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryResponseComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Processes transaction and batch Bundles (POST to the base). A transaction is all or nothing: its entries
 * run in the order the spec requires (DELETE, POST, PUT and PATCH, GET) inside one database transaction, ids of
 * new resources are chosen first so that {@code urn:uuid} references between entries and conditional
 * references ({@code Patient?identifier=...}) are rewritten before anything is stored, and the first
 * failing entry rolls everything back with its error. A batch runs each entry in a transaction of its own
 * and reports success or failure per entry. Every entry is an interaction of its own through the
 * {@link InteractionPipeline} (access, consent, write checks, read filter, audit), exactly as the same request sent
 * alone would be; a GET entry is answered by the same search as REST.
 */
@ApplicationScoped
public class BundleProcessor {

    private static final Map<HTTPVerb, Integer> ORDER = Map.of(HTTPVerb.DELETE, 0, HTTPVerb.POST, 1,
            HTTPVerb.PUT, 2, HTTPVerb.PATCH, 2, HTTPVerb.GET, 3, HTTPVerb.HEAD, 3);

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchBundles searchBundles;

    @Inject
    SearchRequestParser parser;

    @Inject
    FhirContext fhirContext;

    @Inject
    AlongsideConfig config;

    @Inject
    Transactions transactions;

    /** What one entry asks for, after its URL is taken apart. */
    private record Request(int index, HTTPVerb method, String type, String id, String version, String query,
                           String ifNoneExist, Optional<Long> ifMatch, Resource resource, ResourcePatch patch) {

        boolean conditional() {
            return query != null;
        }
    }

    /**
     * @param serverBase this server's base URL, to recognise absolute URLs that point at it
     * @param returnResources whether response entries carry the stored resource (Prefer: return=representation)
     */
    public Bundle process(Bundle bundle, String serverBase, boolean returnResources) {
        Bundle.BundleType type = bundle.getType();
        if (type != Bundle.BundleType.TRANSACTION && type != Bundle.BundleType.BATCH) {
            throw new InvalidRequestException("POST to the base takes a Bundle of type transaction or batch, not "
                    + (type == null ? "none" : type.toCode()));
        }
        if (bundle.getEntry().size() > config.maxBundleEntries()) {
            throw new PayloadTooLargeException("The Bundle has " + bundle.getEntry().size()
                    + " entries; this server takes at most " + config.maxBundleEntries());
        }
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            requests.add(parse(i, bundle.getEntry().get(i), serverBase));
        }
        return type == Bundle.BundleType.TRANSACTION
                ? transactions.inTransaction(() -> transaction(bundle, requests, serverBase, returnResources))
                : batch(requests, serverBase, returnResources);
    }

    private Bundle transaction(Bundle bundle, List<Request> requests, String serverBase, boolean returnResources) {
        requireDistinctTargets(bundle, requests);
        // 0. may the caller do each entry at all? Before any condition or reference is matched for it
        for (Request request : requests) {
            try {
                requireEntryAllowed(request);
            } catch (BaseServerResponseException e) {
                throw prefixed(request, e);
            }
        }
        Map<String, String> idsByFullUrl = new HashMap<>();
        Map<Integer, String> assignedIds = new HashMap<>();
        Map<Integer, BundleEntryResponseComponent> responses = new LinkedHashMap<>();
        // 1. choose ids, so that entries can refer to each other before anything is written
        for (Request request : requests) {
            String fullUrl = bundle.getEntry().get(request.index()).getFullUrl();
            String id = switch (request.method()) {
                case POST -> existingMatch(request).orElseGet(() -> UUID.randomUUID().toString());
                case PUT -> request.conditional()
                        ? singleMatch(request.type(), request.query(), "Conditional update", false)
                        .orElseGet(() -> logicalIdOf(request.resource()).orElseGet(() -> UUID.randomUUID().toString()))
                        : request.id();
                default -> null;
            };
            if (id != null) {
                assignedIds.put(request.index(), id);
                if (fullUrl != null && !fullUrl.isBlank()) {
                    idsByFullUrl.put(fullUrl, request.type() + "/" + id);
                }
                // a conditional reference with a conditional create's exact condition means that entry's resource
                if (request.ifNoneExist() != null) {
                    idsByFullUrl.put(request.type() + "?" + SearchRequestParser.conditionQuery(request.ifNoneExist()), request.type() + "/" + id);
                }
            }
        }
        // 2. rewrite references: placeholders to the chosen ids, conditional references to their single match
        for (Request request : requests) {
            if (request.resource() != null) {
                resolveReferences(request, idsByFullUrl, serverBase);
            }
        }
        // 3. run the entries in the order the spec prescribes; the first failure rolls everything back
        requests.stream().sorted(Comparator.comparing((Request r) -> ORDER.get(r.method())).thenComparing(Request::index))
                .forEach(request -> {
                    try {
                        responses.put(request.index(), execute(request, assignedIds.get(request.index()),
                                serverBase, returnResources, true));
                    } catch (BaseServerResponseException e) {
                        throw prefixed(request, e);
                    }
                });
        return responseBundle(Bundle.BundleType.TRANSACTIONRESPONSE, requests.size(), responses);
    }

    private Bundle batch(List<Request> requests, String serverBase, boolean returnResources) {
        Map<Integer, BundleEntryResponseComponent> responses = new LinkedHashMap<>();
        for (Request request : requests) {
            try {
                responses.put(request.index(), transactions.alone(() -> {
                    requireEntryAllowed(request);
                    if (request.resource() != null) {
                        resolveReferences(request, Map.of(), serverBase);
                    }
                    String id = request.method() == HTTPVerb.POST ? UUID.randomUUID().toString()
                            : request.method() == HTTPVerb.PUT && request.conditional()
                            ? singleMatch(request.type(), request.query(), "Conditional update", false)
                            .orElse(UUID.randomUUID().toString()) : request.id();
                    return execute(request, id, serverBase, returnResources, false);
                }));
            } catch (BaseServerResponseException e) {
                responses.put(request.index(), failure(e.getStatusCode(), e.getMessage()));
            } catch (RuntimeException e) {
                responses.put(request.index(), failure(500, "The entry could not be processed; nothing of it was written"));
            }
        }
        return responseBundle(Bundle.BundleType.BATCHRESPONSE, requests.size(), responses);
    }

    private BundleEntryResponseComponent execute(Request request, String id, String serverBase,
                                                 boolean returnResources, boolean inTransaction) {
        switch (request.method()) {
            case DELETE -> {
                WriteResult result = request.conditional()
                        ? pipeline.deleteMatching(condition(request.type(), request.query()))
                        : pipeline.delete(request.type(), request.id(), request.ifMatch());
                return new BundleEntryResponseComponent().setStatus("204 No Content")
                        .setEtag("W/\"" + result.version() + "\"");
            }
            case POST -> {
                Optional<SearchQuery> ifNoneExist = Optional.ofNullable(request.ifNoneExist())
                        .map(q -> condition(request.type(), q));
                if (inTransaction && ifNoneExist.isPresent()
                        && existingMatch(request).filter(existing -> existing.equals(id)).isPresent()) {
                    IBaseResource existing = pipeline.read(request.type(), id);
                    return written(new WriteResult(existing, request.type(), id, versionOf(existing), false), "200 OK",
                            returnResources);
                }
                WriteResult result = inTransaction ? pipeline.createWithId(request.resource(), id, ifNoneExist)
                        : pipeline.create(request.resource(), ifNoneExist);
                return written(result, result.created() ? "201 Created" : "200 OK", returnResources);
            }
            case PATCH -> {
                WriteResult result = request.conditional()
                        ? pipeline.patchMatching(condition(request.type(), request.query()), request.ifMatch(),
                        request.patch()::applyTo)
                        : pipeline.patch(request.type(), request.id(), request.ifMatch(), request.patch()::applyTo);
                return written(result, "200 OK", returnResources);
            }
            case PUT -> {
                WriteResult result;
                if (request.conditional()) {
                    // evaluated again under the type lock; other entries already point at the id chosen earlier
                    request.resource().setId(request.type() + "/" + id);
                    result = pipeline.updateMatching(condition(request.type(), request.query()), request.resource());
                    if (!result.id().equals(id)) {
                        throw new ResourceVersionConflictException("A resource matching " + request.type() + "?"
                                + request.query() + " was stored concurrently; nothing was written. Retry.");
                    }
                } else {
                    result = pipeline.update(request.type(), request.id(), request.resource(), request.ifMatch());
                }
                return written(result, result.created() ? "201 Created" : "200 OK", returnResources);
            }
            case GET, HEAD -> {
                Resource found;
                if (request.id() == null) {
                    found = searchBundles.search(new SearchBundles.Request(request.type(),
                            SearchRequestParser.queryParameters(request.query()), serverBase, request.type(), false));
                } else if (request.version() != null) {
                    found = (Resource) pipeline.vread(request.type(), request.id(), parseVersionId(request));
                } else {
                    found = (Resource) pipeline.read(request.type(), request.id());
                }
                // _summary and _elements shape the answer as they would the same request alone (HAPI does that there)
                found = Subsetting.apply(fhirContext, found, request.query() == null ? Map.of()
                        : SearchRequestParser.queryParameters(request.query()));
                BundleEntryResponseComponent response = new BundleEntryResponseComponent().setStatus("200 OK");
                if (!(found instanceof Bundle)) {
                    response.setEtag("W/\"" + found.getMeta().getVersionId() + "\"")
                            .setLastModified(found.getMeta().getLastUpdated());
                }
                return response.setOutcome(request.method() == HTTPVerb.GET ? found : null);
            }
            default -> throw new InvalidRequestException("Entry " + request.index() + ": method "
                    + request.method().toCode() + " is not supported in a Bundle");
        }
    }

    /** Scope and role for the entry's interaction, and for a conditional write the reach it needs. */
    private void requireEntryAllowed(Request request) {
        switch (request.method()) {
            case POST -> pipeline.checkInteraction(request.type(), "create");
            case PUT -> {
                if (request.conditional()) {
                    pipeline.checkConditionalWrite(request.type(), false);
                } else {
                    try {
                        pipeline.checkInteraction(request.type(), "update");
                    } catch (ForbiddenOperationException e) {
                        pipeline.checkInteraction(request.type(), "create"); // update-as-create
                    }
                }
            }
            case PATCH -> {
                if (request.conditional()) {
                    pipeline.checkConditionalWrite(request.type(), false);
                } else {
                    pipeline.checkInteraction(request.type(), "update");
                }
            }
            case DELETE -> {
                if (request.conditional()) {
                    pipeline.checkConditionalWrite(request.type(), true);
                } else {
                    pipeline.checkInteraction(request.type(), "delete");
                }
            }
            default -> pipeline.checkInteraction(request.type(), request.id() == null ? "search" : "read");
        }
    }

    /**
     * One transaction cannot name the same fullUrl twice, nor write the same resource twice: which entry would win
     * is not defined, so such a Bundle is refused before anything is looked up.
     */
    private static void requireDistinctTargets(Bundle bundle, List<Request> requests) {
        Set<String> fullUrls = new HashSet<>();
        Set<String> targets = new HashSet<>();
        for (Request request : requests) {
            String fullUrl = bundle.getEntry().get(request.index()).getFullUrl();
            if (fullUrl != null && !fullUrl.isBlank() && !fullUrls.add(fullUrl)) {
                throw new InvalidRequestException("Entry " + request.index() + " repeats the fullUrl of an earlier "
                        + "entry; each entry of a transaction needs its own");
            }
            boolean write = request.method() == HTTPVerb.PUT || request.method() == HTTPVerb.PATCH
                    || request.method() == HTTPVerb.DELETE;
            if (write && request.id() != null && !targets.add(request.type() + "/" + request.id())) {
                throw new InvalidRequestException("Entry " + request.index() + " writes " + request.type()
                        + " with the same id as an earlier entry; a transaction writes each resource once");
            }
        }
    }

    private static long parseVersionId(Request request) {
        return FhirIds.versionNumber(request.version()).orElseThrow(() ->
                new InvalidRequestException("Entry " + request.index() + ": version id must be a number"));
    }

    private Request parse(int index, BundleEntryComponent entry, String serverBase) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        if (request.getMethod() == null || !request.hasUrl()) {
            throw new InvalidRequestException("Entry " + index + " needs request.method and request.url");
        }
        String url = request.getUrl();
        if (serverBase != null && url.startsWith(serverBase + "/")) {
            url = url.substring(serverBase.length() + 1);
        }
        String query = null;
        int question = url.indexOf('?');
        if (question >= 0) {
            query = url.substring(question + 1);
            url = url.substring(0, question);
        }
        String[] path = url.replaceAll("^/+|/+$", "").split("/");
        String type = path[0];
        if (!fhirContext.getResourceTypes().contains(type)) {
            throw new InvalidRequestException("Entry " + index + ": unknown resource type in request.url " + request.getUrl());
        }
        String id = path.length >= 2 ? path[1] : null;
        String version = path.length >= 4 && path[2].equals("_history") ? path[3] : null;
        Resource resource = entry.getResource();
        HTTPVerb method = request.getMethod();
        if ((method == HTTPVerb.POST || method == HTTPVerb.PUT) && resource == null) {
            throw new InvalidRequestException("Entry " + index + ": " + method.toCode() + " needs a resource");
        }
        if (resource != null && method != HTTPVerb.PATCH && !fhirContext.getResourceType(resource).equals(type)) {
            throw new InvalidRequestException("Entry " + index + ": a " + fhirContext.getResourceType(resource)
                    + " cannot be sent to " + request.getUrl());
        }
        if (method == HTTPVerb.PUT && id == null && query == null) {
            throw new InvalidRequestException("Entry " + index + ": PUT needs Type/id or a conditional Type?search url");
        }
        if (method == HTTPVerb.DELETE && id == null && query == null) {
            throw new InvalidRequestException("Entry " + index + ": DELETE needs Type/id or a conditional Type?search url");
        }
        ResourcePatch patch = null;
        if (method == HTTPVerb.PATCH) {
            if (id == null && query == null) {
                throw new InvalidRequestException("Entry " + index + ": PATCH needs Type/id or a conditional Type?search url");
            }
            // the same patches as REST: a Parameters (FHIRPath Patch) or a Binary of JSON Patch, 400 when malformed
            patch = Patches.fromEntry(fhirContext, resource, "Entry " + index);
        }
        Optional<Long> ifMatch = Optional.ofNullable(request.getIfMatch()).filter(s -> !s.isBlank())
                .map(s -> parseVersion(index, s));
        String ifNoneExist = request.hasIfNoneExist() ? request.getIfNoneExist() : null;
        return new Request(index, method, type, id, version, method == HTTPVerb.POST ? null : query, ifNoneExist,
                ifMatch, resource, patch);
    }

    /** For a conditional create: the id of the single existing match, if there is one. */
    private Optional<String> existingMatch(Request request) {
        return request.ifNoneExist() == null ? Optional.empty()
                : singleMatch(request.type(), SearchRequestParser.conditionQuery(request.ifNoneExist()), "If-None-Exist", false);
    }

    /**
     * The id of the one resource a condition matches among those the caller may read; empty for none (unless
     * required); 412 for several. Matches outside the caller's reach never count, so they cannot be detected.
     */
    private Optional<String> singleMatch(String type, String query, String what, boolean required) {
        Optional<String> match = pipeline.singleMatch(condition(type, query), what + " " + type + "?" + query);
        if (match.isEmpty() && required) {
            throw new PreconditionFailedException(what + " " + type + "?" + query + " matches no resource");
        }
        return match;
    }

    private SearchQuery condition(String type, String query) {
        return parser.parseCondition(type, query, null);
    }

    private void resolveReferences(Request request, Map<String, String> idsByFullUrl, String serverBase) {
        for (ResourceReferenceInfo info : fhirContext.newTerser().getAllResourceReferences(request.resource())) {
            Reference reference = (Reference) info.getResourceReference();
            String value = reference.getReference();
            if (value == null) {
                continue;
            }
            if (idsByFullUrl.containsKey(value)) {
                reference.setReference(idsByFullUrl.get(value));
            } else if (value.startsWith("urn:uuid:") || value.startsWith("urn:oid:")) {
                throw new InvalidRequestException("Entry " + request.index() + " refers to " + value
                        + ", which no entry of this Bundle has as its fullUrl");
            } else if (value.contains("?")) {
                String type = value.substring(0, value.indexOf('?'));
                if (!fhirContext.getResourceTypes().contains(type)) {
                    throw new InvalidRequestException("Entry " + request.index() + ": conditional reference " + value
                            + " does not start with a resource type");
                }
                String id = singleMatch(type, value.substring(value.indexOf('?') + 1), "Conditional reference", true)
                        .orElseThrow();
                reference.setReference(type + "/" + id);
            } else if (serverBase != null && value.startsWith(serverBase + "/")) {
                reference.setReference(value.substring(serverBase.length() + 1));
            }
        }
    }

    private BundleEntryResponseComponent written(WriteResult result, String status, boolean returnResource) {
        String location = result.type() + "/" + result.id() + "/_history/" + result.version();
        BundleEntryResponseComponent response = new BundleEntryResponseComponent().setStatus(status)
                .setLocation(location).setEtag("W/\"" + result.version() + "\"");
        if (result.resource() != null) {
            response.setLastModified(((Resource) result.resource()).getMeta().getLastUpdated());
            if (returnResource) {
                response.setOutcome((Resource) result.resource()); // moved to entry.resource below
            }
        }
        return response;
    }

    private static Bundle responseBundle(Bundle.BundleType type, int size,
                                         Map<Integer, BundleEntryResponseComponent> responses) {
        Bundle bundle = new Bundle().setType(type);
        bundle.setId(UUID.randomUUID().toString());
        for (int i = 0; i < size; i++) {
            BundleEntryResponseComponent response = responses.get(i);
            BundleEntryComponent entry = bundle.addEntry();
            Resource carried = response.getOutcome();
            if (carried != null && !(carried instanceof OperationOutcome)) {
                entry.setResource(carried);
                response.setOutcome(null);
            }
            entry.setResponse(response);
        }
        return bundle;
    }

    private static BundleEntryResponseComponent failure(int status, String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(message);
        return new BundleEntryResponseComponent().setStatus(status + " " + reason(status)).setOutcome(outcome);
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 412 -> "Precondition Failed";
            case 422 -> "Unprocessable Entity";
            default -> "Error";
        };
    }

    private static BaseServerResponseException prefixed(Request request, BaseServerResponseException e) {
        BaseServerResponseException wrapped = BaseServerResponseException.newInstance(e.getStatusCode(),
                "Transaction failed at entry " + request.index() + " (" + request.method().toCode() + " "
                        + request.type() + (request.id() != null ? "/" + request.id() : "") + "); nothing was written: "
                        + e.getMessage());
        if (e.getOperationOutcome() != null) {
            wrapped.setOperationOutcome(e.getOperationOutcome());
        }
        return wrapped;
    }

    /** The resource's own logical id, unless it has none or it is a placeholder (HAPI copies urn fullUrls there). */
    private static Optional<String> logicalIdOf(IBaseResource resource) {
        String value = resource.getIdElement().getValue();
        String id = resource.getIdElement().getIdPart();
        if (value == null || value.startsWith("urn:") || id == null || !FhirIds.isLogicalId(id)) {
            return Optional.empty();
        }
        return Optional.of(id);
    }

    private static long versionOf(IBaseResource resource) {
        return Long.parseLong(resource.getMeta().getVersionId());
    }

    private static long parseVersion(int index, String etag) {
        return FhirIds.versionOfETag(etag).orElseThrow(() ->
                new InvalidRequestException("Entry " + index + ": If-Match must be a version ETag, not " + etag));
    }
}
