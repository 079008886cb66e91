package org.alongside.bench.hapi;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Starts the HAPI FHIR JPA server of {@link HapiPeerConfig} on an embedded Jetty at {@code /fhir}, on a clean
 * database: the PostgreSQL schema is dropped and created again, the H2 files are deleted. Stops on SIGTERM.
 */
public final class HapiPeer {

    private static final Logger LOG = LoggerFactory.getLogger(HapiPeer.class);

    private HapiPeer() {
    }

    public static void main(String[] args) throws Exception {
        PeerSettings settings = PeerSettings.fromSystemProperties();
        clean(settings);
        HapiPeerConfig.settings = settings;
        AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(HapiPeerConfig.class);
        RestfulServer fhir = spring.getBean(RestfulServer.class);

        Server jetty = new Server(settings.port());
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder("hapi-fhir", fhir);
        holder.setInitOrder(1);
        context.addServlet(holder, "/fhir/*");
        jetty.setHandler(context);
        jetty.setStopAtShutdown(true);
        Runtime.getRuntime().addShutdownHook(new Thread(spring::close, "hapi-peer-shutdown"));
        jetty.start();
        LOG.info("HAPI FHIR JPA peer ready at http://localhost:{}/fhir ({}, search-result reuse {})",
                settings.port(), settings.postgres() ? "PostgreSQL schema " + settings.schema() : "H2",
                settings.reuseCachedSearchMillis() == null ? "off" : settings.reuseCachedSearchMillis() + " ms");
        jetty.join();
    }

    /** Each run starts from an empty database, as Alongside's benchmark servers do. */
    private static void clean(PeerSettings settings) throws SQLException, IOException {
        if (settings.postgres()) {
            String admin = settings.jdbcUrl().replaceAll("[?&]currentSchema=[^&]*", "");
            try (Connection connection = DriverManager.getConnection(admin, settings.user(), settings.password());
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + settings.schema() + " CASCADE");
                statement.execute("CREATE SCHEMA " + settings.schema());
            }
            return;
        }
        Path file = Path.of(settings.jdbcUrl().substring("jdbc:h2:file:".length()));
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path old : files.filter(p -> p.getFileName().toString().startsWith(file.getFileName() + "."))
                        .sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(old);
                }
            }
        }
    }
}
