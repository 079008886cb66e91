package org.alongside.interaction;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.alongside.index.SearchIndexExtractor;
import org.alongside.search.FhirIds;
import org.alongside.search.Include;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.HistoryPage;
import org.alongside.store.HistoryRequest;
import org.alongside.store.RecordAccess;
import org.alongside.store.ResourceStore;
import org.alongside.store.SearchPage;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The one door: every read, search, history, create, update, patch, delete, conditional interaction and operation result,
 * whichever path it came from (REST, a Bundle entry, a mentorship operation, {@code $side-by-side}, subscription
 * status), passes here, and always in this order:
 * <ol>
 *   <li><b>scope</b> and <b>role</b>: may the caller do this interaction on this type at all;</li>
 *   <li><b>reach</b> and <b>authorship</b>: is the record (the stored one, and for writes also the proposed one) about
 *       a person the caller serves, and did they write it;</li>
 *   <li><b>consent</b>: a Part 2 record leaves the program only under the person's consent;</li>
 *   <li><b>write checks</b>, in the order {@link WriteChecks} declares (complete, label, validate);</li>
 *   <li>the <b>store</b>, with every condition (If-None-Exist, conditional update/delete, conditional references)
 *       evaluated inside the caller's reach, so a match outside it counts as no match;</li>
 *   <li>the <b>read filter</b>: nothing is returned that the caller may not read, and counts are made of what it
 *       lets through;</li>
 *   <li>the <b>no-redisclosure label</b> on Part 2 records that leave the program;</li>
 *   <li>the <b>audit</b> of the interaction, refused ones included.</li>
 * </ol>
 * Steps 1–3 and 6–7 are the {@link RecordAccess} policy; this class only decides when each is asked. Work that is
 * the server's own (rule evaluation, background delivery) runs inside {@link #asServer}, explicitly.
 */
@ApplicationScoped
public class InteractionPipeline {

    /** Matches looked at when a count has to be made record by record; past it the total is left out. */
    static final int MAX_FILTERED_COUNT = 10_000;
    private static final int COUNT_PAGE = 500;
    /** Not a FHIR id, so no record has it: the condition of a caller who reaches no one. */
    private static final String NO_ID = "!";

    @Inject
    ResourceStore store;

    @Inject
    RecordAccess access;

    @Inject
    WriteChecks writeChecks;

    @Inject
    InteractionAudit audit;

    @Inject
    SearchRequestParser parser;

    @Inject
    SearchIndexExtractor extractor;

    private IncludeResolver includes;

    public IBaseResource read(String type, String id) {
        return auditedRead("read", type, () -> released(store.read(type, id)));
    }

    public IBaseResource vread(String type, String id, long version) {
        return auditedRead("vread", type, () -> released(store.readVersion(type, id, version)));
    }

    /** A search and its includes, as far as the caller may see them; totals count only that. */
    public Searched search(SearchQuery query, List<Include> includeParams) {
        return auditedSearch(query.resourceType(), () -> {
            Optional<SearchQuery> restricted = access.restrict(query);
            boolean counted = query.total() == SearchQuery.TotalMode.ACCURATE || query.countOnly();
            if (restricted.isEmpty()) {
                return new Searched(List.of(), List.of(), counted ? 0 : null, null, null);
            }
            SearchPage page = store.search(restricted.get());
            List<IBaseResource> visible = visible(page.resources());
            Integer total = page.total();
            if (counted && access.filtersRecords(query.resourceType())) {
                total = countVisible(restricted.get());
            } else if (visible.size() != page.resources().size()) {
                total = null; // the store counted records the filter then left out
            }
            if (!counted && query.total() == SearchQuery.TotalMode.WHEN_KNOWN && query.cursor() == null
                    && page.next() == null) {
                total = visible.size(); // the first page holds every match: what the caller sees of it is the total
            }
            List<IBaseResource> included = visible(includeResolver().resolve(visible, includeParams));
            visible.forEach(access::label);
            included.forEach(access::label);
            return new Searched(visible, included, total, page.next(), page.previous());
        });
    }

