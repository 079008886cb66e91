package org.alongside.conformance;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionDesignationComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptReferenceComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionComponent;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * Turns the codes HAPI's in-memory expansion found into the R4 {@code $expand} answer a picker needs: in the order the
 * value set and its code systems give them, in the asked display language, narrowed by the text filter, one page at a
 * time with the total. HAPI's in-memory terminology support decides membership (includes, excludes, filters, imported
 * value sets) but ignores these options and hands the codes back unordered and without designations. Pure.
 */
public final class ExpansionPage {

    /** The most codes one page holds. */
    public static final int MAX_COUNT = 1000;

    /**
     * What the caller asked for: a text filter (words that must each start a word of the code, its display or one of
     * its designations), the paging window (a null count: every code from the offset on), the display language, and
     * whether each code carries its designations.
     */
    public record Request(String filter, int offset, Integer count, String displayLanguage,
                          boolean includeDesignations) {

        public Request {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative");
            }
            if (count != null && (count < 0 || count > MAX_COUNT)) {
                throw new IllegalArgumentException("count must be between 0 and " + MAX_COUNT);
            }
        }

        public static Request all() {
            return new Request(null, 0, null, null, false);
        }
    }

    /** One code of the expansion with what the answer needs to show it. */
    private record Entry(ValueSetExpansionContainsComponent found, ConceptDefinitionComponent concept, int[] rank,
                         String display) {
    }

    private ExpansionPage() {
    }

    /**
     * The expansion of {@code source}: a copy of it whose {@code expansion} holds the page of {@code codes} (what HAPI
     * found) that the request asks for.
     *
     * @param codeSystems a code system by canonical URL, or null when it is not known (its codes keep HAPI's display)
     */
    public static ValueSet of(ValueSet source, List<ValueSetExpansionContainsComponent> codes,
                              Function<String, CodeSystem> codeSystems, Request request, java.util.Date timestamp) {
        Map<String, Map<String, ConceptDefinitionComponent>> concepts = new HashMap<>();
        Map<String, Map<String, Integer>> positions = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (ValueSetExpansionContainsComponent found : codes) {
            String system = found.getSystem();
            if (!concepts.containsKey(system)) {
                index(system, codeSystems, concepts, positions);
            }
            ConceptDefinitionComponent concept = concepts.get(system).get(found.getCode());
            String display = display(found.hasDisplay() ? found.getDisplay() : concept == null ? null
                    : concept.getDisplay(), concept, request.displayLanguage());
            entries.add(new Entry(found, concept, rank(source, found, positions.get(system)), display));
        }
        List<String> words = words(request.filter());
        List<Entry> matching = entries.stream().filter(e -> matches(e, words))
                .sorted(Comparator.comparing(Entry::rank, ExpansionPage::compareRanks)
                        .thenComparing(e -> e.found().getSystem(), Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(e -> e.found().getCode()))
                .toList();
        int from = Math.min(request.offset(), matching.size());
        int to = request.count() == null ? matching.size() : Math.min(matching.size(), from + request.count());

        ValueSet answer = source.copy();
        ValueSetExpansionComponent expansion = new ValueSetExpansionComponent()
                .setIdentifier("urn:uuid:" + UUID.randomUUID()).setTimestamp(timestamp).setTotal(matching.size());
        if (request.offset() > 0 || request.count() != null) {
            expansion.setOffset(request.offset());
        }
        parameters(expansion, request);
        for (Entry entry : matching.subList(from, to)) {
            ValueSetExpansionContainsComponent contains = expansion.addContains()
                    .setSystem(entry.found().getSystem()).setCode(entry.found().getCode()).setDisplay(entry.display());
            if (entry.found().hasVersion()) {
                contains.setVersion(entry.found().getVersion());
            }
            if (request.includeDesignations() && entry.concept() != null) {
                for (ConceptDefinitionDesignationComponent designation : entry.concept().getDesignation()) {
                    contains.addDesignation().setLanguage(designation.getLanguage()).setUse(designation.getUse())
                            .setValue(designation.getValue());
                }
            }
        }
        answer.setExpansion(expansion);
        return answer;
    }

    /** The parameters that shaped the expansion, as R4 asks the answer to repeat them. */
    private static void parameters(ValueSetExpansionComponent expansion, Request request) {
        if (request.filter() != null) {
            expansion.addParameter().setName("filter").setValue(new StringType(request.filter()));
        }
        if (request.offset() > 0 || request.count() != null) {
            expansion.addParameter().setName("offset").setValue(new IntegerType(request.offset()));
        }
        if (request.count() != null) {
            expansion.addParameter().setName("count").setValue(new IntegerType(request.count()));
        }
        if (request.displayLanguage() != null) {
            expansion.addParameter().setName("displayLanguage").setValue(new CodeType(request.displayLanguage()));
        }
        if (request.includeDesignations()) {
            expansion.addParameter().setName("includeDesignations").setValue(new BooleanType(true));
        }
    }

    /** The code system's concepts by code, and their positions depth first (the order its authors chose). */
    private static void index(String system, Function<String, CodeSystem> codeSystems,
                              Map<String, Map<String, ConceptDefinitionComponent>> concepts,
                              Map<String, Map<String, Integer>> positions) {
        Map<String, ConceptDefinitionComponent> byCode = new HashMap<>();
        Map<String, Integer> order = new HashMap<>();
        CodeSystem codeSystem = system == null ? null : codeSystems.apply(system);
        if (codeSystem != null) {
            walk(codeSystem.getConcept(), byCode, order);
        }
        concepts.put(system, byCode);
        positions.put(system, order);
    }

    private static void walk(List<ConceptDefinitionComponent> level, Map<String, ConceptDefinitionComponent> byCode,
                             Map<String, Integer> order) {
        for (ConceptDefinitionComponent concept : level) {
            byCode.putIfAbsent(concept.getCode(), concept);
            order.putIfAbsent(concept.getCode(), order.size());
            walk(concept.getConcept(), byCode, order);
        }
    }

    /**
     * Where a code stands: the first include of its system, then its place in that include's concept list, else in
     * its code system. Codes the value set does not place come after, by system and code.
     */
    private static int[] rank(ValueSet source, ValueSetExpansionContainsComponent found, Map<String, Integer> order) {
        List<ConceptSetComponent> includes = source.getCompose().getInclude();
        for (int i = 0; i < includes.size(); i++) {
            ConceptSetComponent include = includes.get(i);
            if (include.getSystem() == null || !include.getSystem().equals(found.getSystem())) {
                continue;
            }
            List<ConceptReferenceComponent> listed = include.getConcept();
            for (int j = 0; j < listed.size(); j++) {
                if (found.getCode().equals(listed.get(j).getCode())) {
                    return new int[] {i, j};
                }
            }
            if (listed.isEmpty()) {
                return new int[] {i, order.getOrDefault(found.getCode(), Integer.MAX_VALUE)};
            }
        }
        return new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE};
    }

    private static int compareRanks(int[] a, int[] b) {
        int first = Integer.compare(a[0], b[0]);
        return first != 0 ? first : Integer.compare(a[1], b[1]);
    }

    /**
     * The display in the asked language: a designation whose language is that language, or shares its primary tag
     * ({@code es} for {@code es-MX} and the other way round); otherwise {@code fallback}, the code system's display.
     */
    static String display(String fallback, ConceptDefinitionComponent concept, String language) {
        if (language == null || concept == null) {
            return fallback;
        }
        String wanted = language.toLowerCase(Locale.ROOT);
        String primary = primaryTag(wanted);
        String samePrimary = null;
        for (ConceptDefinitionDesignationComponent designation : concept.getDesignation()) {
            if (!designation.hasLanguage() || !designation.hasValue()) {
                continue;
            }
            String tag = designation.getLanguage().toLowerCase(Locale.ROOT);
            if (tag.equals(wanted)) {
                return designation.getValue();
            }
            if (samePrimary == null && primaryTag(tag).equals(primary)) {
                samePrimary = designation.getValue();
            }
        }
        return samePrimary != null ? samePrimary : fallback;
    }

    private static String primaryTag(String tag) {
        int dash = tag.indexOf('-');
        return dash < 0 ? tag : tag.substring(0, dash);
    }

    /** Every filter word starts a word of the code, of the display shown, of the code system's display or a designation. */
    private static boolean matches(Entry entry, List<String> filterWords) {
        if (filterWords.isEmpty()) {
            return true;
        }
        List<String> texts = new ArrayList<>();
        texts.add(entry.found().getCode());
        texts.add(entry.display());
        texts.add(entry.found().getDisplay());
        if (entry.concept() != null) {
            texts.add(entry.concept().getDisplay());
            entry.concept().getDesignation().forEach(d -> texts.add(d.getValue()));
        }
        List<String> candidates = new ArrayList<>();
        texts.forEach(text -> candidates.addAll(words(text)));
        return filterWords.stream().allMatch(w -> candidates.stream().anyMatch(c -> c.startsWith(w)));
    }

    /** Lower-case words without accents, split at anything that is not a letter or a digit. */
    static List<String> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "")
                .toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        for (String word : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
