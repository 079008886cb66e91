package org.alongside.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.security.AccessGuard;
import org.alongside.security.BearerAuthentication;
import org.alongside.security.Caller;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;

/** Notes, for the request's audit event, what kind of interaction HAPI is serving and what it returns. */
@Interceptor
@ApplicationScoped
public class AuditInterceptor {

    @Inject
    AccessGuard guard;

    @Inject
    AuditTrail trail;

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void interaction(RequestDetails request, RestOperationTypeEnum operation) {
        AuditNotes notes = AuditNotes.current();
        if (notes == null) {
            return;
        }
        notes.interaction = operation.getCode();
        notes.action = action(operation);
        notes.resourceType = request.getResourceName();
        notes.operation = request.getOperation();
        notes.perInteraction = operation == RestOperationTypeEnum.TRANSACTION
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER;
        if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
            notes.references.add(request.getResourceName() + "/" + request.getId().getIdPart());
            if ("Patient".equals(request.getResourceName())) {
                notes.patients.add(request.getId().getIdPart());
            }
        }
        if (operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            notes.query = request.getCompleteUrl();
        }
    }

    /**
     * The answer is ready and not yet sent: its audit events are committed now, so that no answered request, above
     * all no read that released records, goes unrecorded if the server stops right after answering. Should they fail
     * to commit, the request fails instead (a lost database: 503). Refused and failed requests are recorded by
     * {@link AuditFilter} when they end.
     */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void returned(RequestDetails request, IBaseResource response) {
        AuditNotes notes = AuditNotes.current();
        if (notes == null || notes.recorded) {
            return;
        }
        if (response != null) {
            collect(notes, response, 0);
        }
        Caller caller = request instanceof ServletRequestDetails servlet
                ? (Caller) servlet.getServletRequest().getAttribute(BearerAuthentication.CALLER) : null;
        trail.completed(notes, caller, 200);
        notes.recorded = true;
    }

    private void collect(AuditNotes notes, IBaseResource resource, int depth) {
        if (resource instanceof OperationOutcome || depth > 2) {
            return;
        }
        if (resource instanceof Bundle) {
            for (Bundle.BundleEntryComponent entry : ((Bundle) resource).getEntry()) {
                if (entry.hasResource()) {
                    collect(notes, entry.getResource(), depth + 1);
                }
                if (entry.getResponse().hasOutcome()) {
                    collect(notes, entry.getResponse().getOutcome(), depth + 1);
                }
            }
            return;
        }
        if (resource instanceof Parameters) {
            for (Parameters.ParametersParameterComponent part : ((Parameters) resource).getParameter()) {
                if (part.hasResource()) {
                    collect(notes, part.getResource(), depth + 1);
                }
            }
            return;
        }
        if (resource.getIdElement().hasIdPart()) {
            notes.references.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
        }
        notes.patients.addAll(guard.patientsOf(resource));
    }

    static String action(String interaction) {
        return switch (interaction) {
            case "create" -> "C";
            case "update", "patch" -> "U";
            case "delete" -> "D";
            default -> "R"; // reads, searches, history, and what an operation returns
        };
    }

    private static String action(RestOperationTypeEnum operation) {
        switch (operation) {
            case CREATE:
                return "C";
            case READ:
            case VREAD:
            case SEARCH_TYPE:
            case SEARCH_SYSTEM:
            case HISTORY_INSTANCE:
            case HISTORY_TYPE:
            case HISTORY_SYSTEM:
                return "R";
            case UPDATE:
            case PATCH:
                return "U";
            case DELETE:
                return "D";
            default:
                return "E";
        }
    }
}
