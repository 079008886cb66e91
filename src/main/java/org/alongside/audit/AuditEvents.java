package org.alongside.audit;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.alongside.security.Caller;
import org.alongside.security.Role;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Audit events in the shape of IHE Basic Audit Log Patterns (BALP): a RESTful interaction event, the requesting agent
 * (user or client, with roles, address and purpose of use), this server as source, and one entity per record touched,
 * the patients among them marked as such. It records no resource content. A request's facts are kept as an
 * {@link AuditRecord}; the FHIR AuditEvent is built from those when someone reads the trail.
 */
public final class AuditEvents {

    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    static final String DISCLOSURE_SYSTEM = "http://alongside.health/fhir/CodeSystem/audit-category";
    private static final String BALP_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private AuditEvents() {
    }

    /**
     * The record of one interaction of a request.
     *
     * @param declaredPurpose the purpose of use a disclosure declared for itself (HPAYMT for a billing export), or
     *                        null for the one the caller's role implies
     */
    static AuditRecord record(AuditNotes notes, Caller caller, int httpStatus, Collection<String> references,
                              Collection<String> patients, boolean disclosure, String declaredPurpose) {
        String purpose = declaredPurpose != null ? declaredPurpose
                : caller != null && caller.has(Role.EHR_SYSTEM) ? "HOPERAT" : "TREAT";
        AuditRecord.Agent agent = caller == null ? null : new AuditRecord.Agent(caller.fhirUser().orElse(null),
                caller.subject(), caller.clientId(), caller.roles().stream().map(Role::claimValue).sorted().toList());
        return new AuditRecord(UUID.randomUUID().toString(), new Date().toInstant(),
                notes.interaction == null ? "unknown" : notes.interaction, notes.action == null ? "E" : notes.action,
                httpStatus, disclosure, purpose, agent, notes.serverWork, notes.clientAddress, notes.query,
                notes.requestId, List.copyOf(references), List.copyOf(patients));
    }

    /** The outcome code of an HTTP status: 0 success, 4 a minor failure (the caller's), 8 a serious one (ours). */
    public static String outcome(int httpStatus) {
        return httpStatus < 400 ? "0" : httpStatus < 500 ? "4" : "8";
    }

    /** The record as a FHIR AuditEvent (BALP). */
    public static AuditEvent toFhir(AuditRecord record) {
        AuditEvent event = new AuditEvent();
        event.setId(record.id());
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest",
                "Restful Operation"));
        event.addSubtype(new Coding(INTERACTION_SYSTEM, record.interaction(), null));
        if (record.disclosure()) {
            event.addSubtype(new Coding(DISCLOSURE_SYSTEM, "disclosure", "Records disclosed outside the program"));
        }
        event.setAction(AuditEventAction.fromCode(record.action()));
        event.setRecorded(Date.from(record.recorded()));
        event.setOutcome(AuditEventOutcome.fromCode(outcome(record.status())));
        event.setOutcomeDesc("HTTP " + record.status());
        event.addPurposeOfEvent().addCoding(new Coding(ACT_REASON, record.purpose(), null));

        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        AuditRecord.Agent caller = record.agent();
        if (caller == null) {
            agent.setWho(new Reference().setDisplay(record.serverWork() ? "Alongside server (background work)"
                    : "unauthenticated"));
        } else {
            agent.setWho(caller.fhirUser() != null ? new Reference(caller.fhirUser())
                    : new Reference().setIdentifier(new Identifier().setValue(caller.subject())));
            agent.setAltId(caller.subject()).setName(caller.clientId());
            caller.roles().forEach(role -> agent.addRole().addCoding(
                    new Coding("http://alongside.health/fhir/CodeSystem/role", role, null)));
        }
        if (record.clientAddress() != null) {
            agent.getNetwork().setAddress(record.clientAddress()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        event.addAgent().setRequestor(false).setWho(new Reference().setDisplay("Alongside FHIR server"));
        event.getSource().setObserver(new Reference().setDisplay("Alongside")).addType(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        for (String reference : record.references()) {
            event.addEntity().setWhat(new Reference(reference)).setType(
                    new Coding(BALP_ENTITY_TYPE, "2", "System Object"));
        }
        for (String patient : record.patients()) {
            event.addEntity().setWhat(new Reference("Patient/" + patient))
                    .setType(new Coding(BALP_ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        if (record.query() != null) {
            event.addEntity().setType(new Coding(BALP_ENTITY_TYPE, "2", "System Object"))
                    .setQuery(record.query().getBytes(StandardCharsets.UTF_8));
        }
        if (record.requestId() != null) {
            event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setValue(record.requestId())))
                    .setType(new Coding("https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType",
                            "XrequestId", "X-Request-Id"));
        }
        return event;
    }
}
