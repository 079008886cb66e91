package org.alongside.sync;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code _summary} and {@code _elements} of a Bundle GET entry, applied as HAPI applies them to the same request sent
 * alone: through the parser's summary and element modes, which also add the SUBSETTED tag. A search's entries are
 * subsetted one by one; the searchset Bundle itself is not.
 */
final class Subsetting {

    private Subsetting() {
    }

    static Resource apply(FhirContext context, Resource found, Map<String, List<String>> params) {
        String summary = first(params, "_summary");
        String elements = first(params, "_elements");
        if ((summary == null || summary.equals("false") || summary.equals("count")) && elements == null) {
            return found;
        }
        if (found instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource()) {
                    entry.setResource(subset(context, entry.getResource(), summary, elements));
                }
            }
            return bundle;
        }
        return subset(context, found, summary, elements);
    }

    private static Resource subset(FhirContext context, Resource resource, String summary, String elements) {
        IParser parser = context.newJsonParser();
        if (elements != null) {
            Set<String> names = new LinkedHashSet<>();
            Arrays.stream(elements.split(",")).map(String::trim).filter(e -> !e.isEmpty())
                    .forEach(e -> names.add(e.contains(".") ? e : "*." + e));
            parser.setEncodeElements(names);
        } else {
            switch (summary) {
                case "true" -> parser.setSummaryMode(true);
                case "data" -> parser.setSuppressNarratives(true);
                case "text" -> parser.setEncodeElements(Set.of("*.text")); // as REST: id, meta and mandatory come along
                default -> throw new InvalidRequestException("_summary must be true, text, data, count or false, not "
                        + summary);
            }
        }
        return (Resource) parser.parseResource(parser.encodeResourceToString(resource));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
