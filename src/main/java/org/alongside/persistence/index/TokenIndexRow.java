package org.alongside.persistence.index;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** Token index entry: system and code (identifiers, codings, codes, booleans). */
@Entity
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
