package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.alongside.conformance.ConformanceResources;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Measure;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.SearchParameter;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Serves Alongside's conformance resources of one type (StructureDefinition, CodeSystem, ValueSet,
 * SearchParameter, Questionnaire, Measure) read-only, as loaded from fhir-profiles/ at start.
 */
public class ConformanceResourceProvider implements IResourceProvider {

    /** The conformance types served; they are read-only (writes answer 405). */
    static final List<Class<? extends MetadataResource>> TYPES =
            List.of(StructureDefinition.class, CodeSystem.class, ValueSet.class, SearchParameter.class,
                    Questionnaire.class, Measure.class);

    private final Class<? extends MetadataResource> type;
    private final List<MetadataResource> resources;

    ConformanceResourceProvider(Class<? extends MetadataResource> type, ConformanceResources conformance) {
        this.type = type;
        this.resources = conformance.all().stream().filter(type::isInstance).map(type::cast)
                .map(MetadataResource.class::cast).toList();
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return type;
    }

    @Read
    public MetadataResource read(@IdParam IdType id) {
        return resources.stream().filter(r -> r.getIdElement().getIdPart().equals(id.getIdPart())).findFirst()
                .orElseThrow(() -> new ResourceNotFoundException(type.getSimpleName() + "/" + id.getIdPart()
                        + " is not known"));
    }

    @Search
    public List<MetadataResource> search(@OptionalParam(name = "url") UriParam url,
                                         @OptionalParam(name = "name") StringParam name) {
        return resources.stream()
                .filter(r -> url == null || url.getValue().equals(r.getUrl()))
                .filter(r -> name == null || (r.getName() != null
                        && r.getName().toLowerCase().startsWith(name.getValue().toLowerCase())))
                .toList();
    }
}
