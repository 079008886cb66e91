package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** One version of a resource, immutable once written. A deletion is a version without content. */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "res_version")
public class VersionRow {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "res_version_seq")
    @SequenceGenerator(name = "res_version_seq", sequenceName = "res_version_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "res_pk", nullable = false)
    private Long resourcePk;

    @Column(name = "res_type", nullable = false)
    private String type;

    @Column(name = "res_id", nullable = false)
    private String resourceId;

    @Column(name = "version_id", nullable = false)
    private long versionId;

    @Column(name = "last_updated", nullable = false)
    private Instant lastUpdated;

    @Column(name = "method", nullable = false)
    private String method;

    @Column(name = "content")
    private String content;

    /** The writing transaction's place in the write order ({@link WriteOrder}): the change feed's order. */
    @Column(name = "write_order", nullable = false)
    private long writeOrder;

    protected VersionRow() {
    }

    VersionRow(ResourceRow resource, String method, long writeOrder) {
        this.resourcePk = resource.getPk();
        this.type = resource.getType();
        this.resourceId = resource.getResourceId();
        this.versionId = resource.getVersionId();
        this.lastUpdated = resource.getLastUpdated();
        this.method = method;
        this.content = resource.getContent();
        this.writeOrder = writeOrder;
    }

    public Long getPk() {
        return pk;
    }

    public String getType() {
        return type;
    }

    public String getResourceId() {
        return resourceId;
    }

    public long getVersionId() {
        return versionId;
    }

    public Instant getLastUpdated() {
        return lastUpdated;
    }

    public String getMethod() {
        return method;
    }

    public String getContent() {
        return content;
    }

    public long getWriteOrder() {
        return writeOrder;
    }
}
