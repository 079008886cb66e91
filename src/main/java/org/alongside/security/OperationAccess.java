package org.alongside.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.alongside.store.ResourceStore;

/**
 * Checks FHIR operations before they run. Each operation names the interaction it amounts to on the record
 * it is invoked on; what an operation then writes passes the same write checks as any other write, so a
 * peer can record only their own sessions and a clinician can assign only within their patients' plans. The
 * terminology operations ($expand, $lookup, $validate-code) are reads of the ValueSet or CodeSystem they work on.
 * An operation this class does not know is refused for everyone but EHR systems and administrators.
 */
@Interceptor
@ApplicationScoped
public class OperationAccess {

    /** What the billing export searches (and Consent in Part 2 mode). */
    private static final java.util.List<String> BILLING_EXPORT_READS = java.util.List.of("Encounter", "Procedure",
            "Provenance", "ServiceRequest", "CarePlan", "Patient", "PractitionerRole", "Practitioner", "Organization");

    /** The types the terminology operations work on. */
    private static final Set<String> TERMINOLOGY_TYPES = Set.of("ValueSet", "CodeSystem");

    @Inject
    AccessGuard guard;

    @Inject
    ResourceStore store;

    @Inject
    Part2Config part2;

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void beforeOperation(RequestDetails request, RestOperationTypeEnum operationType) {
        RequestAccess access = RequestAccess.current();
        if (access == null || !isOperation(operationType)) {
            return;
        }
        String operation = request.getOperation() == null ? "" : request.getOperation();
        requireOperation(access, operation, request.getResourceName(),
                request.getId() == null ? null : request.getId().getIdPart());
    }

    /**
     * The same check for an operation that an entry point other than the FHIR endpoint carries out for its caller (a
     * CDS Hooks suggestion the EHR accepted assigns a mentor as {@code $assign-peer-mentor} would).
     */
    public void requireOperation(String operation, String type, String id) {
        RequestAccess access = RequestAccess.current();
        if (access == null) {
            throw AccessGuard.forbidden("No caller for " + operation);
        }
        if (access.isServer()) {
            return;
        }
        requireOperation(access, operation, type, id);
    }

    private void requireOperation(RequestAccess access, String operation, String type, String id) {
        switch (operation) {
            case "$validate":
                guard.requireInteraction(access, type, Interaction.READ);
                break;
            case "$expand":
            case "$lookup":
            case "$validate-code":
                // terminology: a read of the published ValueSet or CodeSystem, no patient data
                if (!TERMINOLOGY_TYPES.contains(type)) {
                    throw AccessGuard.forbidden("Operation " + operation + " is offered on ValueSet and CodeSystem");
                }
                guard.requireInteraction(access, type, Interaction.READ);
                break;
            case "$assign-peer-mentor":
            case "$transfer-peer-mentor":
            case "$end-peer-mentorship":
            case "$match-peer-mentor": // ranks the peers for whoever may assign one in this plan
                guard.requireRecord(access, store.read("CarePlan", id), Interaction.UPDATE);
                break;
            case "$side-by-side":
                guard.requireRecord(access, store.read("CarePlan", id), Interaction.READ);
                break;
            case "$everything":
                // a walk of searches, each checked record by record; for one person, only if the caller reaches them
                if (id != null) {
                    guard.requireRecord(access, store.read("Patient", id), Interaction.READ);
                } else {
                    guard.requireInteraction(access, "Patient", Interaction.SEARCH);
                }
                break;
            case "$status":
            case "$events":
                // Subscriptions Backport IG: reads of the Subscription; $events then reads each event's record as
                // this caller may see it
                if (!"Subscription".equals(type) || id == null) {
                    throw AccessGuard.forbidden("Operation " + operation + " is offered on a Subscription");
                }
                guard.requireRecord(access, store.read("Subscription", id), Interaction.READ);
                break;
            case "$record-peer-session":
                guard.requireInteraction(access, "Encounter", Interaction.CREATE);
                break;
            case "$record-recovery-capital":
                // writes the response and its score, each checked again (reach, authorship) as it is written
                guard.requireInteraction(access, "QuestionnaireResponse", Interaction.CREATE);
                guard.requireInteraction(access, "Observation", Interaction.CREATE);
                break;
            case "$escalate":
                // about a person the caller reaches; it writes a Task and a Flag, checked again as they are written
                guard.requireRecord(access, store.read("Patient", id), Interaction.READ);
                guard.requireInteraction(access, "Task", Interaction.CREATE);
                break;
            case "$billing-export":
                requireBillingExport(access, id);
                break;
            case "$program-report":
                requireProgramReport(access, id);
                break;
            case "$export":
            case "$export-poll-status":
            case "$export-file":
                requireBulkExport(access);
                break;
            default:
                if (!access.caller().seesAllPatients()) {
                    throw AccessGuard.forbidden("Operation " + operation + " is for EHR systems and administrators");
                }
        }
    }

