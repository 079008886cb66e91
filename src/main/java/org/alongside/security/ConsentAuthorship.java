package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Who may write a Consent that Part 2 honours: the program (its users and its own systems), never a recipient
 * outside it, who could otherwise grant itself access. The server records who wrote each Consent in an extension
 * it sets itself (whatever the client sent there is replaced), and {@link ConsentDirective} honours only consents
 * the program recorded.
 */
@ApplicationScoped
public class ConsentAuthorship implements WriteCheck {

    public static final String RECORDED_BY = "http://alongside.health/fhir/StructureDefinition/consent-recorded-by";

    @Inject
    Part2Config part2;

    @Override
    public void check(IBaseResource resource) {
        if (!(resource instanceof Consent consent)) {
            return;
        }
        RequestAccess access = RequestAccess.current();
        Caller caller = access == null || access.isServer() ? null : access.caller();
        if (caller != null && part2.enabled() && part2.isOutsideRecipient(caller)) {
            throw AccessGuard.forbidden("Consents are recorded by the program; a recipient outside it may not "
                    + "write one");
        }
        consent.getExtension().removeIf(e -> RECORDED_BY.equals(e.getUrl()));
        consent.addExtension(RECORDED_BY, recorder(caller));
    }

    /** The writer as a reference: their fhirUser, else their OAuth client; the server for its own work. */
    static Reference recorder(Caller caller) {
        if (caller == null) {
            return new Reference().setDisplay("Alongside server");
        }
        return caller.fhirUser().map(Reference::new).orElseGet(() -> new Reference().setIdentifier(
                new Identifier().setSystem(ConsentDirective.CLIENT_ID_SYSTEM).setValue(caller.clientId())));
    }
}
