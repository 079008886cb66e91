package org.alongside.persistence.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** String index entry: folded value for matching, original for :exact. */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "idx_string")
public class StringIndexRow extends IndexRow {

    @Column(name = "value_norm")
    private String normalized;

    @Column(name = "value_exact")
    private String exact;

    protected StringIndexRow() {
    }

    public StringIndexRow(Long resourcePk, String resourceType, String param, String normalized, String exact) {
        super(resourcePk, resourceType, param);
        this.normalized = normalized;
        this.exact = exact;
    }
}
