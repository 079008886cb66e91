package org.alongside.index;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.alongside.search.SearchParamDef;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchParamType;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The Patient compartment as R4's CompartmentDefinition defines it (HAPI carries it on each resource definition),
 * limited to the types and reference parameters this server indexes. A resource is in the compartment when one of
 * its type's compartment parameters references a Patient; Patients themselves are always in it.
 */
public final class PatientCompartment {

    private final Map<String, List<SearchParamDef>> paramsByType = new LinkedHashMap<>();
    private final SearchIndexExtractor extractor;

    public PatientCompartment(FhirContext fhirContext, SearchParamRegistry registry, SearchIndexExtractor extractor) {
        this.extractor = extractor;
        for (String type : registry.resourceTypes()) {
            if (type.equals("Patient")) {
                paramsByType.put(type, List.of());
                continue;
            }
            List<SearchParamDef> params = fhirContext.getResourceDefinition(type)
                    .getSearchParamsForCompartmentName("Patient").stream()
                    .map(RuntimeSearchParam::getName)
                    .map(name -> registry.find(type, name))
                    .flatMap(java.util.Optional::stream)
                    .filter(param -> param.type() == SearchParamType.REFERENCE)
                    .toList();
            if (!params.isEmpty()) {
                paramsByType.put(type, params);
            }
        }
    }

    /** Patient and every type with at least one compartment parameter. */
    public Set<String> types() {
        return paramsByType.keySet();
    }

    /** The reference parameters that put a resource of {@code type} in the compartment; empty for Patient. */
    public List<String> paramNames(String type) {
        return paramsByType.getOrDefault(type, List.of()).stream().map(SearchParamDef::name).toList();
    }

    /**
     * The position (in {@link #paramNames}) of the first compartment parameter through which the resource references
     * {@code Patient/patientId}, or -1 when none does. A record reached through several parameters thus has one
     * parameter that owns it, so walking the parameters one by one meets it once.
     */
    public int firstParamReferencing(IBaseResource resource, String type, String patientId) {
        List<SearchParamDef> params = paramsByType.getOrDefault(type, List.of());
        for (int i = 0; i < params.size(); i++) {
            for (IndexedValues.Ref reference : extractor.references(resource, params.get(i))) {
                if ("Patient".equals(reference.targetType()) && patientId.equals(reference.targetId())) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether the resource references some Patient through a compartment parameter (or is a Patient). */
    public boolean contains(IBaseResource resource, String type) {
        if (type.equals("Patient")) {
            return true;
        }
        for (SearchParamDef param : paramsByType.getOrDefault(type, List.of())) {
            for (IndexedValues.Ref reference : extractor.references(resource, param)) {
                if ("Patient".equals(reference.targetType())) {
                    return true;
                }
            }
        }
        return false;
    }
}
