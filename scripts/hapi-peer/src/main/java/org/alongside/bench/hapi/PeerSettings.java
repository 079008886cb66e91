package org.alongside.bench.hapi;

/** Where the peer listens, which database it uses and whether it reuses cached search results. */
record PeerSettings(int port, String jdbcUrl, String user, String password, String dialect, String schema,
                    Long reuseCachedSearchMillis) {

    /**
     * From system properties: {@code hapi.port} [8080]; {@code hapi.db} [h2] is {@code h2} or {@code postgresql};
     * {@code hapi.h2.path} [target/hapi-h2/hapi]; {@code hapi.pg.url} [jdbc:postgresql://127.0.0.1:5432/test];
     * {@code hapi.pg.schema} [hapi_bench]; {@code hapi.db.user} / {@code hapi.db.password};
     * {@code hapi.reuseCachedSearchMillis} [off], a number of milliseconds or {@code off}.
     */
    static PeerSettings fromSystemProperties() {
        int port = Integer.getInteger("hapi.port", 8080);
        String reuse = System.getProperty("hapi.reuseCachedSearchMillis", "off");
        Long reuseMillis = "off".equalsIgnoreCase(reuse) ? null : Long.valueOf(reuse);
        String db = System.getProperty("hapi.db", "h2");
        if ("postgresql".equalsIgnoreCase(db)) {
            String schema = System.getProperty("hapi.pg.schema", "hapi_bench");
            if (!schema.matches("[a-z_][a-z0-9_]*") || schema.startsWith("alongside")) {
                throw new IllegalArgumentException("hapi.pg.schema must be a plain name not starting with alongside: "
                        + schema);
            }
            String base = System.getProperty("hapi.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
            return new PeerSettings(port, base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                    System.getProperty("hapi.db.user", "postgres"), System.getProperty("hapi.db.password", ""),
                    "ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect", schema, reuseMillis);
        }
        if (!"h2".equalsIgnoreCase(db)) {
            throw new IllegalArgumentException("hapi.db is h2 or postgresql, not " + db);
        }
        String path = java.nio.file.Path.of(System.getProperty("hapi.h2.path", "target/hapi-h2/hapi"))
                .toAbsolutePath().toString();
        return new PeerSettings(port, "jdbc:h2:file:" + path, System.getProperty("hapi.db.user", "sa"),
                System.getProperty("hapi.db.password", ""), "ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect", null,
                reuseMillis);
    }

    boolean postgres() {
        return schema != null;
    }
}
