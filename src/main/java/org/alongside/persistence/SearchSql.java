package org.alongside.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.alongside.index.StringNormalizer;
import org.alongside.search.DateRange;
import org.alongside.search.PageCursor;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchQuery.Criterion;
import org.alongside.search.SearchQuery.DateValue;
import org.alongside.search.SearchQuery.IdCriterion;
import org.alongside.search.SearchQuery.LastUpdatedCriterion;
import org.alongside.search.SearchQuery.MissingValue;
import org.alongside.search.SearchQuery.Modifier;
import org.alongside.search.SearchQuery.ParamCriterion;
import org.alongside.search.SearchQuery.ReferenceValue;
import org.alongside.search.SearchQuery.SortKey;
import org.alongside.search.SearchQuery.StringValue;
import org.alongside.search.SearchQuery.TokenValue;
import org.alongside.search.SearchQuery.Value;
import org.alongside.search.SearchParamType;

/**
 * Translates a {@link SearchQuery} into portable SQL (H2 and PostgreSQL) over the resource and index tables; one
 * page shape is for H2's planner alone ({@link Planner}). Every value is a bound parameter ({@code ?1},
 * {@code ?2}...); nothing from the request is spliced into the text.
 */
final class SearchSql {

    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    private SearchSql() {
    }

    /** The statement text and its parameters, in order. */
    record Statement(String sql, List<Object> params) {
    }

    /** Primary keys of matching current resources (at most a few are read: conditions of conditional writes). */
    static Statement selectKeys(SearchQuery query) {
        SearchSql sql = new SearchSql().filter(query);
        return new Statement("SELECT r.pk FROM res r WHERE " + sql.where + " ORDER BY r.pk", List.copyOf(sql.params));
    }

    /** The key {@code pk} if that resource matches the query, else nothing. */
    static Statement selectKey(SearchQuery query, long pk) {
        SearchSql sql = new SearchSql().filter(query);
        sql.where.append(" AND r.pk = ").append(sql.bind(pk));
        return new Statement("SELECT r.pk FROM res r WHERE " + sql.where, List.copyOf(sql.params));
    }

    /**
     * One page of matches: columns key, content and one per sort key, in the requested order (the storage key
     * breaks ties), at most one row more than the page. With a cursor the page starts next to the cursor's row,
     * after it or, for a backward cursor, before it (then the rows come in reverse order, nearest first): keyset
     * paging, so writes between two pages never shift a page, and the database seeks instead of skipping rows.
     * <p>
     * The inner query finds the page's keys and sort values only; the content is joined to those few keys
     * afterwards. When the planner has no statistics it often gathers every match before it orders them, and
     * then each match carried its content through the join and the sort; now only the page's rows fetch it. One
     * statement, so key and content come from the same snapshot (a resource deleted in between cannot leave a hole).
     */
    static Statement selectPage(SearchQuery query) {
        SearchSql sql = new SearchSql().filter(query);
        List<SortKey> sort = query.sort();
        StringBuilder keys = new StringBuilder("r.pk");
        StringBuilder columns = new StringBuilder("p.pk, r.content");
        for (int i = 0; i < sort.size(); i++) {
            keys.append(", ").append(sql.sortValue(sort.get(i))).append(" AS s").append(i);
            columns.append(", p.s").append(i);
        }
        PageCursor cursor = query.cursor();
        boolean backward = cursor != null && cursor.backward();
        if (cursor != null) {
            // in the inner query: the seek stays a condition on res, so an index on the key or time can serve it
            sql.where.append(" AND ").append(sql.beyond(sort, cursor));
        }
        String limit = sql.bind(query.count() + 1);
        return new Statement("SELECT " + columns + " FROM (SELECT " + keys + " FROM res r WHERE " + sql.where
                + order(sort, backward, "s", "r.pk") + " FETCH FIRST " + limit + " ROWS ONLY) p"
                + " JOIN res r ON r.pk = p.pk" + order(sort, backward, "p.s", "p.pk"), List.copyOf(sql.params));
    }

    /**
     * How the database plans a search, where that decides the shape of the page statement. PostgreSQL orders a
     * search's conditions from its statistics and runs the IN subqueries as semi-joins, so it gets the portable shape.
     * H2 runs each IN subquery in full before it looks at a resource (a condition that most resources meet is read
     * whole for a page of twenty), and does not see that an index whose leading columns are all fixed returns its
     * rows in key order: it gets a page walked along one index where a search allows it.
     */
    enum Planner { COST_BASED, EMBEDDED }

