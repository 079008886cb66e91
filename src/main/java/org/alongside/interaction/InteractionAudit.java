package org.alongside.interaction;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Hears of every interaction that passes the {@link InteractionPipeline} on behalf of a caller, for the audit trail.
 * Implementations decide how interactions become events (a Bundle entry or an operation's read is an event of its
 * own); they must not throw.
 */
public interface InteractionAudit {

    /**
     * @param interaction a FHIR restful-interaction code: read, vread, search-type, history-instance, history-type,
     *                    history-system, create, update, delete, or operation for what an operation returns
     * @param resourceType the type acted on; null for the whole system
     * @param records   the records returned or written (empty on failure)
     * @param status    the HTTP status the interaction ended with
     */
    void record(String interaction, String resourceType, List<? extends IBaseResource> records, int status);

    /**
     * Records an operation released as a disclosure for a purpose of its own (a billing export: payment), whoever
     * the caller is, so that the accounting of disclosures lists it for each person concerned.
     *
     * @param purpose a v3-ActReason code (HPAYMT)
     */
    default void disclosed(String purpose, String resourceType, List<? extends IBaseResource> records) {
    }
}