    /** History, leaving out what the caller may not see (the cursor still moves past it). */
    public HistoryPage history(HistoryRequest request) {
        String interaction = request.type() == null ? "history-system"
                : request.id() == null ? "history-type" : "history-instance";
        return audited(interaction, request.type(), () -> {
            access.checkListing(request.type());
            if (request.id() != null && !access.seesAllOf(request.type())) {
                access.checkRead(store.read(request.type(), request.id()));
            }
            HistoryPage page = store.history(request);
            List<HistoryPage.Entry> shown = page.entries().stream().filter(entry -> entry.resource() == null
                    ? access.seesAllOf(entry.type()) : access.canRead(entry.resource())).toList();
            shown.stream().filter(entry -> entry.resource() != null).forEach(entry -> access.label(entry.resource()));
            return new HistoryPage(shown, page.nextCursor());
        }, page -> page.entries().stream().map(HistoryPage.Entry::resource).filter(r -> r != null).toList());
    }

    /** Creates with a server-chosen id; {@code ifNoneExist} is matched only among what the caller may read. */
    @Transactional
    public WriteResult create(IBaseResource resource, Optional<SearchQuery> ifNoneExist) {
        return auditedWrite("create", resource.fhirType(), () -> {
            access.checkWrite(Optional.empty(), resource);
            writeChecks.apply(resource);
            WriteResult result = store.create(resource, withinReach(ifNoneExist));
            if (!result.created() && !access.canRead(result.resource())) {
                // the match is one the caller may not read (consent): for them nothing matched. The type lock taken
                // by the conditional create is held until commit, so this create is as race-safe as the first try
                result = store.create(resource, Optional.empty());
            }
            return returned(result);
        });
    }

    /** Creates under an id the caller chose beforehand (transaction Bundles resolve references to it). */
    @Transactional
    public WriteResult createWithId(IBaseResource resource, String id, Optional<SearchQuery> ifNoneExist) {
        return auditedWrite("create", resource.fhirType(), () -> {
            access.checkWrite(Optional.empty(), resource);
            writeChecks.apply(resource);
            // a caller whose records are filtered one by one decided "no match" among what they may read (singleMatch);
            // the store's own recheck would count what they may not read
            Optional<SearchQuery> condition = access.filtersRecords(resource.fhirType()) ? Optional.empty()
                    : withinReach(ifNoneExist);
            return returned(store.createWithId(resource, id, condition));
        });
    }

    /**
     * Updates {@code type/id} (or creates it with that id). The target is the URL's, never the body's: a body
     * without an id is given this one before any check, so the stored record it replaces is the one checked.
     */
    @Transactional
    public WriteResult update(String type, String id, IBaseResource resource, Optional<Long> expectedVersion) {
        return auditedWrite("update", type, () -> replaced(type, id, resource, expectedVersion));
    }

    /**
     * Patch: the record is read as the caller would read it (a record they may not read cannot be patched, whatever
     * they may write), the patch is applied to it, and the result is an update of the version that was read, checked
     * as any update is. Read and write are one transaction; nothing is written when any step refuses.
     *
     * @param ifMatch the version the client expects (If-Match); without it, a write that slips in between the read
     *                and the update is a 409 (retry), never a lost update
     */
    @Transactional
    public WriteResult patch(String type, String id, Optional<Long> ifMatch, UnaryOperator<IBaseResource> patch) {
        return auditedWrite("patch", type, () -> patched(type, id, ifMatch, patch));
    }

    /** Conditional patch: the single match among the records the caller may read; 404 for none, 412 for several. */
    @Transactional
    public WriteResult patchMatching(SearchQuery condition, Optional<Long> ifMatch, UnaryOperator<IBaseResource> patch) {
        String type = condition.resourceType();
        return auditedWrite("patch", type, () -> {
            access.checkConditionalWrite(type, false);
            String id = singleMatch(condition, "Conditional patch of " + type).orElseThrow(() ->
                    new ResourceNotFoundException("The conditional patch matches no " + type));
            return patched(type, id, ifMatch, patch);
        });
    }

    /** Conditional update: the single match the caller may read, a create when none, 412 when several. */
    @Transactional
    public WriteResult updateMatching(SearchQuery condition, IBaseResource resource) {
        return auditedWrite("update", condition.resourceType(), () -> {
            access.checkConditionalWrite(condition.resourceType(), false);
            access.checkWrite(Optional.empty(), resource);
            writeChecks.apply(resource);
            return returned(store.updateMatching(requireWithinReach(condition), resource));
        });
    }