    /** {@link #selectPage(SearchQuery)}, or on the embedded database the walk along one index where it fits. */
    static Statement selectPage(SearchQuery query, Planner planner) {
        ParamCriterion driver = planner == Planner.EMBEDDED ? driver(query) : null;
        return driver == null ? selectPage(query) : walkedPage(query, driver);
    }

    /**
     * The criterion an unsorted forward page can walk in key order: a single value compared for equality on every
     * column its index holds before the resource key (a token's system and code; a reference's type and id). A
     * reference (to one person, say) is usually the narrower of the two, so it is preferred. Null when none fits.
     */
    private static ParamCriterion driver(SearchQuery query) {
        if (!query.sort().isEmpty() || (query.cursor() != null && query.cursor().backward())) {
            return null;
        }
        ParamCriterion token = null;
        for (Criterion criterion : query.criteria()) {
            if (!(criterion instanceof ParamCriterion param) || param.modifier() != Modifier.NONE
                    || param.anyOf().size() != 1) {
                continue;
            }
            Value value = param.anyOf().get(0);
            if (param.param().type() == SearchParamType.REFERENCE && value instanceof ReferenceValue ref
                    && ref.url() == null && ref.type() != null) {
                return param;
            }
            if (token == null && param.param().type() == SearchParamType.TOKEN && value instanceof TokenValue code
                    && code.systemGiven() && code.system() != null && code.code() != null) {
                token = param;
            }
        }
        return token;
    }

    /**
     * An unsorted page that walks the driver's index rows (table alias d) in key order from the cursor on, joins each
     * one's resource, probes the other criteria for that resource alone, and stops at the page's size. The ORDER BY
     * names every column of the index up to the key: those before it are fixed, so the order is the key's, and H2
     * reads the index in order instead of sorting every match. Index rows of a resource are unique per value (the
     * extractor keeps a set), so no resource comes twice.
     */
    private static Statement walkedPage(SearchQuery query, ParamCriterion driver) {
        SearchSql sql = new SearchSql();
        boolean token = driver.param().type() == SearchParamType.TOKEN;
        sql.where.append("d.res_type = ").append(sql.bind(query.resourceType())).append(" AND d.param = ")
                .append(sql.bind(driver.param().name())).append(" AND ").append(sql.anyValue(driver, "d"))
                .append(" AND r.res_type = ").append(sql.bind(query.resourceType())).append(" AND r.deleted = FALSE");
        for (Criterion criterion : query.criteria()) {
            if (criterion == driver) {
                continue;
            }
            sql.where.append(" AND ");
            if (criterion instanceof ParamCriterion param && param.modifier() != Modifier.MISSING
                    && param.modifier() != Modifier.NOT) {
                sql.probe(param);
            } else {
                sql.appendCriterion(query.resourceType(), criterion);
            }
        }
        if (query.cursor() != null) {
            sql.where.append(" AND d.res_pk > ").append(sql.bind(query.cursor().key()));
        }
        String order = token ? "d.res_type, d.param, d.code, d.sys, d.res_pk"
                : "d.res_type, d.param, d.target_id, d.target_type, d.res_pk";
        String limit = sql.bind(query.count() + 1);
        return new Statement("SELECT p.pk, r.content FROM (SELECT d.res_pk AS pk FROM " + table(driver.param().type())
                + " d JOIN res r ON r.pk = d.res_pk WHERE " + sql.where + " ORDER BY " + order + " FETCH FIRST " + limit
                + " ROWS ONLY) p JOIN res r ON r.pk = p.pk ORDER BY p.pk ASC", List.copyOf(sql.params));
    }

    /**
     * The criterion checked for the resource r alone, through its index rows. No resource type is named: the key
     * fixes it, and on H2 naming it would steer the probe to the value index and a scan of the parameter's rows.
     */
    private void probe(ParamCriterion criterion) {
        where.append("EXISTS (SELECT 1 FROM ").append(table(criterion.param().type()))
                .append(" i WHERE i.res_pk = r.pk AND i.param = ").append(bind(criterion.param().name())).append(" AND ")
                .append(anyValue(criterion, "i")).append(')');
    }

    /** The page order: sort columns {@code column0, column1...}, then the key; read backward, all of it flips. */
    private static String order(List<SortKey> sort, boolean backward, String column, String key) {
        StringBuilder order = new StringBuilder(" ORDER BY ");
        for (int i = 0; i < sort.size(); i++) {
            boolean descending = sort.get(i).descending() != backward;
            order.append(column).append(i).append(descending ? " DESC" : " ASC")
                    .append(backward ? " NULLS FIRST" : " NULLS LAST").append(", ");
        }
        return order.append(key).append(backward ? " DESC" : " ASC").toString();
    }

