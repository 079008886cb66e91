package org.alongside.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.alongside.search.PageCursor;
import org.alongside.search.SearchQuery;
import org.alongside.store.HistoryPage;
import org.alongside.store.HistoryRequest;
import org.alongside.store.RecordAccess;
import org.alongside.store.ResourceStore;
import org.alongside.store.SearchPage;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The order of the door and what it lets through, with no server: a policy that records what it is asked and hides
 * what belongs to "Patient/other", and a store that keeps resources in a map (criteria are the store's business and
 * tested with the store; here every search matches the whole type).
 */
class InteractionPipelineTest {

    private final List<String> steps = new ArrayList<>();
    private final MapStore store = new MapStore();
    private final InteractionPipeline pipeline = new InteractionPipeline();
    private boolean filtersRecords;

    InteractionPipelineTest() {
        pipeline.store = store;
        pipeline.access = new RecordingPolicy();
        pipeline.writeChecks = new WriteChecks() {
            @Override
            public void apply(IBaseResource resource) {
                steps.add("write checks");
            }
        };
        pipeline.audit = (interaction, type, records, status) -> steps.add("audit " + interaction + " " + status);
    }

    @Test
    void aWriteIsCheckedForAccessThenByTheWriteChecksThenStoredThenAudited() {
        pipeline.create(session("mine"), Optional.empty());
        assertThat(steps).containsExactly("access write", "write checks", "store create", "audit create 200");
    }

    @Test
    void anUpdateWithoutABodyIdIsCheckedAgainstTheRecordAtTheUrlsId() {
        store.put(session("other", "e1"));
        Encounter hijack = session("mine"); // no id: once seen as a create of the caller's own content
        assertThatThrownBy(() -> pipeline.update("Encounter", "e1", hijack, Optional.empty()))
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(store.get("e1").getSubject().getReference()).isEqualTo("Patient/other");
        assertThat(steps).containsExactly("access write", "audit update 403");
    }

    @Test
    void aRefusedReadIsAuditedWithItsStatus() {
        store.put(session("other", "e2"));
        assertThatThrownBy(() -> pipeline.read("Encounter", "e2")).isInstanceOf(ForbiddenOperationException.class);
        assertThat(steps).containsExactly("audit read 403");
    }

    @Test
    void aSearchReturnsAndCountsOnlyWhatTheCallerMayReadWhenRecordsAreFilteredOneByOne() {
        filtersRecords = true;
        store.put(session("mine", "a"));
        store.put(session("other", "b"));
        store.put(session("mine", "c"));
        Searched found = pipeline.search(query(SearchQuery.TotalMode.ACCURATE, false), List.of());
        assertThat(found.matches()).extracting(r -> r.getIdElement().getIdPart()).containsExactly("a", "c");
        assertThat(found.total()).isEqualTo(2);
        assertThat(found.matches()).allMatch(r -> ((Encounter) r).getMeta().getTag("urn:test", "labelled") != null);
        Searched counted = pipeline.search(query(SearchQuery.TotalMode.ACCURATE, true), List.of());
        assertThat(counted.total()).as("_summary=count counts what the filter lets through").isEqualTo(2);
    }

    @Test
    void byDefaultAFirstPageThatHoldsEveryMatchTellsTheTotalOfWhatTheCallerSees() {
        filtersRecords = true;
        store.put(session("mine", "a"));
        store.put(session("other", "b"));
        store.put(session("mine", "c"));
        Searched found = pipeline.search(query(SearchQuery.TotalMode.WHEN_KNOWN, false), List.of());
        assertThat(found.matches()).hasSize(2);
        assertThat(found.total()).isEqualTo(2);
    }

    @Test
    void byDefaultAPageWithMoreAfterItOrBeforeItTellsNoTotal() {
        store.put(session("mine", "a"));
        store.put(session("mine", "b"));
        store.put(session("mine", "c"));
        SearchQuery firstOfTwo = new SearchQuery("Encounter", List.of(), List.of(), 2, null,
                SearchQuery.TotalMode.WHEN_KNOWN, false);
        Searched first = pipeline.search(firstOfTwo, List.of());
        assertThat(first.matches()).hasSize(2);
        assertThat(first.total()).as("more matches follow: counting them is asked for with _total").isNull();
        Searched last = pipeline.search(query(SearchQuery.TotalMode.WHEN_KNOWN, false).at(PageCursor.after(List.of(),
                0)), List.of());
        assertThat(last.total()).as("a later page does not know the pages before it").isNull();
        SearchQuery accurate = new SearchQuery("Encounter", List.of(), List.of(), 2, null,
                SearchQuery.TotalMode.ACCURATE, false);
        assertThat(pipeline.search(accurate, List.of()).total()).isEqualTo(3);
    }

    @Test
    void aSearchWhoseRecordsWereLeftOutGivesNoUncheckedTotal() {
        store.put(session("mine", "a"));
        store.put(session("other", "b"));
        Searched found = pipeline.search(query(SearchQuery.TotalMode.ACCURATE, false), List.of());
        assertThat(found.matches()).hasSize(1);
        assertThat(found.total()).isNull();
    }

