package org.edgetrain.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.edgetrain.log.Log;

/**
 * The daemon's read-only HTTP endpoint ({@code /health}, {@code /metrics}, the status page at {@code /}): one thread,
 * one selector, non-blocking sockets. A client that sends half a request and waits only holds its own connection:
 * nobody else waits behind it (the JDK's HttpServer reads a request on its single dispatcher thread, so one such client
 * blocked every scrape). Each connection has a deadline ({@link Limits#timeoutMillis}) for the whole request and reply;
 * at most {@link Limits#maxConnections} are open, and a new one pushes out the oldest, so a pile of idle connections
 * cannot lock a scraper out. Paths match exactly; every reply closes its connection.
 *
 * <p>Bound to loopback unless an address is given; any other address needs a token, sent as
 * {@code Authorization: Bearer TOKEN} or {@code ?token=TOKEN}.
 */
public final class StatusServer implements AutoCloseable {
    /** What one path answers: its content type and a body made at request time from the query string ("" if none). */
    public record Route(String contentType, Function<String, String> body) {
        /** A route whose body does not depend on the query. */
        public static Route of(String contentType, Supplier<String> body) {
            return new Route(contentType, q -> body.get());
        }
    }

    /**
     * @param timeoutMillis  the time a connection has to send its request and take the reply
     * @param maxConnections connections held at once; the oldest is closed to admit a new one
     * @param maxHeaderBytes the request line and headers, at most
     */
    public record Limits(long timeoutMillis, int maxConnections, int maxHeaderBytes) {
        public static final Limits DEFAULT = new Limits(5_000, 32, 8_192);
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Map<String, Route> routes;
    private final byte[] token;
    private final Limits limits;
    private final LinkedHashSet<Connection> open = new LinkedHashSet<>(); // oldest first
    private final Thread thread;
    private volatile boolean closed;
    private volatile long served, refused;

    /** One client: its request so far, then the reply being written; both before {@code deadline}. */
    private static final class Connection {
        final SocketChannel channel;
        final long deadline;
        final ByteBuffer in;
        ByteBuffer out;
        SelectionKey key;

        Connection(SocketChannel channel, long deadline, int maxHeaderBytes) {
            this.channel = channel;
            this.deadline = deadline;
            this.in = ByteBuffer.allocate(maxHeaderBytes);
        }
    }

    /** A loopback-only server with the default limits. */
    public StatusServer(int port, Map<String, Route> routes) throws IOException {
        this(InetAddress.getLoopbackAddress(), port, null, routes, Limits.DEFAULT);
    }

