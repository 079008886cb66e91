package org.alongside.persistence.index;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.SequenceGenerator;

/** A search index entry of the current version of a resource. Written and deleted, never updated. */
@MappedSuperclass
public abstract class IndexRow {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "idx_seq")
    @SequenceGenerator(name = "idx_seq", sequenceName = "idx_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "res_pk", nullable = false)
    private Long resourcePk;

    @Column(name = "res_type", nullable = false)
    private String resourceType;

    @Column(name = "param", nullable = false)
    private String param;

    protected IndexRow() {
    }

    protected IndexRow(Long resourcePk, String resourceType, String param) {
        this.resourcePk = resourcePk;
        this.resourceType = resourceType;
        this.param = param;
    }
}
