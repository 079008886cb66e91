package org.alongside.persistence.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** Reference index entry: local type/id, or an absolute or canonical URL. */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "idx_reference")
public class ReferenceIndexRow extends IndexRow {

    @Column(name = "target_type")
    private String targetType;

    @Column(name = "target_id")
    private String targetId;

    @Column(name = "target_url")
    private String url;

    protected ReferenceIndexRow() {
    }

    public ReferenceIndexRow(Long resourcePk, String resourceType, String param, String targetType, String targetId, String url) {
        super(resourcePk, resourceType, param);
        this.targetType = targetType;
        this.targetId = targetId;
        this.url = url;
    }
}