    /**
     * The billing export discloses sessions for payment: for the clinicians and supervisors who answer for them (their
     * own patients' sessions, as their searches reach) and EHR systems (the billing system); not for peer specialists,
     * who would bill their own work, nor administrators, who read no clinical records. Every type it searches must be
     * in the token's scopes, so it never answers with part of what it needs.
     */
    private void requireBillingExport(RequestAccess access, String organizationId) {
        Caller caller = access.caller();
        if (!caller.has(Role.CLINICIAN) && !caller.has(Role.SUPERVISOR) && !caller.has(Role.EHR_SYSTEM)) {
            throw AccessGuard.forbidden("The billing export is for clinicians, supervisors and EHR systems");
        }
        for (String type : BILLING_EXPORT_READS) {
            guard.requireInteraction(access, type, Interaction.SEARCH);
        }
        if (part2.enabled()) {
            guard.requireInteraction(access, "Consent", Interaction.SEARCH);
        }
        if (organizationId != null) {
            guard.requireInteraction(access, "Organization", Interaction.READ);
        }
    }

    /**
     * The program report gives counts, never a record: for program directors (who may read no record about a person,
     * so the report reads them as the server and hands back only figures) and EHR systems (a funder's or the clinic's
     * reporting). A token's user or system scopes must allow reading MeasureReports and Organizations, as the report
     * is both. Peer specialists, supervisors and clinicians have their own views of their own people; administrators
     * read no clinical figures.
     */
    private void requireProgramReport(RequestAccess access, String organizationId) {
        Caller caller = access.caller();
        if (!caller.has(Role.PROGRAM_DIRECTOR) && !caller.has(Role.EHR_SYSTEM)) {
            throw AccessGuard.forbidden("The program report is for program directors and EHR systems");
        }
        // user or system scopes: a patient launch is about one person, and the report is about none
        if (!caller.scopes().permits(ScopeSet.Context.USER, "MeasureReport", Interaction.READ)
                && !caller.scopes().permits(ScopeSet.Context.SYSTEM, "MeasureReport", Interaction.READ)) {
            throw AccessGuard.forbidden("The token's user or system scopes do not allow reading MeasureReport");
        }
        guard.requireInteraction(access, "Organization", organizationId == null ? Interaction.SEARCH
                : Interaction.READ);
    }

    /**
     * Bulk export copies every record of the types asked for, without per-record checks: only for EHR systems
     * with system read scopes, and in Part 2 mode only for clients inside the program.
     */
    private void requireBulkExport(RequestAccess access) {
        Caller caller = access.caller();
        if (!caller.has(Role.EHR_SYSTEM) || !caller.scopes().permits(ScopeSet.Context.SYSTEM, "Patient", Interaction.READ)) {
            throw AccessGuard.forbidden("Bulk export needs an EHR system token with system read scopes");
        }
        if (part2.enabled() && part2.isOutsideRecipient(caller)) {
            throw AccessGuard.forbidden("Bulk export is not offered to recipients outside the Part 2 program; "
                    + "search checks the person's consent record by record");
        }
    }

    private static boolean isOperation(RestOperationTypeEnum type) {
        return type == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                || type == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || type == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                || type == RestOperationTypeEnum.VALIDATE;
    }
}
