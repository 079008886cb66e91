package org.alongside.persistence.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

/** Token index entry: system and code (identifiers, codings, codes, booleans). */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "idx_token")
public class TokenIndexRow extends IndexRow {

    @Column(name = "sys")
    private String system;

    @Column(name = "code")
    private String code;

    protected TokenIndexRow() {
    }

    public TokenIndexRow(Long resourcePk, String resourceType, String param, String system, String code) {
        super(resourcePk, resourceType, param);
        this.system = system;
        this.code = code;
    }
}
