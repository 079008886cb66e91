package org.alongside.audit;

import java.util.Collection;
import java.util.Date;
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
 * Builds AuditEvents in the shape of IHE Basic Audit Log Patterns (BALP): a RESTful interaction event, the
 * requesting agent (user or client, with roles, address and purpose of use), this server as source, and one
 * entity per record touched, the patients among them marked as such. It records no resource content.
 */
final class AuditEvents {

    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    static final String DISCLOSURE_SYSTEM = "http://alongside.health/fhir/CodeSystem/audit-category";
    private static final String BALP_ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

    private AuditEvents() {
    }

    /** Replaces the purpose of use the caller's role implies with the one the disclosure declared (HPAYMT). */
    static void purpose(AuditEvent event, String purpose) {
        event.getPurposeOfEvent().clear();
        event.addPurposeOfEvent().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose,
                null));
    }

    static AuditEvent build(AuditNotes notes, Caller caller, int httpStatus, Collection<String> references,
                            Collection<String> patients, boolean disclosure) {
        AuditEvent event = new AuditEvent();
        event.setId(UUID.randomUUID().toString());
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest",
                "Restful Operation"));
        event.addSubtype(new Coding(INTERACTION_SYSTEM, notes.interaction == null ? "unknown" : notes.interaction, null));
        if (disclosure) {
            event.addSubtype(new Coding(DISCLOSURE_SYSTEM, "disclosure", "Records disclosed outside the program"));
        }
        event.setAction(notes.action == null ? AuditEventAction.E : AuditEventAction.fromCode(notes.action));
        event.setRecorded(new Date());
        event.setOutcome(httpStatus < 400 ? AuditEventOutcome._0 : httpStatus < 500 ? AuditEventOutcome._4
                : AuditEventOutcome._8);
        event.setOutcomeDesc("HTTP " + httpStatus);
        event.addPurposeOfEvent().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason",
                caller != null && caller.has(Role.EHR_SYSTEM) ? "HOPERAT" : "TREAT", null));

        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
        if (caller == null) {
            agent.setWho(new Reference().setDisplay(notes.serverWork ? "Alongside server (background work)"
                    : "unauthenticated"));
        } else {
            agent.setWho(caller.fhirUser().map(Reference::new)
                    .orElseGet(() -> new Reference().setIdentifier(new Identifier().setValue(caller.subject()))));
            agent.setAltId(caller.subject()).setName(caller.clientId());
            caller.roles().forEach(role -> agent.addRole().addCoding(
                    new Coding("http://alongside.health/fhir/CodeSystem/role", role.claimValue(), null)));
        }
        if (notes.clientAddress != null) {
            agent.getNetwork().setAddress(notes.clientAddress)
                    .setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        event.addAgent().setRequestor(false).setWho(new Reference().setDisplay("Alongside FHIR server"));
        event.getSource().setObserver(new Reference().setDisplay("Alongside")).addType(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));

        for (String reference : references) {
            event.addEntity().setWhat(new Reference(reference)).setType(
                    new Coding(BALP_ENTITY_TYPE, "2", "System Object"));
        }
        for (String patient : patients) {
            event.addEntity().setWhat(new Reference("Patient/" + patient))
                    .setType(new Coding(BALP_ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        if (notes.query != null) {
            event.addEntity().setType(new Coding(BALP_ENTITY_TYPE, "2", "System Object"))
                    .setQuery(notes.query.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (notes.requestId != null) {
            event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setValue(notes.requestId)))
                    .setType(new Coding("https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType",
                            "XrequestId", "X-Request-Id"));
        }
        return event;
    }
}
