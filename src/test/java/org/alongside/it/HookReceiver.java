package org.alongside.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A real rest-hook endpoint for the tests: a JDK HTTP server on an ephemeral port of 127.0.0.1 that records every
 * request it gets, and answers 200, or a failure status while told to fail.
 */
final class HookReceiver implements AutoCloseable {

    /** One request as received, with the status it was answered. */
    record Request(String method, String path, String body, com.sun.net.httpserver.Headers headers, int answered) {

        String header(String name) {
            return headers.getFirst(name);
        }

        long eventNumber() {
            return Long.parseLong(header("X-Alongside-Event-Number"));
        }

        boolean accepted() {
            return answered >= 200 && answered < 300;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int failWith;

    HookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** e.g. http://127.0.0.1:41234/hook */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answer every request with {@code status} from now on (0: accept again). */
    void failWith(int status) {
        failWith = status;
    }

    List<Request> all() {
        return new ArrayList<>(requests);
    }

    /** The notifications that were accepted, in the order they arrived. */
    List<Request> accepted() {
        return requests.stream().filter(Request::accepted).toList();
    }

    /** Waits (generously) until {@code condition} holds for the requests received so far; returns them. */
    List<Request> await(Predicate<List<Request>> condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Request> received = all();
            if (condition.test(received)) {
                return received;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting for " + what + "; received "
                        + received.size() + " requests: " + received.stream()
                        .map(r -> r.method() + " " + r.path() + " #" + r.header("X-Alongside-Event-Number")
                                + " -> " + r.answered()).toList());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** Waits until {@code count} notifications were accepted; returns the accepted ones. */
    List<Request> awaitAccepted(int count, Duration timeout) {
        await(received -> received.stream().filter(Request::accepted).count() >= count, timeout,
                count + " accepted notifications");
        return accepted();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int status = failWith == 0 ? 200 : failWith;
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                exchange.getRequestHeaders(), status));
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