    /**
     * The number of matches, for Bundle.total: the sets of resources the value conditions match, intersected before
     * any resource row is read, and each resource in the intersection reached by its key. A set operation hashes or
     * sorts its inputs whatever the planner estimates. As {@code IN} subqueries, PostgreSQL without statistics took
     * every condition to match one row and read one condition's rows again for each match of another (category +
     * {@code sent=ge} on 3,300 messages: 400,000 index rows and 5.4 s, against 0.9 ms as sets; analysed, 4.4 ms
     * against 2.6 ms), and H2 read every resource of the type to test it against the subqueries (on 6,600 messages,
     * 4-8 ms against 1.3-1.8 ms). The type is the index rows' own: a condition on the resource's type would let a
     * planner without statistics scan the type's rows for each match. Other criteria are checked on each match.
     */
    static Statement count(SearchQuery query) {
        List<ParamCriterion> asSets = new ArrayList<>();
        List<Criterion> others = new ArrayList<>();
        for (Criterion criterion : query.criteria()) {
            if (criterion instanceof ParamCriterion param && matchesAsSet(param)) {
                asSets.add(param);
            } else {
                others.add(criterion);
            }
        }
        if (asSets.isEmpty()) {
            SearchSql sql = new SearchSql().filter(query);
            return new Statement("SELECT COUNT(*) FROM res r WHERE " + sql.where, List.copyOf(sql.params));
        }
        SearchSql sql = new SearchSql();
        // one set alone may hold a resource twice (two codings or two values that match): DISTINCT
        String distinct = asSets.size() == 1 ? "DISTINCT " : "";
        List<String> keySets = asSets.stream()
                .map(criterion -> "SELECT " + distinct + sql.matchingKeys(query.resourceType(), criterion)).toList();
        sql.where.append("r.deleted = FALSE");
        for (Criterion criterion : others) {
            sql.where.append(" AND ");
            sql.appendCriterion(query.resourceType(), criterion);
        }
        return new Statement("SELECT COUNT(*) FROM (" + String.join(" INTERSECT ", keySets)
                + ") k JOIN res r ON r.pk = k.res_pk WHERE " + sql.where, List.copyOf(sql.params));
    }

    /** A criterion met by the resources some of whose index rows match it (not {@code :missing} or {@code :not}). */
    private static boolean matchesAsSet(ParamCriterion criterion) {
        return criterion.modifier() != Modifier.MISSING && criterion.modifier() != Modifier.NOT;
    }

    /** What follows SELECT for the keys of the type's resources with an index row (alias i) that matches. */
    private String matchingKeys(String resourceType, ParamCriterion criterion) {
        return "i.res_pk FROM " + table(criterion.param().type()) + " i WHERE i.res_type = " + bind(resourceType)
                + " AND i.param = " + bind(criterion.param().name()) + " AND " + anyValue(criterion, "i");
    }

    private SearchSql filter(SearchQuery query) {
        where.append("r.res_type = ").append(bind(query.resourceType())).append(" AND r.deleted = FALSE");
        for (Criterion criterion : query.criteria()) {
            where.append(" AND ");
            appendCriterion(query.resourceType(), criterion);
        }
        return this;
    }

    private void appendCriterion(String resourceType, Criterion criterion) {
        if (criterion instanceof IdCriterion id) {
            where.append(id.negated() ? "r.res_id NOT IN (" : "r.res_id IN (");
            where.append(String.join(", ", id.ids().stream().map(this::bind).toList())).append(')');
        } else if (criterion instanceof LastUpdatedCriterion lastUpdated) {
            where.append('(');
            String or = "";
            for (DateValue value : lastUpdated.anyOf()) {
                where.append(or).append(dateCondition(value, "r.last_updated", "r.last_updated"));
                or = " OR ";
            }
            where.append(')');
        } else if (criterion instanceof SearchQuery.ChainCriterion chain) {
            // the reference points to a current resource t that matches the chained criterion for its type
            where.append("r.pk IN (SELECT c.res_pk FROM idx_reference c JOIN res t ON t.res_type = c.target_type"
                    + " AND t.res_id = c.target_id WHERE c.res_type = ").append(bind(resourceType))
                    .append(" AND c.param = ").append(bind(chain.reference().name()))
                    .append(" AND t.deleted = FALSE AND (");
            String or = "";
            for (ParamCriterion target : chain.targets()) {
                where.append(or).append("(t.res_type = ").append(bind(target.param().resourceType())).append(" AND ");
                appendParam(target.param().resourceType(), target, "t");
                where.append(')');
                or = " OR ";
            }
            where.append("))");
        } else if (criterion instanceof SearchQuery.HasCriterion has) {
            // some current resource s of the source type refers to r through the parameter and matches
            where.append("EXISTS (SELECT 1 FROM idx_reference h JOIN res s ON s.pk = h.res_pk WHERE h.res_type = ")
                    .append(bind(has.reference().resourceType())).append(" AND h.param = ")
                    .append(bind(has.reference().name()))
                    .append(" AND h.target_type = r.res_type AND h.target_id = r.res_id AND s.deleted = FALSE AND ");
            appendParam(has.reference().resourceType(), has.source(), "s");
            where.append(')');
        } else {
            appendParam(resourceType, (ParamCriterion) criterion, "r");
        }
    }

