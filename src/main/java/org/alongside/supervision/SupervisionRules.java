package org.alongside.supervision;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;

/**
 * Refuses (422) a supervision session that breaks the rules its profile cannot state ({@link SupervisionSessions#problems}),
 * however it arrives (REST, Bundle entry). Who may write one is the access rule's business, not this check's.
 */
@ApplicationScoped
public class SupervisionRules implements WriteCheck {

    @Override
    public void check(IBaseResource resource) {
        if (!SupervisionSessions.isSupervisionSession(resource)) {
            return;
        }
        List<String> problems = SupervisionSessions.problems((Encounter) resource);
        if (!problems.isEmpty()) {
            throw new UnprocessableEntityException(String.join("; ", problems));
        }
    }
}
