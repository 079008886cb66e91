package org.alongside.index;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPath.IParsedExpression;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Set;
import org.alongside.search.DateRange;
import org.alongside.search.SearchParamDef;
import org.alongside.search.SearchParamRegistry;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.UriType;

/**
 * Computes a resource's search index by evaluating each parameter's FHIRPath expression with HAPI's engine.
 * One generic extractor for every type: what gets indexed is decided by the {@link SearchParamRegistry}.
 */
public final class SearchIndexExtractor {

    private static final int MAX_ID_LENGTH = 64;

    private final FhirContext fhirContext;
    private final SearchParamRegistry registry;
    private final Map<String, IParsedExpression> parsed = new HashMap<>();
    /**
     * FHIRPath engines keep evaluation state, so each is used by one thread at a time: borrowed from this pool
     * and returned. (A ThreadLocal would pin engines, and the application's classes, to the server's pooled
     * threads after a redeploy.)
     */
    private final Queue<IFhirPath> engines = new ConcurrentLinkedQueue<>();

    public SearchIndexExtractor(FhirContext fhirContext, SearchParamRegistry registry) {
        this.fhirContext = fhirContext;
        this.registry = registry;
        IFhirPath engine = newEngine();
        engines.add(engine);
        for (String type : registry.resourceTypes()) {
            for (SearchParamDef param : registry.forType(type)) {
                try {
                    parsed.put(key(param), engine.parse(param.expression()));
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot parse expression of " + type + "." + param.name()
                            + ": " + param.expression(), e);
                }
            }
        }
    }

    public IndexedValues extract(IBaseResource resource) {
        String type = fhirContext.getResourceType(resource);
        IFhirPath pooled = engines.poll();
        IFhirPath engine = pooled != null ? pooled : newEngine();
        try {
            return extract(resource, type, engine);
        } finally {
            engines.add(engine);
        }
    }

    private IndexedValues extract(IBaseResource resource, String type, IFhirPath engine) {
        Set<IndexedValues.Token> tokens = new LinkedHashSet<>();
        Set<IndexedValues.Text> strings = new LinkedHashSet<>();
        Set<IndexedValues.Date> dates = new LinkedHashSet<>();
        Set<IndexedValues.Ref> references = new LinkedHashSet<>();
        for (SearchParamDef param : registry.forType(type)) {
            List<IBase> values = engine.evaluate(resource, parsed.get(key(param)), IBase.class);
            String name = param.name();
            for (IBase value : values) {
                switch (param.type()) {
                    case TOKEN -> addTokens(name, value, tokens);
                    case STRING -> addStrings(name, value, strings);
                    case DATE -> dateRange(value).ifPresent(r -> dates.add(new IndexedValues.Date(name, r.low(), r.high())));
                    case REFERENCE, URI -> addReference(name, value, references);
                }
            }
        }
        return new IndexedValues(tokens, strings, dates, references);
    }

    /** The references one reference parameter of the resource's type finds in it. */
    public List<IndexedValues.Ref> references(IBaseResource resource, SearchParamDef param) {
        IFhirPath pooled = engines.poll();
        IFhirPath engine = pooled != null ? pooled : newEngine();
        try {
            Set<IndexedValues.Ref> references = new LinkedHashSet<>();
            for (IBase value : engine.evaluate(resource, parsed.get(key(param)), IBase.class)) {
                addReference(param.name(), value, references);
            }
            return List.copyOf(references);
        } finally {
            engines.add(engine);
        }
    }

    private IFhirPath newEngine() {
        IFhirPath engine = fhirContext.newFhirPath();
        engine.setEvaluationContext(new IFhirPathEvaluationContext() {
            /** "resolve() is Patient" only needs the target's type: answer with an empty resource of that type. */
            @Override
            public IBase resolveReference(IIdType reference, IBase context) {
                if (reference == null || !reference.hasResourceType()
                        || !fhirContext.getResourceTypes().contains(reference.getResourceType())) {
                    return null;
                }
                IBaseResource placeholder = fhirContext.getResourceDefinition(reference.getResourceType()).newInstance();
                placeholder.setId(reference.getIdPart());
                return placeholder;
            }
        });
        return engine;
    }

    private static String key(SearchParamDef param) {
        return param.resourceType() + "." + param.name();
    }

    private static void addTokens(String name, IBase value, Set<IndexedValues.Token> out) {
        if (value instanceof Identifier identifier) {
            if (identifier.hasValue()) {
                out.add(token(name, identifier.getSystem(), identifier.getValue()));
            }
        } else if (value instanceof CodeableConcept concept) {
            concept.getCoding().forEach(coding -> addTokens(name, coding, out));
        } else if (value instanceof Coding coding) {
            if (coding.hasCode()) {
                out.add(token(name, coding.getSystem(), coding.getCode()));
            }
        } else if (value instanceof Enumeration<?> enumeration) {
            if (enumeration.hasCode()) {
                out.add(token(name, enumeration.getSystem(), enumeration.getCode()));
            }
        } else if (value instanceof BooleanType bool) {
            if (bool.hasValue()) {
                out.add(token(name, null, bool.getValue().toString()));
            }
        } else if (value instanceof ContactPoint contact) {
            if (contact.hasValue()) {
                out.add(token(name, null, contact.getValue()));
            }
        } else if (value instanceof PrimitiveType<?> primitive && primitive.hasValue()) {
            out.add(token(name, null, primitive.getValueAsString()));
        }
    }

    private static IndexedValues.Token token(String name, String system, String code) {
        return new IndexedValues.Token(name, system == null ? null : StringNormalizer.truncate(system),
                code == null ? null : StringNormalizer.truncate(code));
    }

    private static void addStrings(String name, IBase value, Set<IndexedValues.Text> out) {
        if (value instanceof HumanName human) {
            addString(name, human.getFamily(), out);
            human.getGiven().forEach(s -> addString(name, s.getValue(), out));
            human.getPrefix().forEach(s -> addString(name, s.getValue(), out));
            human.getSuffix().forEach(s -> addString(name, s.getValue(), out));
            addString(name, human.getText(), out);
        } else if (value instanceof Address address) {
            address.getLine().forEach(s -> addString(name, s.getValue(), out));
            addString(name, address.getCity(), out);
            addString(name, address.getDistrict(), out);
            addString(name, address.getState(), out);
            addString(name, address.getPostalCode(), out);
            addString(name, address.getCountry(), out);
            addString(name, address.getText(), out);
        } else if (value instanceof PrimitiveType<?> primitive) {
            addString(name, primitive.getValueAsString(), out);
        }
    }

    private static void addString(String name, String text, Set<IndexedValues.Text> out) {
        if (text != null && !text.isBlank()) {
            out.add(new IndexedValues.Text(name, StringNormalizer.normalize(text), StringNormalizer.truncate(text)));
        }
    }

    private static Optional<DateRange> dateRange(IBase value) {
        if (value instanceof BaseDateTimeType date) {
            return date.hasValue() ? DateRange.parse(date.getValueAsString()) : Optional.empty();
        }
        if (value instanceof Period period) {
            Instant low = period.hasStart() ? dateRange(period.getStartElement()).map(DateRange::low).orElse(null) : null;
            Instant high = period.hasEnd() ? dateRange(period.getEndElement()).map(DateRange::high).orElse(null) : null;
            if (low != null && high != null && high.isBefore(low)) {
                // mixed precision ("2024-03-02" to "2024-03-02T01:00+02:00") can put the end before the start
                Instant earlier = high;
                high = low;
                low = earlier;
            }
            return low == null && high == null ? Optional.empty() : Optional.of(DateRange.of(low, high));
        }
        if (value instanceof Timing timing && timing.hasEvent()) {
            Instant low = null;
            Instant high = null;
            for (var event : timing.getEvent()) {
                Optional<DateRange> range = dateRange(event);
                if (range.isPresent()) {
                    low = low == null || range.get().low().isBefore(low) ? range.get().low() : low;
                    high = high == null || range.get().high().isAfter(high) ? range.get().high() : high;
                }
            }
            return low == null ? Optional.empty() : Optional.of(DateRange.of(low, high));
        }
        return Optional.empty();
    }

    private static void addReference(String name, IBase value, Set<IndexedValues.Ref> out) {
        if (value instanceof Reference reference) {
            if (!reference.hasReference() || reference.getReference().startsWith("#")) {
                return;
            }
            String text = reference.getReference();
            IdType id = new IdType(text);
            if (id.hasIdPart() && id.getIdPart().length() > MAX_ID_LENGTH) {
                throw new InvalidRequestException("Reference " + name + " names an id longer than " + MAX_ID_LENGTH
                        + " characters, which no FHIR resource can have");
            }
            if (id.isAbsolute() || text.startsWith("urn:") || !id.hasResourceType() || !id.hasIdPart()) {
                out.add(new IndexedValues.Ref(name, null, null, StringNormalizer.truncate(text)));
            } else {
                out.add(new IndexedValues.Ref(name, id.getResourceType(), id.getIdPart(), null));
            }
        } else if (value instanceof UriType uri && uri.hasValue()) {
            out.add(new IndexedValues.Ref(name, null, null, StringNormalizer.truncate(uri.getValue())));
        }
    }
}
