package org.alongside.persistence;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.alongside.search.FhirIds;
import org.alongside.index.IndexedValues;
import org.alongside.index.SearchIndexExtractor;
import org.alongside.persistence.index.DateIndexRow;
import org.alongside.persistence.index.ReferenceIndexRow;
import org.alongside.persistence.index.StringIndexRow;
import org.alongside.persistence.index.TokenIndexRow;
import org.alongside.search.SearchQuery;
import org.alongside.store.ChangeListener;
import org.alongside.store.HistoryPage;
import org.alongside.store.HistoryRequest;
import org.alongside.store.ResourceChange;
import org.alongside.store.ResourceStore;
import org.alongside.store.SearchPage;
import org.alongside.store.WriteResult;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/** {@link ResourceStore} on Hibernate ORM: one JTA transaction per call (or the caller's). */
@ApplicationScoped
@Transactional
public class JpaResourceStore implements ResourceStore {

    private static final List<String> INDEX_ENTITIES =
            List.of("TokenIndexRow", "StringIndexRow", "DateIndexRow", "ReferenceIndexRow");

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Inject
    FhirContext fhirContext;

    @Inject
    SearchIndexExtractor indexExtractor;

    @Inject
    WriteOrder writeOrder;

    @Inject
    StoreDatabase database;

    /** Told of every change inside the writing transaction (the subscription outbox). */
    @Inject
    Instance<ChangeListener> changeListeners;

    @Override
    public WriteResult create(IBaseResource resource, Optional<SearchQuery> ifNoneExist) {
        String type = fhirContext.getResourceType(resource);
        if (ifNoneExist.isPresent()) {
            lockType(type);
            List<Long> matches = matchingKeys(ifNoneExist.get());
            if (matches.size() > 1) {
                throw new PreconditionFailedException("If-None-Exist matches " + matches.size()
                        + " resources; it must match at most one");
            }
            if (matches.size() == 1) {
                ResourceRow existing = em.find(ResourceRow.class, matches.get(0));
                return new WriteResult(parse(existing.getContent()), type, existing.getResourceId(),
                        existing.getVersionId(), false);
            }
        }
        ResourceRow row = new ResourceRow(type, UUID.randomUUID().toString());
        return write(row, resource, "POST", true);
    }

    @Override
    public WriteResult createWithId(IBaseResource resource, String id, Optional<SearchQuery> ifNoneExist) {
        String type = fhirContext.getResourceType(resource);
        requireValidId(id);
        if (ifNoneExist.isPresent()) {
            lockType(type);
            if (!matchingKeys(ifNoneExist.get()).isEmpty()) {
                throw new ResourceVersionConflictException("A resource matching the conditional create of " + type
                        + " was stored concurrently; nothing was written. Retry the request.");
            }
        }
        return write(new ResourceRow(type, id), resource, "POST", true);
    }

    @Override
    public WriteResult update(String type, String id, IBaseResource resource, Optional<Long> expectedVersion) {
        requireValidId(id);
        ResourceRow row = lockedRow(type, id);
        if (row == null) {
            if (expectedVersion.isPresent()) {
                throw new PreconditionFailedException("If-Match given, but " + type + "/" + id + " does not exist");
            }
            return write(new ResourceRow(type, id), resource, "PUT", true);
        }
        if (expectedVersion.isPresent() && expectedVersion.get() != row.getVersionId()) {
            throw new PreconditionFailedException("Version conflict: If-Match expects version " + expectedVersion.get()
                    + " but " + type + "/" + id + " is at version " + row.getVersionId());
        }
        return write(row, resource, "PUT", false);
    }

    @Override
    public WriteResult updateMatching(SearchQuery condition, IBaseResource resource) {
        String type = condition.resourceType();
        lockType(type);
        List<Long> matches = matchingKeys(condition);
        if (matches.size() > 1) {
            throw new PreconditionFailedException("Conditional update matches " + matches.size()
                    + " resources; it must match at most one");
        }
        IIdType bodyId = resource.getIdElement();
        if (matches.isEmpty()) {
            if (bodyId.hasIdPart()) {
                return update(type, bodyId.getIdPart(), resource, Optional.empty());
            }
            return write(new ResourceRow(type, UUID.randomUUID().toString()), resource, "PUT", true);
        }
        ResourceRow row = em.find(ResourceRow.class, matches.get(0), LockModeType.PESSIMISTIC_WRITE);
        if (bodyId.hasIdPart() && !bodyId.getIdPart().equals(row.getResourceId())) {
            throw new InvalidRequestException("Resource id " + bodyId.getIdPart()
                    + " differs from the id of the resource the condition matches");
        }
        return write(row, resource, "PUT", false);
    }

