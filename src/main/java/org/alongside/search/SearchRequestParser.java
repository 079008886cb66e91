package org.alongside.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.UrlUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.alongside.search.SearchQuery.TotalMode;
import org.alongside.search.SearchQuery.Value;

/**
 * Turns the query parameters of a FHIR search into a {@link SearchQuery}. Pure: no database, no I/O.
 * Anything it cannot honour exactly is refused with 400 (unless the client asked for lenient handling,
 * in which case unknown parameters are ignored), because silently widening a search would hand a
 * sync client the wrong records.
 */
public final class SearchRequestParser {

    /** Result-shaping parameters that HAPI applies to the response, not to matching. */
    private static final Set<String> RESPONSE_PARAMS = Set.of("_format", "_pretty", "_elements", "_summary");

    private final SearchParamRegistry registry;
    private final int defaultCount;
    private final int maxCount;

    public SearchRequestParser(SearchParamRegistry registry, int defaultCount, int maxCount) {
        this.registry = registry;
        this.defaultCount = defaultCount;
        this.maxCount = maxCount;
    }

    /**
     * @param serverBase base URL of this server, to recognise absolute references to local resources
     * @param lenient    ignore unknown parameters instead of refusing them ({@code Prefer: handling=lenient})
     */
    public SearchQuery parse(String resourceType, Map<String, List<String>> parameters, String serverBase,
                             boolean lenient) {
        if (!registry.supportsType(resourceType)) {
            throw new InvalidRequestException("Resource type " + resourceType + " is not supported");
        }
        List<Criterion> criteria = new ArrayList<>();
        List<SortKey> sort = List.of();
        int count = defaultCount;
        PageCursor cursor = null;
        TotalMode total = TotalMode.WHEN_KNOWN;
        boolean countOnly = false;

        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            String rawName = entry.getKey();
            for (String rawValue : entry.getValue()) {
                switch (rawName) {
                    case "_count" -> count = Math.min(nonNegative(rawName, rawValue), maxCount);
                    case "_offset" -> throw new InvalidRequestException("_offset is not supported: pages are found"
                            + " by position, not by number; follow the Bundle's next and previous links");
                    case "_cursor" -> cursor = PageCursor.parse(rawValue).orElseThrow(() ->
                            new InvalidRequestException("Invalid _cursor value: " + rawValue));
                    case "_sort" -> sort = parseSort(resourceType, rawValue);
                    case "_total" -> total = parseTotal(rawValue);
                    case "_summary" -> countOnly = countOnly || rawValue.equals("count");
                    case "_include", "_revinclude", "_include:iterate", "_revinclude:iterate" -> {
                        // answered by parseIncludes
                    }
                    default -> {
                        if (RESPONSE_PARAMS.contains(rawName)) {
                            continue;
                        }
                        Criterion criterion = parseCriterion(resourceType, rawName, rawValue, serverBase, lenient);
                        if (criterion != null) {
                            criteria.add(criterion);
                        }
                    }
                }
            }
        }
        if (count == 0) {
            countOnly = true;
        }
        if (cursor != null && !cursor.fits(sort)) {
            throw new InvalidRequestException("This _cursor belongs to a search with another _sort");
        }
        return new SearchQuery(resourceType, criteria, sort, count, cursor, total, countOnly);
    }

    public boolean supportsType(String resourceType) {
        return registry.supportsType(resourceType);
    }

    /**
     * Parses the condition of a conditional write or reference ({@code Type?params} or just {@code params}) as a
     * strict search; 400 when it names no parameter.
     */
    public SearchQuery parseCondition(String resourceType, String condition, String serverBase) {
        Map<String, List<String>> params = queryParameters(conditionQuery(condition));
        if (params.isEmpty()) {
            throw new InvalidRequestException("The condition '" + condition + "' has no search parameters");
        }
        return parse(resourceType, params, serverBase, false);
    }

    /** The query part of a condition: what follows {@code Type?}, or all of it. */
    public static String conditionQuery(String condition) {
        return condition.contains("?") ? condition.substring(condition.indexOf('?') + 1) : condition;
    }

    /** A URL query string as parameter lists, decoded. */
    public static Map<String, List<String>> queryParameters(String query) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        if (query != null && !query.isBlank()) {
            UrlUtil.parseQueryString(query).forEach((name, values) -> params.put(name, java.util.Arrays.asList(values)));
        }
        return params;
    }

    /** The {@code _include} and {@code _revinclude} parameters of a search of {@code resourceType}. */
    public List<Include> parseIncludes(String resourceType, Map<String, List<String>> parameters) {
        List<Include> includes = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith("_include") && !name.startsWith("_revinclude")) {
                continue;
            }
            boolean reverse = name.startsWith("_revinclude");
            boolean iterate = name.endsWith(":iterate");
            for (String value : entry.getValue()) {
                String[] parts = value.split(":");
                if (parts.length < 2 || parts.length > 3 || parts[1].equals("*")) {
                    throw new InvalidRequestException(name + " takes SourceType:parameter[:TargetType], not " + value);
                }
                String source = parts[0];
                if (!reverse && !iterate && !source.equals(resourceType)) {
                    throw new InvalidRequestException("_include " + value + " must start with " + resourceType
                            + " (use _include:iterate for included resources)");
                }
                SearchParamDef param = registry.find(source, parts[1])
                        .filter(p -> p.type() == SearchParamType.REFERENCE)
                        .orElseThrow(() -> new InvalidRequestException(name + " " + value + ": " + source
                                + " has no reference search parameter " + parts[1]));
                String target = parts.length == 3 ? parts[2] : null;
                if (target != null && !param.targets().isEmpty() && !param.targets().contains(target)) {
                    throw new InvalidRequestException(name + " " + value + ": " + parts[1] + " cannot point to " + target);
                }
                includes.add(new Include(source, param, target, reverse, iterate));
            }
        }
        return includes;
    }

    private Criterion parseCriterion(String resourceType, String rawName, String rawValue, String serverBase,
                                     boolean lenient) {
        if (rawName.startsWith("_has:")) {
            return parseHas(resourceType, rawName, rawValue, serverBase);
        }
        int dot = rawName.indexOf('.');
        if (dot > 0) {
            return parseChain(resourceType, rawName.substring(0, dot), rawName.substring(dot + 1), rawValue, serverBase);
        }
        int colon = rawName.indexOf(':');
        String name = colon < 0 ? rawName : rawName.substring(0, colon);
        String modifierText = colon < 0 ? null : rawName.substring(colon + 1);
        List<String> values = SearchValues.splitOr(rawValue);
        if (values.isEmpty()) {
            throw new InvalidRequestException("Search parameter " + rawName + " has no value");
        }
        switch (name) {
            case "_id" -> {
                Modifier modifier = modifier(name, modifierText, SearchParamType.TOKEN);
                if (modifier != Modifier.NONE && modifier != Modifier.NOT) {
                    throw unsupportedModifier(rawName);
                }
                for (String id : values) {
                    if (!FhirIds.isLogicalId(id)) {
                        throw new InvalidRequestException("Invalid _id value: " + id);
                    }
                }
                return new IdCriterion(values, modifier == Modifier.NOT);
            }
            case "_lastUpdated" -> {
                if (modifierText != null) {
                    throw unsupportedModifier(rawName);
                }
                return new LastUpdatedCriterion(values.stream().map(v -> parseDate(name, v)).toList());
            }
            default -> {
                SearchParamDef param = registry.find(resourceType, name).orElse(null);
                if (param == null) {
                    if (lenient) {
                        return null;
                    }
                    throw new InvalidRequestException("Unknown search parameter " + name + " for resource type "
                            + resourceType + ". Known: _id, _lastUpdated, "
                            + String.join(", ", registry.forType(resourceType).stream().map(SearchParamDef::name)
                            .toList()));
                }
                Modifier modifier = modifier(name, modifierText, param.type());
                List<Value> parsed = new ArrayList<>();
                for (String value : values) {
                    parsed.add(parseValue(param, modifier, modifierText, value, serverBase));
                }
                return new ParamCriterion(param, modifier, parsed);
            }
        }
    }

    /** {@code reference[:Type].param=value}: one level of chaining. */
    private Criterion parseChain(String resourceType, String referencePart, String chained, String rawValue,
                                 String serverBase) {
        if (chained.contains(".")) {
            throw new InvalidRequestException("Only one level of chaining is supported: " + referencePart + "." + chained);
        }
        int colon = referencePart.indexOf(':');
        String name = colon < 0 ? referencePart : referencePart.substring(0, colon);
        String typeModifier = colon < 0 ? null : referencePart.substring(colon + 1);
        SearchParamDef reference = registry.find(resourceType, name)
                .filter(p -> p.type() == SearchParamType.REFERENCE)
                .orElseThrow(() -> new InvalidRequestException("Chained parameter " + referencePart + "." + chained
                        + ": " + resourceType + " has no reference parameter " + name));
        List<String> candidates = typeModifier != null ? List.of(typeModifier)
                : reference.targets().stream().filter(registry::supportsType).sorted().toList();
        List<ParamCriterion> targets = new ArrayList<>();
        for (String target : candidates) {
            if (!reference.targets().isEmpty() && !reference.targets().contains(target)) {
                throw new InvalidRequestException(name + " cannot point to " + target);
            }
            if (registry.find(target, chained.split(":")[0]).isPresent()) {
                Criterion inner = parseCriterion(target, chained, rawValue, serverBase, false);
                if (!(inner instanceof ParamCriterion param)) {
                    throw new InvalidRequestException("Chaining to " + chained + " is not supported");
                }
                targets.add(param);
            }
        }
        if (targets.isEmpty()) {
            throw new InvalidRequestException("No type that " + resourceType + "." + name + " points to has a search "
                    + "parameter " + chained);
        }
        return new SearchQuery.ChainCriterion(reference, targets);
    }

    /** {@code _has:SourceType:reference:param=value}: one level of reverse chaining. */
    private Criterion parseHas(String resourceType, String rawName, String rawValue, String serverBase) {
        String[] parts = rawName.split(":", 4);
        if (parts.length != 4 || parts[3].startsWith("_has")) {
            throw new InvalidRequestException(rawName + ": expected _has:SourceType:reference:parameter (one level)");
        }
        String source = parts[1];
        if (!registry.supportsType(source)) {
            throw new InvalidRequestException(rawName + ": unknown resource type " + source);
        }
        SearchParamDef reference = registry.find(source, parts[2])
                .filter(p -> p.type() == SearchParamType.REFERENCE
                        && (p.targets().isEmpty() || p.targets().contains(resourceType)))
                .orElseThrow(() -> new InvalidRequestException(rawName + ": " + source + "." + parts[2]
                        + " is not a reference parameter that can point to " + resourceType));
        Criterion inner = parseCriterion(source, parts[3], rawValue, serverBase, false);
        if (!(inner instanceof ParamCriterion param)) {
            throw new InvalidRequestException(rawName + ": _has on " + parts[3] + " is not supported");
        }
        return new SearchQuery.HasCriterion(reference, param);
    }

    private Value parseValue(SearchParamDef param, Modifier modifier, String modifierText, String value,
                             String serverBase) {
        if (modifier == Modifier.MISSING) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new InvalidRequestException(":missing takes true or false, not " + value);
            }
            return new MissingValue(value.equals("true"));
        }
        return switch (param.type()) {
            case TOKEN -> parseToken(value);
            case STRING -> new StringValue(SearchValues.unescape(value));
            case DATE -> parseDate(param.name(), value);
            case REFERENCE -> parseReference(param, modifier == Modifier.TYPE ? modifierText : null, value, serverBase);
            case URI -> new ReferenceValue(null, null, SearchValues.unescape(value));
        };
    }

    private static TokenValue parseToken(String value) {
        List<String> parts = SearchValues.splitUnescaped(value, '|');
        if (parts.size() == 1) {
            return new TokenValue(null, SearchValues.unescape(parts.get(0)), false);
        }
        if (parts.size() != 2) {
            throw new InvalidRequestException("Invalid token value: " + value);
        }
        String system = SearchValues.unescape(parts.get(0));
        String code = SearchValues.unescape(parts.get(1));
        if (system.isEmpty() && code.isEmpty()) {
            throw new InvalidRequestException("Invalid token value: " + value);
        }
        return new TokenValue(system.isEmpty() ? null : system, code.isEmpty() ? null : code, true);
    }

    private static DateValue parseDate(String name, String value) {
        DatePrefix prefix = DatePrefix.leading(value).orElse(DatePrefix.EQ);
        String datePart = DatePrefix.leading(value).isPresent() ? value.substring(2) : value;
        DateRange range = DateRange.parse(datePart).orElseThrow(() -> new InvalidRequestException(
                "Invalid date value for " + name + ": " + value
                        + " (expected [prefix]YYYY[-MM[-DD[Thh:mm[:ss[.sss]][zone]]]])"));
        return new DateValue(prefix, range);
    }

    private ReferenceValue parseReference(SearchParamDef param, String typeModifier, String value,
                                          String serverBase) {
        String reference = SearchValues.unescape(value);
        if (serverBase != null && reference.startsWith(serverBase + "/")) {
            reference = reference.substring(serverBase.length() + 1);
        }
        if (reference.startsWith("http://") || reference.startsWith("https://") || reference.startsWith("urn:")) {
            return new ReferenceValue(null, null, reference);
        }
        reference = FhirIds.withoutVersion(reference);
        String[] parts = reference.split("/", -1);
        String type;
        String id;
        if (parts.length == 1) {
            type = typeModifier != null ? typeModifier
                    : param.targets().size() == 1 ? param.targets().iterator().next() : null;
            id = parts[0];
        } else if (parts.length == 2 && !parts[0].isEmpty()) {
            type = parts[0];
            id = parts[1];
            if (typeModifier != null && !typeModifier.equals(type)) {
                throw new InvalidRequestException("Reference " + value + " contradicts the :" + typeModifier
                        + " modifier");
            }
        } else {
            throw new InvalidRequestException("Invalid reference value for " + param.name() + ": " + value);
        }
        if (type != null && !param.targets().isEmpty() && !param.targets().contains(type)) {
            throw new InvalidRequestException("Search parameter " + param.name() + " cannot point to " + type
                    + "; allowed: " + String.join(", ", param.targets()));
        }
        if (!FhirIds.isLogicalId(id)) {
            throw new InvalidRequestException("Invalid resource id in reference " + value);
        }
        return new ReferenceValue(type, id, null);
    }

    private Modifier modifier(String name, String text, SearchParamType type) {
        if (text == null) {
            return Modifier.NONE;
        }
        Modifier modifier = switch (text) {
            case "missing" -> Modifier.MISSING;
            case "not" -> type == SearchParamType.TOKEN ? Modifier.NOT : null;
            case "exact" -> type == SearchParamType.STRING ? Modifier.EXACT : null;
            case "contains" -> type == SearchParamType.STRING ? Modifier.CONTAINS : null;
            default -> type == SearchParamType.REFERENCE && isResourceTypeName(text) ? Modifier.TYPE : null;
        };
        if (modifier == null) {
            throw unsupportedModifier(name + ":" + text);
        }
        return modifier;
    }

    private static boolean isResourceTypeName(String text) {
        return !text.isEmpty() && Character.isUpperCase(text.charAt(0)) && text.chars().allMatch(Character::isLetter);
    }

    private List<SortKey> parseSort(String resourceType, String value) {
        List<SortKey> keys = new ArrayList<>();
        for (String part : value.split(",")) {
            boolean descending = part.startsWith("-");
            String name = descending ? part.substring(1) : part;
            SearchParamType type;
            if (name.equals("_id")) {
                type = SearchParamType.TOKEN;
            } else if (name.equals("_lastUpdated")) {
                type = SearchParamType.DATE;
            } else {
                SearchParamDef param = registry.find(resourceType, name).orElseThrow(() ->
                        new InvalidRequestException("Cannot sort by unknown parameter " + name));
                type = param.type();
                if (type == SearchParamType.REFERENCE || type == SearchParamType.URI) {
                    throw new InvalidRequestException("Sorting by " + type.fhirCode() + " parameter " + name
                            + " is not supported");
                }
            }
            keys.add(new SortKey(name, type, descending));
        }
        return keys;
    }

    private static TotalMode parseTotal(String value) {
        return switch (value) {
            case "none" -> TotalMode.NONE;
            case "accurate", "estimate" -> TotalMode.ACCURATE;
            default -> throw new InvalidRequestException("_total must be none, estimate or accurate, not " + value);
        };
    }

    /** A non-negative integer parameter (such as {@code _count}); 400 otherwise. */
    public static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidRequestException(name + " must be a non-negative integer, not " + value);
    }

    private static InvalidRequestException unsupportedModifier(String name) {
        return new InvalidRequestException("Search modifier in " + name + " is not supported");
    }
}