    /**
     * @param token required from clients (null: none); must be given when {@code address} is not a loopback address
     */
    public StatusServer(InetAddress address, int port, String token, Map<String, Route> routes, Limits limits) throws IOException {
        if (!address.isLoopbackAddress() && (token == null || token.isEmpty())) {
            throw new IllegalArgumentException("a status server on " + address.getHostAddress() + " needs a token");
        }
        this.routes = new LinkedHashMap<>(routes);
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.limits = limits;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(address, port), 64);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        thread = new Thread(this::loop, "edgetrain-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** The bound port (useful with port 0 in tests). */
    public int port() {
        return server.socket().getLocalPort();
    }

    /** Requests answered (any status) so far. */
    public long served() {
        return served;
    }

    /** Connections closed without a reply: timed out, pushed out by a newer one, or over-long headers. */
    public long refused() {
        return refused;
    }

    private void loop() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                long wait = 0; // 0: block until something happens
                if (!open.isEmpty()) wait = Math.max(1, (open.iterator().next().deadline - now) / 1_000_000 + 1);
                selector.select(wait);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) continue;
                    if (k.isAcceptable()) accept();
                    else if (k.isReadable()) read((Connection) k.attachment());
                    else if (k.isWritable()) write((Connection) k.attachment());
                }
                expire(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) Log.warn("status endpoint stopped: {}", e.toString());
        } finally {
            for (Connection c : open.toArray(new Connection[0])) drop(c);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (open.size() >= limits.maxConnections()) {
                refused++;
                Connection oldest = open.iterator().next();
                open.remove(oldest);
                abort(oldest);
            }
            ch.configureBlocking(false);
            Connection c = new Connection(ch, System.nanoTime() + limits.timeoutMillis() * 1_000_000, limits.maxHeaderBytes());
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            open.add(c);
        }
    }

    private void read(Connection c) {
        try {
            int n = c.channel.read(c.in);
            if (n < 0) {
                drop(c);
                return;
            }
            int end = headerEnd(c.in);
            if (end >= 0) {
                reply(c, answer(new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1)));
            } else if (!c.in.hasRemaining()) {
                refused++;
                reply(c, response(431, "text/plain", "request headers too long\n"));
            }
        } catch (IOException e) {
            drop(c);
        }
    }

    /** Where the blank line after the headers starts, or -1 while it has not arrived. */
    private static int headerEnd(ByteBuffer in) {
        byte[] a = in.array();
        for (int i = 0; i + 3 < in.position(); i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') return i;
        }
        for (int i = 0; i + 1 < in.position(); i++) { // bare LF line endings, as some tools send
            if (a[i] == '\n' && a[i + 1] == '\n') return i;
        }
        return -1;
    }

    private byte[] answer(String head) {
        String[] lines = head.split("\r?\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("HTTP/")) return response(400, "text/plain", "bad request line\n");
        String target = first[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Route route = routes.get(path);
        if (route == null) return response(404, "text/plain", "not found; paths: " + String.join(" ", routes.keySet()) + "\n");
        if (!first[0].equals("GET") && !first[0].equals("HEAD")) return response(405, "text/plain", "only GET\n");
        if (token != null && !authorized(lines, q < 0 ? "" : target.substring(q + 1))) {
            return response(401, "text/plain", "this endpoint needs its token: Authorization: Bearer TOKEN or ?token=TOKEN\n");
        }
        byte[] r = response(200, route.contentType(), route.body().apply(q < 0 ? "" : target.substring(q + 1)));
        if (first[0].equals("HEAD")) { // the headers only
            String s = new String(r, StandardCharsets.ISO_8859_1);
            return s.substring(0, s.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
        }
        return r;
    }

    private boolean authorized(String[] lines, String query) {
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase("authorization")) {
                String v = lines[i].substring(colon + 1).trim();
                if (v.regionMatches(true, 0, "Bearer ", 0, 7) && same(v.substring(7).trim())) return true;
            }
        }
        for (String p : query.split("&")) {
            if (p.startsWith("token=") && same(URLDecoder.decode(p.substring(6), StandardCharsets.UTF_8))) return true;
        }
        return false;
    }

    private boolean same(String offered) {
        return MessageDigest.isEqual(token, offered.getBytes(StandardCharsets.UTF_8)); // time does not depend on the match
    }

    private static byte[] response(int status, String type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String reason = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
        String head = String.format(Locale.ROOT, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nCache-Control: no-store\r\n"
                + "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n", status, reason, type, b.length);
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    private void reply(Connection c, byte[] bytes) {
        served++;
        c.out = ByteBuffer.wrap(bytes);
        c.key.interestOps(SelectionKey.OP_WRITE);
        write(c);
    }

    private void write(Connection c) {
        try {
            c.channel.write(c.out);
            if (!c.out.hasRemaining()) drop(c);
        } catch (IOException e) {
            drop(c);
        }
    }

    private void expire(long now) {
        Iterator<Connection> it = open.iterator();
        while (it.hasNext()) {
            Connection c = it.next();
            if (c.deadline - now > 0) break; // oldest first: the rest are younger
            it.remove();
            refused++;
            abort(c);
        }
    }

    private void drop(Connection c) {
        open.remove(c);
        close(c);
    }

    /** Closes with a reset: the kernel drops what the client did not read instead of sending it on after the close. */
    private static void abort(Connection c) {
        try {
            c.channel.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // already closed by the peer
        }
        close(c);
    }

    private static void close(Connection c) {
        if (c.key != null) c.key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing a socket the peer already reset: nothing left to do
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2_000);
            server.close();
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the port is released either way
        }
    }
}
