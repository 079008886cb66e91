package org.alongside.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback that a test can cut, as a network fails: {@link #cut()} makes every connection, open or new,
 * a black hole (sockets stay open, bytes go nowhere, nothing is closed or reset), which is the hard case for a client,
 * since only its own timeouts end its waits. {@link #restore()} forwards new connections again. Connections that were
 * cut stay dead to the client, as after a failed-over database; the database's side of them is closed then, so their
 * sessions end and release their locks, as a database does once it notices its peers are gone. {@link #resetAll()}
 * closes every connection, as a database that restarts does.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    TcpProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** e.g. 127.0.0.1:41234 */
    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    void cut() {
        cut = true;
        links.forEach(link -> link.dead = true);
    }

    void restore() {
        links.stream().filter(link -> link.dead).forEach(Link::closeServerSide);
        cut = false;
    }

    /** Closes every connection on both sides, as a database that restarts does; new ones are forwarded as before. */
    void resetAll() {
        links.forEach(Link::close);
        links.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Link link = new Link(client);
                links.add(link);
                if (cut) {
                    link.dead = true;
                    pump(link, client, null); // swallows what the client sends; never answers
                    continue;
                }
                Socket server = new Socket();
                server.connect(target, 5000);
                link.server = server;
                pump(link, client, server);
                pump(link, server, client);
            } catch (IOException e) {
                // listener closed, or the target refused: the client sees its connection closed
            }
        }
    }

    /** Copies {@code from} to {@code to} while the link lives; once dead, reads and drops. */
    private void pump(Link link, Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!link.dead && out != null) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
                if (!link.dead) {
                    link.close();
                }
            } catch (IOException e) {
                if (!link.dead) {
                    link.close();
                }
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    private static final class Link {
        private final Socket client;
        private volatile Socket server;
        private volatile boolean dead;

        Link(Socket client) {
            this.client = client;
        }

        void closeServerSide() {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (IOException e) {
                // already closed
            }
        }

        void close() {
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    if (socket != null) {
                        socket.close();
                    }
                } catch (IOException e) {
                    // already closed
                }
            }
        }
    }
}
