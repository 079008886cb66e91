package org.alongside.persistence.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** Date index entry: the span [low, high) a date, period or timing covers. */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "idx_date")
public class DateIndexRow extends IndexRow {

    @Column(name = "low_ts")
    private Instant low;

    @Column(name = "high_ts")
    private Instant high;

    protected DateIndexRow() {
    }

    public DateIndexRow(Long resourcePk, String resourceType, String param, Instant low, Instant high) {
        super(resourcePk, resourceType, param);
        this.low = low;
        this.high = high;
    }
}
