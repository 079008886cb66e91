package org.alongside.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Liberty server that a test owns: it creates it, starts it, kills it with SIGKILL, restarts it and stops it,
 * unlike the suite's shared servers, which Maven starts once. For crash tests, fault tests and embedding tests.
 *
 * <p>The server is created fresh by {@link Builder#create()} under {@code <wlp>/usr/servers/<name>}: any earlier
 * directory of that name (its logs, its H2 files) is deleted first. It gets
 * <ul>
 *   <li>{@code server.xml} and {@code jvm.options}, by default the application's own ({@code liberty/config}), the
 *       latter with the quick compiler only ({@code -XX:TieredStopAtLevel=1}: a short-lived server starts with about a
 *       third less CPU);</li>
 *   <li>{@code apps/alongside.war}, by default the packaged WAR ({@code target/alongside.war});</li>
 *   <li>{@code lib/jdbc} with the H2 and PostgreSQL drivers (taken from the test class path, where both are);</li>
 *   <li>{@code bootstrap.properties} with the ports and every {@link Builder#variable variable} given, which
 *       override the {@code server.xml} defaults, as in the suite's servers; {@link #setVariable} changes one
 *       between two starts (e.g. {@code alongside.db.cleanOnStart=false} before a restart);</li>
 *   <li>any {@link Builder#configDropin configuration drop-in} ({@code configDropins/overrides/}) and any other
 *       {@link Builder#file file}.</li>
 * </ul>
 * Defaults come from the system properties the Failsafe executions set: {@code alongside.it.wlp} (the Liberty
 * install the build created, {@code target/liberty/wlp}), {@code alongside.it.war} and
 * {@code alongside.it.libertyConfig}.
 *
 * <p>{@link #start()} runs {@code bin/server run <name>} as a child process (console output in
 * {@code logs/console.log}); {@link #awaitReady} waits for {@code /health/ready} and {@code /fhir/metadata};
 * {@link #kill()} sends SIGKILL to the server's JVM and waits for it to be gone; {@link #stop(Duration)} runs
 * {@code bin/server stop <name>} and fails when the JVM has not exited within the given time. {@link #close()} stops
 * a server still running (and kills it if it will not stop), so a failing test leaves nothing behind.
 *
 * <p>Logs are in {@link #logDir()}. Owned servers live beside the suite's servers, outside the log directories
 * {@code LogPrivacyIT} reads, and the {@code clean-it-server-logs} execution does not clear them: {@link Builder#create()}
 * starts every server with an empty directory instead.
 */
public final class OwnedServer implements AutoCloseable {

    private final String name;
    private final Path wlp;
    private final Path dir;
    private final int httpPort;
    private final String contextRoot;
    private final Map<String, String> variables;
    private Process process;

    private OwnedServer(Builder builder) {
        this.name = builder.name;
        this.wlp = builder.wlp.toAbsolutePath();
        this.dir = wlp.resolve("usr/servers").resolve(builder.name);
        this.httpPort = builder.httpPort;
        this.contextRoot = builder.contextRoot;
        this.variables = new LinkedHashMap<>(builder.variables);
        this.variables.put("http.port", Integer.toString(builder.httpPort));
        this.variables.put("https.port", Integer.toString(builder.httpsPort));
    }

    /** A server named {@code name} (also its directory name); configure it, then {@link Builder#create()}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The server directory, {@code <wlp>/usr/servers/<name>} (also its output directory). */
    public Path dir() {
        return dir;
    }

    /** {@code messages.log}, {@code console.log} and {@code ffdc/}. */
    public Path logDir() {
        return dir.resolve("logs");
    }

    public int httpPort() {
        return httpPort;
    }

    /** e.g. {@code http://localhost:9290} */
    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    /** e.g. {@code http://localhost:9290/fhir}, or {@code http://localhost:9390/alongside/fhir} under a context root. */
    public String fhirBase() {
        return baseUrl() + contextRoot + "/fhir";
    }

    /** Whether the server's JVM (started by this object) is alive. */
    public boolean isRunning() {
        return process != null && (process.isAlive() || jvm().map(ProcessHandle::isAlive).orElse(false));
    }

    /** Sets a Liberty variable in {@code bootstrap.properties}; takes effect at the next start. */
    public void setVariable(String variable, String value) {
        variables.put(variable, value);
        writeBootstrap();
    }

    /** Starts the server in the background; returns at once (see {@link #awaitReady}). */
    public void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running");
        }
        try {
            Files.createDirectories(logDir());
            ProcessBuilder command = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir().resolve("console.log").toFile()));
            command.environment().put("WLP_USER_DIR", wlp.resolve("usr").toString());
            process = command.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    /**
     * Waits until the application reports ready and serves its CapabilityStatement: up to 600 s, as a machine
     * shared by several builds can take minutes to start a server; fails at once when the server exits.
     */
    public void awaitReady() {
        awaitReady(Duration.ofSeconds(600));
    }

    public void awaitReady(Duration timeout) {
        LocalServer.awaitReady(baseUrl(), fhirBase(), timeout, () -> {
            if (!isRunning()) {
                throw new IllegalStateException(name + " exited while starting; see " + logDir());
            }
        });
    }

    /** {@link #start()} and {@link #awaitReady()}. */
    public void startAndAwaitReady() {
        start();
        awaitReady();
    }

    /** SIGKILL to the server's JVM, as a crash or {@code kill -9} would end it; returns once it is gone. */
    public void kill() {
        if (process == null) {
            return;
        }
        Optional<ProcessHandle> jvm = jvm();
        jvm.ifPresent(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        jvm.ifPresent(handle -> handle.onExit().join());
        waitFor(process, System.nanoTime() + Duration.ofSeconds(30).toNanos());
        process = null;
    }

    /**
     * {@code bin/server stop <name>}, as an operator stops it.
     *
     * @return how long it took until the JVM had exited
     * @throws AssertionError when the JVM is still alive after {@code within} (it is then killed)
     */
    public Duration stop(Duration within) {
        if (!isRunning()) {
            return Duration.ZERO;
        }
        long deadline = System.nanoTime() + within.toNanos();
        Optional<ProcessHandle> jvm = jvm();
        try {
            Process stop = new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir().resolve("stop.log").toFile()))
                    .start();
            waitFor(stop, deadline);
            stop.destroy();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop " + name, e);
        }
        boolean exited = waitFor(process, deadline) && jvm.map(handle -> exits(handle, deadline)).orElse(true);
        Duration took = within.minusNanos(deadline - System.nanoTime());
        if (!exited) {
            kill();
            throw new AssertionError(name + " did not stop within " + within + " (it was killed); see " + logDir());
        }
        process = null;
        return took;
    }

    @Override
    public void close() {
        if (isRunning()) {
            try {
                stop(Duration.ofSeconds(60));
            } catch (AssertionError e) {
                // killed by stop(): nothing is left running
            }
        }
    }

    /** The server's JVM: the launch script itself, or the java process it started. */
    private Optional<ProcessHandle> jvm() {
        if (process == null) {
            return Optional.empty();
        }
        ProcessHandle launched = process.toHandle();
        return Stream.concat(Stream.of(launched), launched.descendants())
                .filter(handle -> handle.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    private void writeBootstrap() {
        StringBuilder text = new StringBuilder("# written by OwnedServer\n");
        variables.forEach((key, value) -> text.append(key).append('=')
                .append(value.replace("\\", "\\\\")).append('\n'));
        write(dir.resolve("bootstrap.properties"), text.toString());
    }

    /** Waits for {@code process} until {@code deadline} ({@link System#nanoTime()}); whether it has exited. */
    private static boolean waitFor(Process process, long deadline) {
        try {
            return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean exits(ProcessHandle handle, long deadline) {
        try {
            handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How the server is made; every setting has the default the class comment names. */
    public static final class Builder {

        private final String name;
        private Path wlp = Path.of(System.getProperty("alongside.it.wlp", "target/liberty/wlp"));
        private Path serverXml;
        private Path jvmOptions;
        private Path war = Path.of(System.getProperty("alongside.it.war", "target/alongside.war"));
        private boolean withApplication = true;
        private String contextRoot = "";
        private int httpPort = 9290;
        private int httpsPort = -1;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final Map<String, String> dropins = new LinkedHashMap<>();
        private final Map<String, Path> files = new LinkedHashMap<>();

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("Not a Liberty server name: " + name);
            }
            this.name = name;
            Path config = Path.of(System.getProperty("alongside.it.libertyConfig", "liberty/config"));
            serverXml = config.resolve("server.xml");
            jvmOptions = config.resolve("jvm.options");
        }

        /** The Liberty install ({@code wlp} directory) to create the server in. */
        public Builder wlp(Path wlpDir) {
            this.wlp = wlpDir;
            return this;
        }

        public Builder serverXml(Path file) {
            this.serverXml = file;
            return this;
        }

        public Builder jvmOptions(Path file) {
            this.jvmOptions = file;
            return this;
        }

        /** The WAR, copied to {@code apps/alongside.war} (where the application's server.xml looks for it). */
        public Builder war(Path file) {
            this.war = file;
            return this;
        }

        /**
         * A host server without Alongside: no WAR in {@code apps/}, no drivers in {@code lib/jdbc}, for a test that
         * installs the application itself (as the embedding guide does) under {@code contextRoot} (e.g.
         * {@code /alongside}), which {@link #fhirBase()} and {@link #awaitReady} then use.
         */
        public Builder withoutApplication(String contextRoot) {
            this.withApplication = false;
            this.contextRoot = contextRoot;
            return this;
        }

        /** HTTP port (default 9290; tests that own servers use 9290-9299). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** HTTPS port (default -1: none). */
        public Builder httpsPort(int port) {
            this.httpsPort = port;
            return this;
        }

        /** A Liberty variable, written to {@code bootstrap.properties} (e.g. {@code alongside.db.url}). */
        public Builder variable(String variable, String value) {
            variables.put(variable, value);
            return this;
        }

        /**
         * The data source on PostgreSQL, in a schema of its own: the database {@code alongside.it.pgJdbcBase}
         * (default {@code jdbc:postgresql://127.0.0.1:5432/test}) as user {@code alongside.it.pgUser} (default
         * {@code postgres}), or through {@code host:port} when given (e.g. a proxy the test owns).
         */
        public Builder postgres(String schema, String hostAndPort) {
            String base = System.getProperty("alongside.it.pgJdbcBase", "jdbc:postgresql://127.0.0.1:5432/test");
            if (hostAndPort != null) {
                base = base.replaceFirst("//[^/]+/", "//" + hostAndPort + "/");
            }
            return variable("alongside.db.driver", "org.postgresql.Driver")
                    .variable("alongside.db.url", base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema)
                    .variable("alongside.db.user", System.getProperty("alongside.it.pgUser", "postgres"))
                    .variable("alongside.db.schema", schema);
        }

        /** A configuration file {@code configDropins/overrides/<fileName>} with the given XML. */
        public Builder configDropin(String fileName, String xml) {
            dropins.put(fileName, xml);
            return this;
        }

        /** Any other file, copied to {@code relativePath} inside the server directory. */
        public Builder file(String relativePath, Path source) {
            files.put(relativePath, source);
            return this;
        }

        /** Deletes any earlier server of this name and creates this one (not started). */
        public OwnedServer create() {
            OwnedServer server = new OwnedServer(this);
            Path dir = server.dir;
            try {
                if (!Files.isRegularFile(wlp.resolve("bin/server"))) {
                    throw new IllegalStateException("No Liberty install at " + wlp + " (the build creates it)");
                }
                deleteTree(dir);
                Files.createDirectories(dir.resolve("apps"));
                Files.copy(serverXml, dir.resolve("server.xml"));
                Files.copy(jvmOptions, dir.resolve("jvm.options"));
                // A test server starts, takes a few hundred requests and stops: the optimising compiler (C2) would
                // spend a third of a start's CPU on code that never runs long enough to pay it back.
                Files.writeString(dir.resolve("jvm.options"), "\n-XX:TieredStopAtLevel=1\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
                if (withApplication) {
                    Files.copy(war, dir.resolve("apps/alongside.war"));
                    for (Path driver : List.of(jarOf("org.h2.Driver"), jarOf("org.postgresql.Driver"))) {
                        copy(driver, dir.resolve("lib/jdbc").resolve(driver.getFileName()));
                    }
                }
                for (Map.Entry<String, String> dropin : dropins.entrySet()) {
                    write(dir.resolve("configDropins/overrides").resolve(dropin.getKey()), dropin.getValue());
                }
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    copy(file.getValue(), dir.resolve(file.getKey()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create server " + name, e);
            }
            server.writeBootstrap();
            return server;
        }

        private static void copy(Path source, Path target) throws IOException {
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }

        private static Path jarOf(String className) {
            try {
                return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (ClassNotFoundException | URISyntaxException e) {
                throw new IllegalStateException("JDBC driver " + className + " is not on the test class path", e);
            }
        }
    }

    /** Deletes a directory and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
