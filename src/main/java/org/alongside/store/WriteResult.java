package org.alongside.store;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What a write did.
 *
 * @param resource the resource as stored (null for a delete)
 * @param type     resource type
 * @param id       logical id
 * @param version  the current version after the write
 * @param created  true when the write made a new resource
 */
public record WriteResult(IBaseResource resource, String type, String id, long version, boolean created) {
}
