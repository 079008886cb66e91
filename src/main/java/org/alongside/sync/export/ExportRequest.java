package org.alongside.sync.export;

import java.time.Instant;
import java.util.List;

/**
 * A validated kick-off request.
 *
 * @param level      system or Patient level
 * @param types      resource types to export, in the server's configured order (never empty)
 * @param since      only resources changed after this instant; null for all
 * @param requestUrl the kick-off URL as the client sent it, echoed in the manifest
 */
public record ExportRequest(ExportLevel level, List<String> types, Instant since, String requestUrl) {

    public ExportRequest {
        types = List.copyOf(types);
        if (types.isEmpty()) {
            throw new IllegalArgumentException("an export needs at least one type");
        }
    }
}
