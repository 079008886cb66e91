package org.alongside.it.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.json.Json;

/**
 * The network cut for the browser's service workers, through Chromium's DevTools endpoint: ChromeDriver's CDP commands
 * reach only the page, and a worker's own requests (its network-first fetch of a page) are its target's. Each worker
 * target gets a DevTools connection of its own, kept open while the network is cut (closing it ends the emulation).
 */
final class ServiceWorkers implements AutoCloseable {

    private static final Json JSON = new Json();
    private final ChromeDriver driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();

    ServiceWorkers(ChromeDriver driver) {
        this.driver = driver;
    }

    @SuppressWarnings("unchecked")
    void network(boolean online) {
        close();
        if (online) {
            return;
        }
        Map<String, Object> options = (Map<String, Object>) driver.getCapabilities().getCapability("goog:chromeOptions");
        String address = String.valueOf(options.get("debuggerAddress"));
        try {
            String list = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (Map<String, Object> target : (List<Map<String, Object>>) JSON.toType(list, List.class)) {
                if ("service_worker".equals(target.get("type"))) {
                    sockets.add(offline(String.valueOf(target.get("webSocketDebuggerUrl"))));
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private WebSocket offline(String url) {
        CompletableFuture<String> answered = new CompletableFuture<>();
        int last = ids.addAndGet(2);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean whole) {
                text.append(data);
                if (whole) {
                    if (text.toString().contains("\"id\":" + last + ",") || text.toString().contains("\"id\":" + last + "}")) {
                        answered.complete(text.toString());
                    }
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }
        }).join();
        socket.sendText("{\"id\":" + (last - 1) + ",\"method\":\"Network.enable\"}", true).join();
        socket.sendText("{\"id\":" + last + ",\"method\":\"Network.emulateNetworkConditions\",\"params\":"
                + "{\"offline\":true,\"latency\":0,\"downloadThroughput\":-1,\"uploadThroughput\":-1}}", true).join();
        try {
            answered.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the service worker's network was not cut", e);
        }
        return socket;
    }

    @Override
    public void close() {
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        sockets.clear();
    }
}
