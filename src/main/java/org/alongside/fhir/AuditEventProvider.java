package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.alongside.audit.AuditStore;
import org.alongside.search.DateRange;
import org.alongside.search.SearchRequestParser;
import org.alongside.interaction.InteractionPipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * The audit trail, read-only: read, search (newest first) and a patient's accounting of disclosures. There is
 * no create, update or delete; events are written only by the server.
 */
public class AuditEventProvider implements IResourceProvider {

    static final Set<String> PARAMS = Set.of("patient", "entity", "agent", "subtype", "outcome", "request-id",
            "date", "_count", "_cursor");

    private final AuditStore audit;
    private final InteractionPipeline access;
    private final int defaultCount;
    private final int maxCount;

    AuditEventProvider(AuditStore audit, InteractionPipeline access, int defaultCount, int maxCount) {
        this.audit = audit;
        this.access = access;
        this.defaultCount = defaultCount;
        this.maxCount = maxCount;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id) {
        AuditEvent event = audit.read(id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException("AuditEvent/" + id.getIdPart() + " is not known"));
        access.checkRead(event);
        return event;
    }

    @Search(allowUnknownParams = true)
    public Bundle search(RequestDetails request) {
        access.checkListing("AuditEvent");
        Map<String, String[]> params = request.getParameters();
        for (String name : params.keySet()) {
            if (!PARAMS.contains(name)) {
                throw new InvalidRequestException("AuditEvent search supports " + String.join(", ", PARAMS.stream()
                        .sorted().toList()) + "; not " + name);
            }
        }
        String patient = single(params, "patient");
        String entity = patient != null ? (patient.contains("/") ? patient : "Patient/" + patient) : single(params, "entity");
        Instant from = null;
        Instant to = null;
        if (params.containsKey("date")) {
            for (String value : params.get("date")) {
                String prefix = value.length() > 2 ? value.substring(0, 2) : "";
                DateRange range = DateRange.parse(prefix.matches("ge|gt|le|lt") ? value.substring(2) : value)
                        .orElseThrow(() -> new InvalidRequestException("date must be a FHIR date or instant"));
                if (prefix.equals("ge") || prefix.equals("gt")) {
                    from = range.low();
                } else if (prefix.equals("le") || prefix.equals("lt")) {
                    to = range.high();
                } else {
                    from = range.low();
                    to = range.high();
                }
            }
        }
        String subtype = single(params, "subtype");
        if (subtype != null && subtype.contains("|")) {
            subtype = subtype.substring(subtype.indexOf('|') + 1);
        }
        int count = Math.min(single(params, "_count") == null ? defaultCount
                : SearchRequestParser.nonNegative("_count", single(params, "_count")), maxCount);
        Long before = null;
        if (single(params, "_cursor") != null) {
            try {
                before = Long.parseLong(single(params, "_cursor"));
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("Invalid _cursor value");
            }
        }
        AuditStore.Page page = audit.search(new AuditStore.Criteria(entity, single(params, "agent"), subtype,
                single(params, "outcome"), single(params, "request-id"), from, to), Math.max(count, 1), before);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(new Date());
        String base = request.getFhirServerBase();
        for (AuditEvent event : count == 0 ? List.<AuditEvent>of() : page.events()) {
            bundle.addEntry().setFullUrl(base + "/AuditEvent/" + event.getIdElement().getIdPart()).setResource(event)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        request.setAttribute(RestRequests.OMIT_TOTAL, Boolean.TRUE);
        bundle.addLink().setRelation("self").setUrl(request.getCompleteUrl());
        if (page.hasMore() && count > 0) {
            String self = request.getCompleteUrl().replaceAll("([?&])_cursor=[^&]*&?", "$1").replaceAll("[?&]$", "");
            bundle.addLink().setRelation("next").setUrl(self + (self.contains("?") ? "&" : "?") + "_cursor=" + page.lastKey());
        }
        return bundle;
    }

    private static String single(Map<String, String[]> params, String name) {
        String[] values = params.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }
}