    @Test
    void aConditionMatchingOnlyRecordsTheCallerMayNotReadMatchesNothing() {
        store.put(session("other", "b1"));
        store.put(session("other", "b2"));
        assertThat(pipeline.singleMatch(query(SearchQuery.TotalMode.NONE, false), "condition")).isEmpty();
        store.put(session("mine", "m1"));
        assertThat(pipeline.singleMatch(query(SearchQuery.TotalMode.NONE, false), "condition")).contains("m1");
        store.put(session("mine", "m2"));
        assertThatThrownBy(() -> pipeline.singleMatch(query(SearchQuery.TotalMode.NONE, false), "condition"))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void anOperationReleasesOnlyRecordsTheCallerMayRead() {
        List<Encounter> released = pipeline.release("CarePlan", List.of(session("mine", "x"),
                session("other", "y")));
        assertThat(released).extracting(r -> r.getIdElement().getIdPart()).containsExactly("x");
        assertThat(steps).containsExactly("audit operation 200");
    }

    private static Encounter session(String patient, String id) {
        Encounter encounter = session(patient);
        encounter.setId("Encounter/" + id);
        return encounter;
    }

    private static Encounter session(String patient) {
        Encounter encounter = new Encounter();
        encounter.setSubject(new Reference("Patient/" + patient));
        return encounter;
    }

    private static SearchQuery query(SearchQuery.TotalMode total, boolean countOnly) {
        return new SearchQuery("Encounter", List.of(), List.of(), 10, null, total, countOnly);
    }

    private static boolean others(IBaseResource resource) {
        return resource instanceof Encounter e && "Patient/other".equals(e.getSubject().getReference());
    }

    /** Denies everything about Patient/other; records the write checks it is asked for. */
    private final class RecordingPolicy implements RecordAccess {

        @Override
        public void checkInteraction(String resourceType, String interaction) {
            steps.add("access " + interaction);
        }

        @Override
        public void checkRead(IBaseResource resource) {
            if (others(resource)) {
                throw new ForbiddenOperationException("Access denied");
            }
        }

        @Override
        public boolean canRead(IBaseResource resource) {
            return !others(resource);
        }

        @Override
        public void checkWrite(Optional<IBaseResource> current, IBaseResource proposed) {
            steps.add("access write");
            if (current.filter(InteractionPipelineTest::others).isPresent() || others(proposed)) {
                throw new ForbiddenOperationException("Access denied");
            }
        }

        @Override
        public void checkDelete(String resourceType, Optional<IBaseResource> current) {
            steps.add("access delete");
        }

        @Override
        public void checkConditionalWrite(String resourceType, boolean delete) {
            steps.add("access conditional");
        }

        @Override
        public boolean seesAllOf(String resourceType) {
            return false;
        }

        @Override
        public Optional<SearchQuery> restrict(SearchQuery query) {
            return Optional.of(query);
        }

        @Override
        public boolean filtersRecords(String resourceType) {
            return filtersRecords;
        }

        @Override
        public void checkListing(String resourceType) {
        }

        @Override
        public void label(IBaseResource resource) {
            resource.getMeta().addTag().setSystem("urn:test").setCode("labelled");
        }

        @Override
        public <T> T asServer(Supplier<T> work) {
            return work.get();
        }
    }

    /** Resources in insertion order; a search is the whole type, one page; a count counts it. */
    private final class MapStore implements ResourceStore {
        private final Map<String, Encounter> byId = new LinkedHashMap<>();
        private int next;

        void put(Encounter encounter) {
            byId.put(encounter.getIdElement().getIdPart(), encounter);
        }

        Encounter get(String id) {
            return byId.get(id);
        }

        @Override
        public WriteResult create(IBaseResource resource, Optional<SearchQuery> ifNoneExist) {
            return createWithId(resource, "n" + next++, ifNoneExist);
        }

        @Override
        public WriteResult createWithId(IBaseResource resource, String id, Optional<SearchQuery> ifNoneExist) {
            steps.add("store create");
            resource.setId("Encounter/" + id);
            put((Encounter) resource);
            return new WriteResult(resource, "Encounter", id, 1, true);
        }

        @Override
        public WriteResult update(String type, String id, IBaseResource resource, Optional<Long> expectedVersion) {
            steps.add("store update");
            put((Encounter) resource);
            return new WriteResult(resource, type, id, 2, false);
        }

        @Override
        public WriteResult updateMatching(SearchQuery condition, IBaseResource resource) {
            throw new UnsupportedOperationException();
        }

        @Override
        public WriteResult delete(String type, String id, Optional<Long> expectedVersion) {
            throw new UnsupportedOperationException();
        }

        @Override
        public WriteResult deleteMatching(SearchQuery condition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public IBaseResource read(String type, String id) {
            return find(type, id).orElseThrow(() -> new ResourceNotFoundException(type + "/" + id));
        }

        @Override
        public Optional<IBaseResource> find(String type, String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public void lockForUpdate(String type, String id) {
        }

        @Override
        public IBaseResource readVersion(String type, String id, long version) {
            return read(type, id);
        }

        @Override
        public SearchPage search(SearchQuery query) {
            List<IBaseResource> all = new ArrayList<>(byId.values());
            boolean counted = query.countOnly() || query.total() == SearchQuery.TotalMode.ACCURATE;
            boolean more = all.size() > query.count();
            List<IBaseResource> page = more ? all.subList(0, query.count()) : all;
            return new SearchPage(query.countOnly() ? List.of() : page, counted ? all.size() : null,
                    more ? PageCursor.after(List.of(), query.count()) : null, null);
        }

        @Override
        public HistoryPage history(HistoryRequest request) {
            return new HistoryPage(List.of(), null);
        }
    }

}
