package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Date;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Does a patient's consent permit disclosing their Part 2 records to this recipient for this purpose? Read
 * afresh on every decision, so that a revoked consent (status no longer active) stops disclosure at once.
 * A consent counts when it is active, a privacy consent ({@code scope} patient-privacy), a permit in force
 * today, names the recipient among its actors (by the client id, system
 * {@code urn:ietf:params:oauth:client-id}, or by the caller's fhirUser), lists the purpose, for SUD
 * counseling notes names that category among its security labels, and was recorded by the program.
 */
@ApplicationScoped
public class ConsentDirective {

    public static final String CLIENT_ID_SYSTEM = "urn:ietf:params:oauth:client-id";

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    Part2Config part2;

    public boolean permits(String patientId, Caller recipient, String purpose, boolean counselingNote) {
        Date now = new Date();
        for (Consent consent : new StoreQueries(store, parser).all("Consent", Consent.class,
                "patient", "Patient/" + patientId, "status", "active")) {
            Consent.ProvisionComponent provision = consent.getProvision();
            boolean privacy = consent.getScope().hasCoding("http://terminology.hl7.org/CodeSystem/consentscope",
                    "patient-privacy");
            boolean permit = provision.getType() == Consent.ConsentProvisionType.PERMIT;
            boolean inForce = (!provision.getPeriod().hasStart() || !provision.getPeriod().getStart().after(now))
                    && (!provision.getPeriod().hasEnd() || provision.getPeriod().getEnd().after(now));
            boolean forRecipient = provision.getActor().stream().anyMatch(actor -> names(actor, recipient));
            boolean forPurpose = provision.getPurpose().stream().anyMatch(p -> purpose.equals(p.getCode()));
            boolean coversNotes = !counselingNote || provision.getSecurityLabel().stream()
                    .anyMatch(label -> Part2Labels.COUNSELING_NOTE.equals(label.getCode()));
            if (privacy && permit && inForce && forRecipient && forPurpose && coversNotes && recordedByProgram(consent)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only consents the program recorded count ({@link ConsentAuthorship} stamps every Consent written): one a
     * recipient wrote for itself, or one that reached the database some other way, grants nothing.
     */
    private boolean recordedByProgram(Consent consent) {
        var stamp = consent.getExtensionByUrl(ConsentAuthorship.RECORDED_BY);
        if (stamp == null || !(stamp.getValue() instanceof org.hl7.fhir.r4.model.Reference recorder)) {
            return false;
        }
        Identifier client = recorder.getIdentifier();
        return !CLIENT_ID_SYSTEM.equals(client.getSystem()) || part2.isProgramClient(client.getValue());
    }

    private static boolean names(Consent.provisionActorComponent actor, Caller recipient) {
        Identifier identifier = actor.getReference().getIdentifier();
        if (CLIENT_ID_SYSTEM.equals(identifier.getSystem()) && recipient.clientId().equals(identifier.getValue())) {
            return true;
        }
        String reference = actor.getReference().getReference();
        return reference != null && recipient.fhirUser().map(reference::equals).orElse(false);
    }

}