    /** The criterion on the resource row {@code row} (an alias of table res). */
    private void appendParam(String resourceType, ParamCriterion criterion, String row) {
        String table = table(criterion.param().type());
        String name = criterion.param().name();
        if (criterion.modifier() == Modifier.MISSING) {
            boolean missing = ((MissingValue) criterion.anyOf().get(0)).missing();
            where.append(missing ? "NOT " : "").append("EXISTS (SELECT 1 FROM ").append(table)
                    .append(" i WHERE i.res_pk = ").append(row).append(".pk AND i.param = ").append(bind(name)).append(')');
            return;
        }
        if (criterion.modifier() == Modifier.NOT) {
            String values = anyValue(criterion, "i");
            // :not matches resources with no value equal to any of the given ones, including those with no value at all
            where.append("NOT EXISTS (SELECT 1 FROM ").append(table).append(" i WHERE i.res_pk = ").append(row)
                    .append(".pk AND i.param = ")
                    .append(bind(name)).append(" AND ").append(values).append(')');
        } else {
            where.append(row).append(".pk IN (SELECT ").append(matchingKeys(resourceType, criterion)).append(')');
        }
    }

    /** The criterion's values as alternatives, on the index row {@code i}. */
    private String anyValue(ParamCriterion criterion, String i) {
        StringBuilder values = new StringBuilder("(");
        String or = "";
        for (Value value : criterion.anyOf()) {
            values.append(or).append(valueCondition(criterion.modifier(), value, i));
            or = " OR ";
        }
        return values.append(')').toString();
    }

    /** The condition on one value, on the index row {@code i} (an alias of the criterion's index table). */
    private String valueCondition(Modifier modifier, Value value, String i) {
        if (value instanceof TokenValue token) {
            return tokenCondition(token, i);
        }
        if (value instanceof StringValue text) {
            return switch (modifier) {
                case EXACT -> i + ".value_exact = " + bind(StringNormalizer.truncate(text.text()));
                case CONTAINS -> i + ".value_norm LIKE " + bind("%" + likeEscape(StringNormalizer.normalize(text.text()))
                        + "%") + " ESCAPE '\\'";
                default -> i + ".value_norm LIKE " + bind(likeEscape(StringNormalizer.normalize(text.text())) + "%")
                        + " ESCAPE '\\'";
            };
        }
        if (value instanceof DateValue date) {
            return dateCondition(date, i + ".low_ts", i + ".high_ts");
        }
        if (value instanceof ReferenceValue ref) {
            return referenceCondition(ref, i);
        }
        throw new IllegalArgumentException(":missing takes a single value");
    }

    private String tokenCondition(TokenValue token, String i) {
        if (!token.systemGiven()) {
            return i + ".code = " + bind(token.code());
        }
        if (token.system() == null) {
            return "(" + i + ".sys IS NULL AND " + i + ".code = " + bind(token.code()) + ")";
        }
        if (token.code() == null) {
            return i + ".sys = " + bind(token.system());
        }
        return "(" + i + ".code = " + bind(token.code()) + " AND " + i + ".sys = " + bind(token.system()) + ")";
    }

    private String referenceCondition(ReferenceValue ref, String i) {
        if (ref.url() != null) {
            return i + ".target_url = " + bind(ref.url());
        }
        if (ref.type() == null) {
            return i + ".target_id = " + bind(ref.id());
        }
        return "(" + i + ".target_id = " + bind(ref.id()) + " AND " + i + ".target_type = " + bind(ref.type()) + ")";
    }