    @Transactional
    public WriteResult delete(String type, String id, Optional<Long> expectedVersion) {
        return auditedWrite("delete", type, () -> {
            access.checkDelete(type, store.find(type, id));
            return store.delete(type, id, expectedVersion);
        });
    }

    @Transactional
    public WriteResult deleteMatching(SearchQuery condition) {
        return auditedWrite("delete", condition.resourceType(), () -> {
            access.checkConditionalWrite(condition.resourceType(), true);
            return store.deleteMatching(requireWithinReach(condition));
        });
    }

    /**
     * Refuses an interaction on a type before anything is looked up for it (a Bundle entry's conditions and
     * references are resolved only once the caller may do the entry at all).
     */
    public void checkInteraction(String resourceType, String interaction) {
        access.checkInteraction(resourceType, interaction);
    }

    /**
     * Whether {@code type/id} exists as far as the caller can tell (a record they may not read is "not known", like
     * one that does not exist): for operations that check what their parameters name before they run.
     */
    public boolean isVisible(String type, String id) {
        return store.find(type, id).map(access::canRead).orElse(false);
    }

    /** Refuses a conditional update or delete of the type before its condition is matched. */
    public void checkConditionalWrite(String resourceType, boolean delete) {
        access.checkConditionalWrite(resourceType, delete);
    }

    /**
     * The id of the one record a condition matches among those the caller may read (conditional references and
     * conditional ids in Bundles); empty for none; 412 for several. Records outside the caller's reach are never
     * counted, so the answer is the same whether or not such records exist.
     */
    public Optional<String> singleMatch(SearchQuery condition, String what) {
        Optional<SearchQuery> restricted = access.restrict(condition);
        if (restricted.isEmpty()) {
            return Optional.empty();
        }
        SearchQuery q = restricted.get();
        List<IBaseResource> matches = new ArrayList<>();
        SearchQuery page = new SearchQuery(q.resourceType(), q.criteria(), q.sort(), 50, null,
                SearchQuery.TotalMode.NONE, false);
        // a few pages at most: filtered-out matches must not decide between "one" and "several"
        for (int round = 0; round < 20 && matches.size() < 2; round++) {
            SearchPage result = store.search(page);
            matches.addAll(visible(result.resources()));
            if (!result.hasMore()) {
                break;
            }
            page = page.at(result.next());
        }
        if (matches.size() > 1) {
            throw new PreconditionFailedException(what + " matches several resources");
        }
        return matches.stream().findFirst().map(r -> r.getIdElement().getIdPart());
    }

    /** What an operation hands back: only records the caller may read, labelled, and audited as a read. */
    public <T extends IBaseResource> List<T> release(String resourceType, List<T> records) {
        return audited("operation", resourceType, () -> {
            List<T> shown = records.stream().filter(access::canRead).toList();
            shown.forEach(access::label);
            return shown;
        }, shown -> shown);
    }

    /**
     * Records that an operation's answer discloses these records (already read through this pipeline) for a purpose
     * of its own, such as a billing export for payment: audited as a disclosure whoever the caller is.
     */
    public void disclosed(String purpose, String resourceType, List<? extends IBaseResource> records) {
        if (!records.isEmpty()) {
            audit.disclosed(purpose, resourceType, records);
        }
    }

    /**
     * For records kept outside the resource store (the audit trail): refuses listing the type, or reading one
     * record of it, as {@link #search} and {@link #read} would.
     */
    public void checkListing(String resourceType) {
        access.checkListing(resourceType);
    }

    public void checkRead(IBaseResource resource) {
        access.checkRead(resource);
    }

    /** Runs internal work as the server: rule evaluation that sees every record, none of which is returned as is. */
    public <T> T asServer(Supplier<T> work) {
        return access.asServer(work);
    }

    /** An update's steps after its audit: the target is the URL's, checked against the stored record and the new. */
    private WriteResult replaced(String type, String id, IBaseResource resource, Optional<Long> expectedVersion) {
        String value = resource.getIdElement().getValue();
        String bodyId = value == null || value.startsWith("urn:") ? null : resource.getIdElement().getIdPart();
        if (bodyId != null && !bodyId.equals(id)) {
            throw new InvalidRequestException("The resource id " + bodyId + " differs from the id in the URL " + id);
        }
        resource.setId(type + "/" + id);
        access.checkWrite(store.find(type, id), resource);
        writeChecks.apply(resource);
        return returned(store.update(type, id, resource, expectedVersion));
    }