    @Override
    public WriteResult delete(String type, String id, Optional<Long> expectedVersion) {
        ResourceRow row = lockedRow(type, id);
        if (row == null) {
            throw new ResourceNotFoundException(type + "/" + id + " is not known");
        }
        if (expectedVersion.isPresent() && expectedVersion.get() != row.getVersionId()) {
            throw new PreconditionFailedException("Version conflict: If-Match expects version " + expectedVersion.get()
                    + " but " + type + "/" + id + " is at version " + row.getVersionId());
        }
        return markDeleted(row);
    }

    @Override
    public WriteResult deleteMatching(SearchQuery condition) {
        lockType(condition.resourceType());
        List<Long> matches = matchingKeys(condition);
        if (matches.size() > 1) {
            throw new PreconditionFailedException("Conditional delete matches " + matches.size()
                    + " resources; it must match at most one");
        }
        if (matches.isEmpty()) {
            throw new ResourceNotFoundException("No " + condition.resourceType() + " matches the condition");
        }
        return markDeleted(em.find(ResourceRow.class, matches.get(0), LockModeType.PESSIMISTIC_WRITE));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public IBaseResource read(String type, String id) {
        CurrentVersion current = currentVersion(type, id);
        if (current == null) {
            throw new ResourceNotFoundException(type + "/" + id + " is not known");
        }
        if (current.deleted()) {
            throw new ResourceGoneException(type + "/" + id + " was deleted (version " + current.version() + ")");
        }
        return parse(current.content());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<IBaseResource> find(String type, String id) {
        CurrentVersion current = currentVersion(type, id);
        return current == null || current.deleted() ? Optional.empty() : Optional.of(parse(current.content()));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockForUpdate(String type, String id) {
        if (lockedRow(type, id) == null) {
            throw new ResourceNotFoundException(type + "/" + id + " is not known");
        }
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public IBaseResource readVersion(String type, String id, long version) {
        List<VersionRow> rows = em.createQuery("SELECT v FROM VersionRow v WHERE v.type = :type"
                        + " AND v.resourceId = :id AND v.versionId = :version", VersionRow.class)
                .setParameter("type", type).setParameter("id", id).setParameter("version", version)
                .getResultList();
        if (rows.isEmpty()) {
            throw new ResourceNotFoundException(type + "/" + id + "/_history/" + version + " is not known");
        }
        VersionRow row = rows.get(0);
        if (row.getContent() == null) {
            throw new ResourceGoneException(type + "/" + id + " version " + version + " is a deletion");
        }
        return parse(row.getContent());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public SearchPage search(SearchQuery query) {
        Integer total = null;
        if (query.total() == SearchQuery.TotalMode.ACCURATE || query.countOnly()) {
            total = ((Number) nativeQuery(SearchSql.count(query)).getSingleResult()).intValue();
        }
        if (query.countOnly()) {
            return SearchPage.empty(total);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = nativeQuery(SearchSql.selectPage(query, database.planner())).getResultList(); // limits itself
        return KeysetPage.of(query, rows, total, content -> parse(content.toString()));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public HistoryPage history(HistoryRequest request) {
        HistoryPage.Cursor before = request.before();
        if (before != null && before.feed() != request.changeFeed()) {
            before = translate(before, request.changeFeed());
        }
        // taken before the query: every transaction below it has finished, so the query's own snapshot sees it all
        long horizon = request.changeFeed() ? writeOrder.horizon() : 0;
        String order = request.changeFeed() ? "v.writeOrder" : "v.lastUpdated";
        String past = request.changeFeed() ? ">" : "<";
        StringBuilder jpql = new StringBuilder("SELECT v FROM VersionRow v WHERE 1 = 1");
        if (request.type() != null) {
            jpql.append(" AND v.type = :type");
        }
        if (request.id() != null) {
            jpql.append(" AND v.resourceId = :id");
        }
        if (request.since() != null) {
            jpql.append(" AND v.lastUpdated >= :since");
        }
        if (before != null) {
            jpql.append(" AND (").append(order).append(' ').append(past).append(" :position OR (").append(order)
                    .append(" = :position AND v.pk ").append(past).append(" :beforeKey))");
        }
        if (request.changeFeed()) {
            jpql.append(" AND v.writeOrder < :horizon");
        }
        String direction = request.changeFeed() ? " ASC" : " DESC";
        jpql.append(" ORDER BY ").append(order).append(direction).append(", v.pk").append(direction);
        TypedQuery<VersionRow> query = em.createQuery(jpql.toString(), VersionRow.class);
        if (request.type() != null) {
            query.setParameter("type", request.type());
        }
        if (request.id() != null) {
            query.setParameter("id", request.id());
        }
        if (request.since() != null) {
            query.setParameter("since", request.since());
        }
        if (before != null) {
            query.setParameter("position", request.changeFeed() ? (Object) before.position() : before.lastUpdated());
            query.setParameter("beforeKey", before.key());
        }
        if (request.changeFeed()) {
            query.setParameter("horizon", horizon);
        }
        List<VersionRow> rows = query.setMaxResults(request.count() + 1).getResultList();
        boolean hasMore = rows.size() > request.count();
        List<HistoryPage.Entry> entries = new ArrayList<>();
        for (VersionRow row : rows.subList(0, Math.min(rows.size(), request.count()))) {
            entries.add(new HistoryPage.Entry(row.getType(), row.getResourceId(), row.getVersionId(),
                    row.getLastUpdated(), row.getMethod(), row.getContent() == null ? null : parse(row.getContent())));
        }
        HistoryPage.Cursor next = null;
        // a change feed always hands back where it stopped: following the link later picks up new changes
        if (!rows.isEmpty() && (hasMore || request.changeFeed())) {
            VersionRow last = rows.get(Math.min(rows.size(), request.count()) - 1);
            next = request.changeFeed() ? HistoryPage.Cursor.feed(last.getWriteOrder(), last.getPk())
                    : HistoryPage.Cursor.newestFirst(last.getLastUpdated(), last.getPk());
        }
        return new HistoryPage(entries, next);
    }

    /**
     * A cursor written for the other order points at the same version: a feed cursor stored before the feed moved
     * to write order (epoch milliseconds and key) carries on from that version.
     */
    private HistoryPage.Cursor translate(HistoryPage.Cursor cursor, boolean toFeed) {
        List<VersionRow> rows = em.createQuery("SELECT v FROM VersionRow v WHERE v.pk = :pk", VersionRow.class)
                .setParameter("pk", cursor.key()).getResultList();
        if (rows.isEmpty()) {
            throw new InvalidRequestException("The paging cursor does not point at a version this server holds");
        }
        VersionRow row = rows.get(0);
        return toFeed ? HistoryPage.Cursor.feed(row.getWriteOrder(), row.getPk())
                : HistoryPage.Cursor.newestFirst(row.getLastUpdated(), row.getPk());
    }

    private WriteResult write(ResourceRow row, IBaseResource resource, String method, boolean created) {
        String type = row.getType();
        if (!created && !row.isDeleted() && sameContent(row, resource)) {
            return new WriteResult(parse(row.getContent()), type, row.getResourceId(), row.getVersionId(), false);
        }
        long version = created ? 1 : row.getVersionId() + 1;
        long place = writeOrder.place(); // before the time stamp: see WriteHorizon
        Instant now = nextTimestamp(row);
        stamp(resource, type, row.getResourceId(), version, now);
        row.setCurrent(version, now, false, jsonParser().encodeResourceToString(resource));
        if (created) {
            em.persist(row);
        } else {
            clearIndex(row);
        }
        em.persist(new VersionRow(row, method, place));
        index(row, resource);
        notifyListeners(row, created ? ResourceChange.Operation.CREATE : ResourceChange.Operation.UPDATE, resource);
        return new WriteResult(resource, type, row.getResourceId(), version, created);
    }

    private WriteResult markDeleted(ResourceRow row) {
        if (row.isDeleted()) {
            return new WriteResult(null, row.getType(), row.getResourceId(), row.getVersionId(), false);
        }
        long place = writeOrder.place();
        row.setCurrent(row.getVersionId() + 1, nextTimestamp(row), true, null);
        em.persist(new VersionRow(row, "DELETE", place));
        clearIndex(row);
        notifyListeners(row, ResourceChange.Operation.DELETE, null);
        return new WriteResult(null, row.getType(), row.getResourceId(), row.getVersionId(), false);
    }

    private void notifyListeners(ResourceRow row, ResourceChange.Operation operation, IBaseResource resource) {
        ResourceChange change = null;
        for (ChangeListener listener : changeListeners) {
            if (!listener.interestedIn(row.getType())) {
                continue;
            }
            if (change == null) {
                Long pk = row.getPk();
                boolean deleted = operation == ResourceChange.Operation.DELETE;
                change = new ResourceChange(row.getType(), row.getResourceId(), row.getVersionId(), operation, resource,
                        query -> !deleted && matchesKey(query, pk));
            }
            listener.changed(change);
        }
    }

    /** Runs the search restricted to one row, after flushing so that it sees this transaction's index rows. */
    private boolean matchesKey(SearchQuery query, Long pk) {
        em.flush();
        return !nativeQuery(SearchSql.selectKey(query, pk)).setMaxResults(1).getResultList().isEmpty();
    }

    /** Compares content ignoring the server-managed meta fields. */
    private boolean sameContent(ResourceRow row, IBaseResource resource) {
        stamp(resource, row.getType(), row.getResourceId(), row.getVersionId(), row.getLastUpdated());
        return jsonParser().encodeResourceToString(resource).equals(row.getContent());
    }

    private void stamp(IBaseResource resource, String type, String id, long version, Instant lastUpdated) {
        resource.setId(fhirContext.getVersion().newIdType().setParts(null, type, id, Long.toString(version)));
        resource.getMeta().setVersionId(Long.toString(version));
        resource.getMeta().setLastUpdated(Date.from(lastUpdated));
    }

    /** Millisecond precision (what FHIR instants and both databases keep), never behind the previous version. */
    private static Instant nextTimestamp(ResourceRow row) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant previous = row.getLastUpdated();
        return previous != null && !now.isAfter(previous) ? previous.plusMillis(1) : now;
    }

    private void index(ResourceRow row, IBaseResource resource) {
        IndexedValues values = indexExtractor.extract(resource);
        Long pk = row.getPk();
        String type = row.getType();
        values.tokens().forEach(t -> em.persist(new TokenIndexRow(pk, type, t.param(), t.system(), t.code())));
        values.strings().forEach(s -> em.persist(new StringIndexRow(pk, type, s.param(), s.normalized(), s.exact())));
        values.dates().forEach(d -> em.persist(new DateIndexRow(pk, type, d.param(), d.low(), d.high())));
        values.references().forEach(r -> em.persist(
                new ReferenceIndexRow(pk, type, r.param(), r.targetType(), r.targetId(), r.url())));
    }

    private void clearIndex(ResourceRow row) {
        for (String entity : INDEX_ENTITIES) {
            em.createQuery("DELETE FROM " + entity + " i WHERE i.resourcePk = :pk")
                    .setParameter("pk", row.getPk()).executeUpdate();
        }
    }

    /** Serialises conditional writes per resource type: the condition is evaluated and acted on atomically. */
    private void lockType(String type) {
        em.createNativeQuery("SELECT res_type FROM type_lock WHERE res_type = ?1 FOR UPDATE")
                .setParameter(1, type).getResultList();
    }

    private List<Long> matchingKeys(SearchQuery condition) {
        @SuppressWarnings("unchecked")
        List<Object> keys = nativeQuery(SearchSql.selectKeys(condition)).setMaxResults(2).getResultList();
        return keys.stream().map(k -> ((Number) k).longValue()).toList();
    }

    /** What a read needs of a resource's current version. */
    private record CurrentVersion(long version, boolean deleted, String content) {
    }

    /** The current version for a read, as plain values ({@link SessionSql}: why not the entity query). */
    private CurrentVersion currentVersion(String type, String id) {
        if (em.isJoinedToTransaction()) {
            em.flush(); // the statement below must see what this transaction wrote, as an entity query would
        }
        return SessionSql.first(em, "SELECT version_id, deleted, content FROM res WHERE res_type = ? AND res_id = ?",
                row -> new CurrentVersion(row.getLong(1), row.getBoolean(2), row.getString(3)), type, id);
    }

    /** The resource's row, locked for this transaction's write (null when there is none). */
    private ResourceRow lockedRow(String type, String id) {
        List<ResourceRow> rows = em.createQuery(
                        "SELECT r FROM ResourceRow r WHERE r.type = :type AND r.resourceId = :id", ResourceRow.class)
                .setParameter("type", type).setParameter("id", id).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Query nativeQuery(SearchSql.Statement statement) {
        Query query = em.createNativeQuery(statement.sql());
        for (int i = 0; i < statement.params().size(); i++) {
            query.setParameter(i + 1, statement.params().get(i));
        }
        return query;
    }

    private static void requireValidId(String id) {
        if (!FhirIds.isLogicalId(id)) {
            throw new InvalidRequestException("Invalid resource id '" + id + "': 1-64 characters of A-Z a-z 0-9 - .");
        }
    }

    /** Stored content was validated on the way in; read it back leniently so model upgrades never lock data out. */
    private IParser jsonParser() {
        return fhirContext.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
    }

    private IBaseResource parse(String json) {
        return jsonParser().parseResource(json);
    }
}