    /**
     * FHIR date comparison between the stored span [low, high) and the searched span [sLow, sHigh):
     * eq means contained; gt/lt/ge/le/sa/eb compare the ends as R4 "Prefixes" defines.
     */
    private String dateCondition(DateValue date, String low, String high) {
        boolean instantColumn = low.equals(high);
        // a single instant column (lastUpdated) stands for the span [t, t + 1 ms)
        String highExpr = instantColumn ? low : high;
        String highOp = instantColumn ? ">=" : ">";
        DateRange range = date.range();
        Instant sLow = range.low();
        Instant sHigh = range.high();
        return switch (date.prefix()) {
            case EQ -> "(" + low + " >= " + bind(sLow) + " AND " + highExpr + (instantColumn ? " < " : " <= ")
                    + bind(sHigh) + ")";
            case NE -> "NOT (" + low + " >= " + bind(sLow) + " AND " + highExpr + (instantColumn ? " < " : " <= ")
                    + bind(sHigh) + ")";
            case GT -> highExpr + (instantColumn ? " >= " : " > ") + bind(sHigh);
            case LT -> low + " < " + bind(sLow);
            case GE -> highExpr + " " + highOp + " " + bind(sLow);
            case LE -> low + " < " + bind(sHigh);
            case SA -> low + " >= " + bind(sHigh);
            case EB -> highExpr + (instantColumn ? " < " : " <= ") + bind(sLow);
            case AP -> "(" + low + " < " + bind(sHigh) + " AND " + highExpr + " " + highOp + " " + bind(sLow) + ")";
        };
    }

    /** The value a match is sorted by for one key: for multi-valued parameters the lowest (highest if descending). */
    private String sortValue(SortKey key) {
        return switch (key.param()) {
            case "_id" -> "r.res_id";
            case "_lastUpdated" -> "r.last_updated";
            default -> {
                String column = switch (key.type()) {
                    case STRING -> "value_norm";
                    case DATE -> key.descending() ? "high_ts" : "low_ts";
                    default -> "code";
                };
                yield "(SELECT " + (key.descending() ? "MAX" : "MIN") + "(s." + column + ") FROM " + table(key.type())
                        + " s WHERE s.res_pk = r.pk AND s.param = " + bind(key.param()) + ")";
            }
        };
    }

    /**
     * Rows strictly beyond the cursor's row in the page order (sort keys with nulls last, then the key), after it
     * or before it: the row-value comparison (s0, s1, ..., pk) &gt; (v0, v1, ..., key) spelled out, since each key
     * has its own direction and nulls.
     */
    private String beyond(List<SortKey> sort, PageCursor cursor) {
        List<String> anyOf = new ArrayList<>();
        for (int i = 0; i <= sort.size(); i++) {
            StringBuilder disjunct = new StringBuilder("(");
            // equal on every key before i (each use binds its own parameters: a placeholder is used once)
            for (int j = 0; j < i; j++) {
                Object value = cursor.values().get(j);
                disjunct.append(sortValue(sort.get(j)))
                        .append(value == null ? " IS NULL" : " = " + bind(value)).append(" AND ");
            }
            if (i == sort.size()) {
                disjunct.append("r.pk ").append(cursor.backward() ? "<" : ">").append(' ').append(bind(cursor.key()));
            } else {
                String past = pastValue(sort.get(i), cursor.values().get(i), cursor.backward());
                if (past == null) {
                    continue;
                }
                disjunct.append(past);
            }
            anyOf.add(disjunct.append(')').toString());
        }
        return "(" + String.join(" OR ", anyOf) + ")";
    }

    /** A key's values past {@code value} in that key's order (nulls last), or null when there are none. */
    private String pastValue(SortKey key, Object value, boolean backward) {
        if (value == null) {
            // nothing sorts after null; everything else sorts before it
            return backward ? sortValue(key) + " IS NOT NULL" : null;
        }
        boolean greater = key.descending() == backward;
        String compared = sortValue(key) + (greater ? " > " : " < ") + bind(value);
        return backward ? compared : "(" + compared + " OR " + sortValue(key) + " IS NULL)";
    }

    private static String table(SearchParamType type) {
        return switch (type) {
            case TOKEN -> "idx_token";
            case STRING -> "idx_string";
            case DATE -> "idx_date";
            case REFERENCE, URI -> "idx_reference";
        };
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private String bind(Object value) {
        params.add(value);
        return "?" + params.size();
    }
}