    private WriteResult patched(String type, String id, Optional<Long> ifMatch, UnaryOperator<IBaseResource> patch) {
        access.checkInteraction(type, "update");
        IBaseResource current = store.read(type, id);
        access.checkRead(current);
        long version = FhirIds.versionNumber(current.getMeta().getVersionId()).orElseThrow();
        if (ifMatch.isPresent() && ifMatch.get() != version) {
            throw new PreconditionFailedException("Version conflict: If-Match expects version " + ifMatch.get()
                    + " but " + type + "/" + id + " is at version " + version);
        }
        IBaseResource proposed = patch.apply(current);
        try {
            return replaced(type, id, proposed, Optional.of(version));
        } catch (PreconditionFailedException e) {
            if (ifMatch.isPresent()) {
                throw e;
            }
            throw new ResourceVersionConflictException("A concurrent request changed " + type + "/" + id
                    + " while it was patched; nothing was written. Retry the request.");
        }
    }

    private IBaseResource released(IBaseResource resource) {
        access.checkRead(resource);
        access.label(resource);
        return resource;
    }

    /**
     * A written record handed back to its writer carries the label a read would. A record that was not created (an
     * If-None-Exist match, or one updated in place) is handed back only if the caller may read it; otherwise the
     * interaction is refused and, inside its transaction, rolls back.
     */
    private WriteResult returned(WriteResult result) {
        if (result.resource() != null) {
            if (!result.created()) {
                access.checkRead(result.resource());
            }
            access.label(result.resource());
        }
        return result;
    }

    private Optional<SearchQuery> withinReach(Optional<SearchQuery> condition) {
        return condition.flatMap(access::restrict);
    }

    /** A conditional update's or delete's search, inside the caller's reach (matching nothing when it reaches none). */
    private SearchQuery requireWithinReach(SearchQuery condition) {
        return access.restrict(condition).orElseGet(() -> new SearchQuery(condition.resourceType(),
                List.of(new SearchQuery.IdCriterion(List.of(NO_ID), false)), condition.sort(), condition.count(), null,
                SearchQuery.TotalMode.NONE, false));
    }

    private List<IBaseResource> visible(List<IBaseResource> records) {
        return records.stream().filter(access::canRead).toList();
    }

    /** Counts the matches the read filter lets through, page by page; null past {@link #MAX_FILTERED_COUNT}. */
    private Integer countVisible(SearchQuery query) {
        SearchQuery page = new SearchQuery(query.resourceType(), query.criteria(), List.of(), COUNT_PAGE, null,
                SearchQuery.TotalMode.NONE, false);
        int seen = 0;
        int visible = 0;
        while (seen < MAX_FILTERED_COUNT) {
            SearchPage result = store.search(page);
            seen += result.resources().size();
            visible += visible(result.resources()).size();
            if (!result.hasMore()) {
                return visible;
            }
            page = page.at(result.next());
        }
        return null;
    }

    private IncludeResolver includeResolver() {
        if (includes == null) {
            includes = new IncludeResolver(store, parser, extractor);
        }
        return includes;
    }

    private Searched auditedSearch(String type, Supplier<Searched> work) {
        return audited("search-type", type, work, searched -> {
            List<IBaseResource> all = new ArrayList<>(searched.matches());
            all.addAll(searched.included());
            return all;
        });
    }

    private <T extends IBaseResource> T auditedRead(String interaction, String type, Supplier<T> work) {
        return audited(interaction, type, work, r -> List.of(r));
    }

    private WriteResult auditedWrite(String interaction, String type, Supplier<WriteResult> work) {
        return audited(interaction, type, work, r -> r.resource() == null ? List.of() : List.of(r.resource()));
    }

    private <T> T audited(String interaction, String type, Supplier<T> work,
                          java.util.function.Function<T, List<? extends IBaseResource>> records) {
        T result;
        try {
            result = work.get();
        } catch (BaseServerResponseException e) {
            audit.record(interaction, type, List.of(), e.getStatusCode());
            throw e;
        }
        audit.record(interaction, type, records.apply(result), 200);
        return result;
    }
}
