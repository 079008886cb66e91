package org.alongside.interaction;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alongside.config.AlongsideConfig;
import org.alongside.index.PatientCompartment;
import org.alongside.search.DateRange;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code Patient/[id]/$everything} and {@code Patient/$everything}: the Patient compartment (the same definition
 * Patient-level export uses) as pages of a searchset. It is a walk of ordinary searches through the
 * {@link InteractionPipeline} — the Patient, then each compartment type by each of its compartment parameters — so
 * every record is checked, Part 2 consent included, and every search is audited, exactly as if the client had run
 * them one by one. A record that references the person through two parameters is returned by the first only.
 */
@ApplicationScoped
public class PatientEverything {

    private static final Set<String> UNSUPPORTED = Set.of("start", "end");

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SearchRequestParser parser;

    @Inject
    PatientCompartment compartment;

    @Inject
    AlongsideConfig config;

    /** One search of the walk: a type, and for one person the compartment parameter it follows (-1: none). */
    private record Pass(String type, int param) {
    }

    /**
     * @param patientId the person, or null for every person the caller may see
     * @param request   the operation's parameters ({@code _since}, {@code _type}, {@code _count}, {@code _cursor})
     *                  as a GET would carry them, and the base and path its paging links are built on
     */
    public Bundle everything(String patientId, SearchBundles.Request request) {
        Map<String, List<String>> params = request.params(); // undeclared ones are refused at the FHIR edge
        for (String name : params.keySet()) {
            if (UNSUPPORTED.contains(name)) {
                throw new InvalidRequestException("$everything does not support '" + name + "' (care dates differ "
                        + "per type); use _since to get what changed");
            }
        }
        String since = SearchBundles.single(params, "_since");
        if (since != null && DateRange.parse(since).isEmpty()) {
            throw new InvalidRequestException("_since must be a FHIR instant");
        }
        String countText = SearchBundles.single(params, "_count");
        int count = Math.max(1, Math.min(countText == null ? config.defaultCount()
                : SearchRequestParser.nonNegative("_count", countText), config.maxCount()));
        String cursorText = SearchBundles.single(params, "_cursor");
        EverythingCursor at = cursorText == null ? new EverythingCursor(0, null)
                : EverythingCursor.parse(cursorText).orElseThrow(() ->
                        new InvalidRequestException("Invalid _cursor value: " + cursorText));

        List<Pass> passes = passes(patientId, types(params));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setId(java.util.UUID.randomUUID().toString());
        EverythingCursor next = fill(bundle, request.base(), patientId, since, count, passes, at);
        bundle.addLink().setRelation("self").setUrl(SearchBundles.pageLink(request, cursorText));
        if (next != null) {
            bundle.addLink().setRelation("next").setUrl(SearchBundles.pageLink(request, next.toString()));
        }
        return bundle;
    }

    /** Adds up to {@code count} records from {@code at} on; where the next page starts, or null at the end. */
    private EverythingCursor fill(Bundle bundle, String base, String patientId, String since, int count,
                                  List<Pass> passes, EverythingCursor at) {
        int pass = at.pass();
        var inner = at.inner();
        while (pass < passes.size()) {
            int room = count - bundle.getEntry().size();
            if (room == 0) {
                return new EverythingCursor(pass, inner);
            }
            Pass current = passes.get(pass);
            SearchQuery query = parser.parse(current.type(), criteria(current, patientId, since, room),
                    base, false);
            Searched found = pipeline.search(inner == null ? query : query.at(inner), List.of());
            for (IBaseResource resource : found.matches()) {
                if (owns(current, patientId, resource)) {
                    bundle.addEntry().setFullUrl(SearchBundles.fullUrl(base, resource))
                            .setResource((Resource) resource).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
                }
            }
            if (found.next() != null) {
                inner = found.next();
            } else {
                pass++;
                inner = null;
            }
        }
        return null;
    }

    /** The walk: the Patient first, then each compartment type the caller may search, by each parameter. */
    private List<Pass> passes(String patientId, Set<String> types) {
        List<Pass> passes = new ArrayList<>();
        for (String type : types) {
            if (patientId == null || type.equals("Patient")) {
                passes.add(new Pass(type, -1));
            } else {
                for (int i = 0; i < compartment.paramNames(type).size(); i++) {
                    passes.add(new Pass(type, i));
                }
            }
        }
        return passes;
    }

    /**
     * The types asked for with {@code _type} (each must be one the caller may search), or every compartment type the
     * caller may search; the Patient always comes first.
     */
    private Set<String> types(Map<String, List<String>> params) {
        Set<String> types = new LinkedHashSet<>();
        types.add("Patient");
        List<String> asked = params.getOrDefault("_type", List.of()).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(","))).map(String::trim)
                .filter(type -> !type.isEmpty()).toList();
        if (!asked.isEmpty()) {
            for (String type : asked) {
                if (!compartment.types().contains(type)) {
                    throw new InvalidRequestException("_type " + type + " is not a resource type of the Patient "
                            + "compartment here; supported: " + String.join(",", compartment.types()));
                }
                pipeline.checkInteraction(type, "search"); // asked for by name: a refusal is the answer
            }
            types.addAll(asked);
            return types;
        }
        for (String type : compartment.types()) {
            try {
                pipeline.checkInteraction(type, "search");
                types.add(type);
            } catch (ForbiddenOperationException e) {
                // everything the caller may see: a type their scopes or role do not open is simply not part of it
            }
        }
        return types;
    }

    private Map<String, List<String>> criteria(Pass pass, String patientId, String since, int count) {
        Map<String, List<String>> criteria = new LinkedHashMap<>();
        if (patientId != null) {
            if (pass.type().equals("Patient")) {
                criteria.put("_id", List.of(patientId));
            } else {
                criteria.put(compartment.paramNames(pass.type()).get(pass.param()), List.of("Patient/" + patientId));
            }
        }
        if (since != null) {
            criteria.put("_lastUpdated", List.of("ge" + since));
        }
        criteria.put("_count", List.of(String.valueOf(count)));
        criteria.put("_total", List.of("none"));
        return criteria;
    }

    /** Whether this pass is the one that returns the record (see {@link PatientCompartment#firstParamReferencing}). */
    private boolean owns(Pass pass, String patientId, IBaseResource resource) {
        if (pass.type().equals("Patient")) {
            return true;
        }
        if (patientId == null) {
            return compartment.contains(resource, pass.type());
        }
        return compartment.firstParamReferencing(resource, pass.type(), patientId) == pass.param();
    }
}
