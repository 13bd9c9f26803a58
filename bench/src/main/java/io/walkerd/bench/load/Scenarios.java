package io.walkerd.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.bench.load.Connector.Spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The bench's scenarios, each returning one table row. A run opens its connections, sends for a warm-up, counts and
 * times deliveries during the measurement window, then closes everything.
 */
public final class Scenarios {
    /** A user of the {@code user-notify} scenario: its root id, and its bearer token on walkerd (null for peers). */
    public record User(String rootId, String token) {}

    private static final String BODY = "\"body\":\"bench message\"";
    private final Loop loop;
    private final Connector connector;
    private final Duration warmup;
    private final Duration measure;
    /** The measured window of the fixed-rate fan-out rows: long enough for their p99 to rest on many messages. */
    private final Duration rateMeasure;
    private int runs;

    public Scenarios(Loop loop, Duration warmup, Duration measure) { this(loop, warmup, measure, measure); }

    public Scenarios(Loop loop, Duration warmup, Duration measure, Duration rateMeasure) {
        this.loop = loop;
        this.connector = new Connector(loop);
        this.warmup = warmup;
        this.measure = measure;
        this.rateMeasure = rateMeasure;
    }

    /** Publishes to a channel of {@code n} subscribers: at most {@code window} messages not yet fully delivered, or
     *  at a fixed {@code rate} (messages per second; null = as fast as the server takes them). */
    public Result channelFanout(Endpoint server, int n, Integer rate) {
        return fanout("channel-fanout", rate == null ? "max" : "@" + rate + "/s", server, server, 1, n, rate);
    }

    /** {@code channel-fanout} at max rate with the publisher on instance {@code a} and the subscribers on {@code b}. */
    public Result crossInstance(Endpoint a, Endpoint b, int n) {
        return fanout("cross-instance", "max", a, b, 1, n, null);
    }

    /**
     * {@code channels} channels of {@code members} subscribers each (connection {@code i} in channel {@code i % channels});
     * one publisher sends events each naming every channel, so one event is {@code channels × members} deliveries, at
     * most {@code max(2, min(64, 20000 / deliveries per event))} events not yet fully delivered.
     */
    public Result multiChannel(Endpoint server, int channels, int members) {
        Result r = fanout("multi-channel", channels + "×" + members, server, server, channels, channels * members, null);
        int perEvent = channels * members;
        return r.withNote(String.format(java.util.Locale.ROOT, "each event names all %d channels: %,d deliveries per event, at most %d events in flight",
                channels, perEvent, inFlight(perEvent)));
    }

    private static int inFlight(int deliveriesPerMessage) { return Math.max(2, Math.min(64, 20_000 / deliveriesPerMessage)); }

    private Result fanout(String scenario, String variant, Endpoint pubServer, Endpoint subServer, int channels, int n, Integer rate) {
        String run = "bench-" + ProcessHandle.current().pid() + "-" + (++runs);
        Stats stats = new Stats();
        Fanout f = new Fanout(stats, n, inFlight(n));
        List<WsConn> subs = connector.sockets(subServer, n, i -> new Spec(subServer.wire().path(channels == 1 ? run : run + "-" + (i % channels), null), null), f);
        List<WsConn> pub = connector.sockets(pubServer, 1, i -> new Spec(pubServer.wire().path(run + "-pub", null), null),
                new WsConn.Listener() {
                    @Override
                    public void message(WsConn c, ByteBuf text, long now) {}

                    @Override
                    public void error(WsConn c, String what) { stats.error("publisher: " + what); }
                });
        f.publisher = pub.get(0);
        StringBuilder ids = new StringBuilder();
        for (int c = 0; c < channels; c++) ids.append(c == 0 ? "" : ",").append('"').append(channels == 1 ? run : run + "-" + c).append('"');
        String frame = pubServer.wire().event("channel", "\"channel_ids\":[" + ids + "],\"data\":{\"t\":#,\"seq\":#," + BODY + "}");
        String[] parts = frame.split("#", -1);
        f.prefix = parts[0];
        f.middle = parts[1];
        f.tail = parts[2];
        ScheduledFuture<?> ticker = loop.call(() -> {
            f.started = System.nanoTime();
            f.lastProgress = f.started;
            if (rate == null) f.fill();
            return loop.executor().scheduleAtFixedRate(() -> f.tick(rate), 1, 1, TimeUnit.MILLISECONDS);
        });
        Result r = window(stats, scenario, variant, n, subServer.server(), rate == null ? measure : rateMeasure, () -> {
            ticker.cancel(false);
            f.running = false;
        });
        closeAll(subs, List.of()); closeAll(pub, List.of());
        if (f.lost > 0) r = r.withNote(f.lost + " deliveries never arrived (publisher stalled 2 s)");
        if (rate != null && r.msgsPerSec() < 0.95 * rate * n) {
            r = r.withNote(String.format(java.util.Locale.ROOT, "fell behind: delivered %.0f%% of the %,d deliveries/s offered", 100 * r.msgsPerSec() / (rate * (double) n), rate * n));
        }
        return r;
    }

    /**
     * Opens {@code total} connections, at most {@code inFlight} at a time, and closes each as soon as the frame that says
     * it is connected arrives ({@link Wire#connected}: the {@code connection} event, Socket.IO's {@code 40} ack); one
     * latency per connection, from the start of its TCP connect to that frame. An unrecorded pass of
     * {@code min(total, 1000)} connections comes first. msgs/s is connections per second: those that connected over
     * the time from the first connect to the last one's frame.
     */
    public Result connect(Endpoint server, int total, int inFlight) {
        Churn warm = churn(server, Math.min(total, 1000), inFlight);
        if (warm.failed == warm.total) throw new IllegalStateException("no connection succeeded: " + warm.firstFailure);
        Churn c = churn(server, total, inFlight);
        int ok = c.total - c.failed;
        double seconds = (c.ended - c.started) / 1e9;
        String note = "conn/s; latency: TCP connect to the " + (server.wire() == Wire.SOCKETIO ? "40 connect ack" : "connection event")
                + "; each closed on arrival" + (c.firstFailure == null ? "" : "; first failure: " + c.firstFailure);
        return new Result("connect", inFlight + " in flight", total, server.server(), seconds > 0 ? ok / seconds : 0,
                pct(c.took, 50), pct(c.took, 99), pct(c.took, 99.9), ok, c.failed, note);
    }

    private Churn churn(Endpoint server, int total, int inFlight) {
        Churn c = new Churn(server, total, inFlight);
        loop.run(c::start);
        try {
            c.done.get(300, TimeUnit.SECONDS);
        } catch (Exception x) {
            throw new IllegalStateException("connect: " + c.finished + " of " + total + " connections done after 300 s", x);
        }
        for (var f : c.closing) f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        sleep(Duration.ofMillis(200)); // let the server notice the closes before the next run
        return c;
    }

    /** The connections of one {@code connect} pass; on the loop thread. */
    private final class Churn {
        final Endpoint server;
        final int total;
        final int inFlight;
        final org.HdrHistogram.Histogram took = new org.HdrHistogram.Histogram(60_000_000L, 3);
        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        final List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        final Spec spec;
        int next;
        int open;
        int finished;
        int failed;
        String firstFailure;
        long started;
        long ended;

        Churn(Endpoint server, int total, int inFlight) {
            this.server = server;
            this.total = total;
            this.inFlight = inFlight;
            this.spec = new Spec(server.wire().path(null, null), null);
        }

        void start() {
            started = System.nanoTime();
            launch();
        }

        private void launch() {
            while (open < inFlight && next < total) {
                open++;
                one(next++);
            }
        }

        private void one(int i) {
            long t0 = System.nanoTime();
            WsConn[] conn = new WsConn[1];
            conn[0] = new WsConn(i, server.wire(), WsConn.IGNORE, () -> {}, why -> {
                failed++;
                if (firstFailure == null) firstFailure = why;
                if (conn[0].isOpen()) closing.add(conn[0].close());
                finish(System.nanoTime());
            });
            conn[0].onConnected(now -> {
                took.recordValue(Math.min(60_000_000L, Math.max(0, (now - t0) / 1000)));
                closing.add(conn[0].close());
                finish(now);
            });
            connector.open(server, spec, conn[0]);
        }

        private void finish(long now) {
            open--;
            finished++;
            ended = now;
            if (finished == total) done.complete(null);
            else launch();
        }
    }

    /**
     * Instances sharing Redis (three in the suite): {@code channels × members} connections, connection {@code g} in
     * channel {@code g % channels} on instance {@code g × instances / total}, and one publisher per instance. In each
     * of two rounds (the first unrecorded) every publisher sends {@code events} events at once, each naming every
     * channel: {@code instances × events × total} deliveries per round. The row's msgs/s and latency are the timed
     * round's, from the first send to the last delivery; every delivery of both rounds is checked on its connection:
     * each publisher's messages exactly once and in the order sent.
     */
    public Result threeInstance(List<Endpoint> instances, int channels, int members, int events) {
        String run = "bench-" + ProcessHandle.current().pid() + "-" + (++runs);
        int total = channels * members;
        int k = instances.size();
        Stats stats = new Stats();
        Order order = new Order(stats, total, k, events);
        List<WsConn> subs = new ArrayList<>();
        List<WsConn> pubs = new ArrayList<>();
        try {
            for (int in = 0; in < k; in++) {
                Endpoint e = instances.get(in);
                int from = in * total / k, to = (in + 1) * total / k;
                int base = from;
                WsConn.Listener l = new WsConn.Listener() {
                    @Override
                    public void message(WsConn c, ByteBuf text, long now) { order.delivered(base + c.index(), text, now); }

                    @Override
                    public void error(WsConn c, String what) { order.error(what); }
                };
                subs.addAll(connector.sockets(e, to - from, i -> new Spec(e.wire().path(run + "-" + ((base + i) % channels), null), null), l));
                pubs.addAll(connector.sockets(e, 1, i -> new Spec(e.wire().path(run + "-pub", null), null), new WsConn.Listener() {
                    @Override
                    public void message(WsConn c, ByteBuf text, long now) {}

                    @Override
                    public void error(WsConn c, String what) { order.error("publisher: " + what); }
                }));
            }
            StringBuilder ids = new StringBuilder();
            for (int c = 0; c < channels; c++) ids.append(c == 0 ? "" : ",").append("\"").append(run).append('-').append(c).append('"');
            for (int round = 0; round < 2; round++) {
                int r = round;
                long expected = (long) k * events * total;
                loop.run(() -> {
                    order.startRound(expected, r == 1);
                    for (int p = 0; p < k; p++) {
                        Wire wire = instances.get(p).wire();
                        for (int ev = 0; ev < events; ev++) {
                            pubs.get(p).send(wire.event("channel", "\"channel_ids\":[" + ids + "],\"data\":{\"t\":" + System.nanoTime()
                                    + ",\"p\":" + p + ",\"seq\":" + (r * events + ev) + "," + BODY + "}"));
                        }
                    }
                });
                order.await(60);
            }
            sleep(Duration.ofMillis(500)); // late duplicates
            return loop.call(() -> order.result(instances.get(0).server(), channels, members));
        } finally {
            closeAll(subs, List.of());
            closeAll(pubs, List.of());
        }
    }

    /** Exactly-once and per-publisher order on every connection of {@code threeInstance}; on the loop thread. */
    private static final class Order {
        final Stats stats;
        final int total;
        final int publishers;
        final int events;
        final java.util.BitSet[] seen;
        final int[] highest;
        long duplicates;
        long outOfOrder;
        long foreign;
        long connectionErrors;
        String firstError;
        long roundExpected;
        long roundDelivered;
        long firstSend;
        long lastDelivery;
        boolean timed;
        java.util.concurrent.CompletableFuture<Void> roundDone;

        Order(Stats stats, int total, int publishers, int events) {
            this.stats = stats;
            this.total = total;
            this.publishers = publishers;
            this.events = events;
            this.seen = new java.util.BitSet[total * publishers];
            this.highest = new int[total * publishers];
            for (int i = 0; i < seen.length; i++) {
                seen[i] = new java.util.BitSet(2 * events);
                highest[i] = -1;
            }
        }

        void startRound(long expected, boolean timed) {
            this.timed = timed;
            roundExpected = expected;
            roundDelivered = 0;
            roundDone = new java.util.concurrent.CompletableFuture<>();
            firstSend = System.nanoTime();
            if (timed) stats.open(firstSend);
        }

        void delivered(int conn, ByteBuf text, long now) {
            long p = Wire.number(text, "\"p\":"), seq = Wire.number(text, "\"seq\":"), t = Wire.stamp(text);
            if (p < 0 || p >= publishers || seq < 0 || seq >= 2L * events || t < 0) {
                foreign++;
                error("unexpected message " + text.toString(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            int slot = conn * publishers + (int) p;
            if (seen[slot].get((int) seq)) {
                duplicates++;
                return;
            }
            seen[slot].set((int) seq);
            if (seq < highest[slot]) outOfOrder++;
            else highest[slot] = (int) seq;
            stats.delivered(t, now);
            lastDelivery = now;
            if (++roundDelivered == roundExpected && roundDone != null) {
                if (timed) stats.close(now);
                roundDone.complete(null);
            }
        }

        void error(String what) {
            connectionErrors++;
            if (firstError == null) firstError = what.length() > 200 ? what.substring(0, 200) + "…" : what;
        }

        void await(int seconds) {
            try {
                roundDone.get(seconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException x) {
                // missing deliveries: counted in the result
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }

        Result result(String server, int channels, int members) {
            boolean complete = roundDone.isDone();
            if (!complete) stats.close(lastDelivery > firstSend ? lastDelivery : System.nanoTime());
            long missing = 0;
            for (java.util.BitSet b : seen) missing += 2L * events - b.cardinality();
            long bad = duplicates + missing + outOfOrder + foreign;
            Result r = stats.result("three-instance", channels + "×" + members, total, server);
            double seconds = r.msgsPerSec() > 0 ? r.messages() / r.msgsPerSec() : Double.NaN;
            String check = String.format(java.util.Locale.ROOT, "exactly-once and per-publisher order checked on all %,d connections over both rounds: "
                    + "%d duplicates, %d missing, %d out of order%s", total, duplicates, missing, outOfOrder, foreign > 0 ? ", " + foreign + " unexpected" : "");
            String what = String.format(java.util.Locale.ROOT, "%,d deliveries (%d publishers, one per instance, %d events each naming all %d channels, sent at once) %s",
                    roundExpected, publishers, events, channels, complete ? String.format(java.util.Locale.ROOT, "in %.2f s", seconds) : "did not all arrive within 60 s");
            String note = (bad > 0 || !complete ? "FAILED: " : "") + what + "; " + check
                    + (connectionErrors > 0 ? "; " + connectionErrors + " connection errors, first: " + firstError : "");
            return new Result(r.scenario(), r.variant(), r.n(), r.server(), r.msgsPerSec(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.messages(),
                    bad + connectionErrors, note);
        }
    }

    /** Fan-out state; on the loop thread. */
    private final class Fanout implements WsConn.Listener {
        final Stats stats;
        final int n;
        final int window;
        WsConn publisher;
        String prefix;
        String middle;
        String tail;
        boolean running = true;
        long started;
        long sent;
        long delivered;
        long lost;
        long lastProgress;

        Fanout(Stats stats, int n, int window) {
            this.stats = stats;
            this.n = n;
            this.window = window;
        }

        @Override
        public void message(WsConn c, ByteBuf text, long now) {
            if (!stats.deliveredStamped(text, now)) return;
            delivered++;
            lastProgress = now;
        }

        @Override
        public void error(WsConn c, String what) { stats.error(what); }

        void send(long t) {
            publisher.send(prefix + t + middle + sent + tail);
            sent++;
        }

        /** Max rate: keeps {@code window} messages in flight. */
        void fill() {
            while (running && sent * n - delivered - lost < (long) window * n) send(System.nanoTime());
        }

        void tick(Integer rate) {
            long now = System.nanoTime();
            if (!running) return;
            if (rate == null) {
                if (now - lastProgress > 2_000_000_000L) {
                    lost += sent * n - delivered - lost;
                    lastProgress = now;
                }
                fill();
                return;
            }
            // open loop: each message is stamped with the time it was due, so a late send counts as latency
            long due = (now - started) * rate / 1_000_000_000L + 1; // message k is due at k / rate, the first at once
            while (running && sent < due) send(started + sent * 1_000_000_000L / rate);
        }
    }

    /**
     * {@code n} users with one connection each; {@code callers} HTTP connections call {@code bench_notify_users} on a
     * random user, one request at a time each. Times each delivery from the REST call's start.
     */
    public Result userNotify(Endpoint server, List<User> users, int n, int callers) {
        Stats stats = new Stats();
        boolean walkerd = server.wire() == Wire.WALKERD;
        List<WsConn> sockets = connector.sockets(server, n, i -> new Spec(server.wire().path(null, users.get(i).rootId()),
                walkerd ? "Bearer " + users.get(i).token() : null), new WsConn.Listener() {
            @Override
            public void message(WsConn c, ByteBuf text, long now) {
                stats.deliveredStamped(text, now);
            }

            @Override
            public void error(WsConn c, String what) { stats.error(what); }
        });
        SplittableRandom random = new SplittableRandom(42);
        boolean[] running = {true};
        HttpConn.Listener caller = new HttpConn.Listener() {
            @Override
            public void response(HttpConn c, int status, ByteBuf body, long sentNanos, long now) {
                if (status != 200) stats.error("HTTP " + status + ": " + body.toString(java.nio.charset.StandardCharsets.UTF_8));
                if (running[0]) call(c);
            }

            @Override
            public void failed(HttpConn c, String why) { if (running[0]) stats.error("caller: " + why); }

            void call(HttpConn c) {
                long t = System.nanoTime();
                String root = users.get(random.nextInt(n)).rootId();
                c.post("/walker/bench_notify_users", "{\"root_ids\":[\"" + root + "\"],\"t\":" + t + "}", null, t);
            }
        };
        List<HttpConn> http = connector.http(server, Math.min(callers, n), caller);
        loop.run(() -> {
            for (HttpConn c : http) {
                long t = System.nanoTime();
                c.post("/walker/bench_notify_users", "{\"root_ids\":[\"" + users.get(random.nextInt(n)).rootId() + "\"],\"t\":" + t + "}", null, t);
            }
        });
        Result r = window(stats, "user-notify", "", n, server.server(), () -> running[0] = false);
        closeAll(sockets, http);
        return r.withNote(Math.min(callers, n) + " REST callers");
    }

    /**
     * {@code n} connections each calling the {@code bench_progress} walker over the websocket, the next call when the
     * response arrives: 3 progress messages (notifySelf) and the response per call, each timed from the call.
     */
    public Result selfProgress(Endpoint server, int n) {
        Stats stats = new Stats();
        boolean[] running = {true};
        Wire wire = server.wire();
        WsConn.Listener listener = new WsConn.Listener() {
            @Override
            public void message(WsConn c, ByteBuf text, long now) {
                if (!stats.deliveredStamped(text, now)) return;
                if (Wire.indexOf(text, "\"done\"") >= 0 && running[0]) call(c);
            }

            @Override
            public void error(WsConn c, String what) {
                stats.error(what);
                if (running[0] && c.isOpen()) loop.executor().schedule(() -> call(c), 10, TimeUnit.MILLISECONDS);
            }

            void call(WsConn c) {
                c.send(wire.event("walker", "\"walker\":\"bench_progress\",\"context\":{\"t\":" + System.nanoTime()
                        + ",\"steps\":3},\"response\":true"));
            }
        };
        List<WsConn> sockets = connector.sockets(server, n, i -> new Spec(wire.path(null, null), null), listener);
        loop.run(() -> {
            for (WsConn c : sockets) {
                c.send(wire.event("walker", "\"walker\":\"bench_progress\",\"context\":{\"t\":" + System.nanoTime()
                        + ",\"steps\":3},\"response\":true"));
            }
        });
        Result r = window(stats, "self-progress", "", n, server.server(), () -> running[0] = false);
        closeAll(sockets, List.of());
        return r.withNote("4 messages per walker call");
    }

    /**
     * {@code n} keep-alive HTTP connections posting {@code body} to {@code path}, each waiting for its response;
     * {@code users}, when not null, gives connection {@code i} the token of user {@code i}.
     */
    public Result walkerRest(Endpoint server, String variant, String path, String body, int n, List<User> users) {
        Stats stats = new Stats();
        boolean[] running = {true};
        long[] serial = {0};
        HttpConn.Listener listener = new HttpConn.Listener() {
            @Override
            public void response(HttpConn c, int status, ByteBuf content, long sentNanos, long now) {
                if (status == 200) stats.delivered(sentNanos, now);
                else stats.error("HTTP " + status + ": " + content.toString(java.nio.charset.StandardCharsets.UTF_8));
                if (running[0]) c.post(path, body.replace("$serial", Long.toString(serial[0]++)), auth(c), System.nanoTime());
            }

            @Override
            public void failed(HttpConn c, String why) { if (running[0]) stats.error(why); }

            String auth(HttpConn c) { return users == null ? null : "Bearer " + users.get(c.index()).token(); }
        };
        List<HttpConn> conns = connector.http(server, n, listener);
        loop.run(() -> {
            for (HttpConn c : conns) {
                String auth = users == null ? null : "Bearer " + users.get(c.index()).token();
                c.post(path, body.replace("$serial", Long.toString(serial[0]++)), auth, System.nanoTime());
            }
        });
        Result r = window(stats, "walker-rest", variant, n, server.server(), () -> running[0] = false);
        closeAll(List.of(), conns);
        return r;
    }

    /**
     * Protocol 2's recovery, {@code rounds} times: a v2 client joins a channel on {@code subServer} and leaves; while
     * it is away {@code missed} messages are published on {@code pubServer}; it connects again and joins with its
     * last position. A row's latency is one rejoin, from opening the new connection to the arrival of the last
     * missed message; msgs/s is the missed messages over the time spent rejoining.
     */
    public Result recovery(Endpoint pubServer, Endpoint subServer, int missed, int rounds) {
        String channel = "bench-recovery-" + ProcessHandle.current().pid() + "-" + (++runs);
        org.HdrHistogram.Histogram took = new org.HdrHistogram.Histogram(60_000_000L, 3);
        long errors = 0;
        String firstError = null;
        long totalNanos = 0;
        Reply published = new Reply();
        List<WsConn> pub = connector.sockets(pubServer, 1, i -> new Spec(pubServer.wire().path(null, null), null), published);
        try {
            for (int round = 0; round < rounds; round++) {
                // where the client stands when it goes away
                Reply first = new Reply();
                WsConn c = connector.sockets(subServer, 1, i -> new Spec("/websocket?v=2", null), first).get(0);
                String reply = first.next(() -> c.send("{\"type\":\"join\",\"channel_ids\":[\"" + channel + "\"]}"));
                long offset = longField(reply, "\"offset\":");
                String epoch = textField(reply, "\"epoch\":\"");
                loop.run(() -> c.close());
                // what it misses; the publisher's walker event after them answers once they are all published
                String done = published.next(() -> {
                    for (int i = 0; i < missed; i++) {
                        pub.get(0).send("{\"type\":\"channel\",\"channel_ids\":[\"" + channel + "\"],\"data\":{\"i\":" + i + "," + BODY + "}}");
                    }
                    pub.get(0).send("{\"type\":\"walker\",\"walker\":\"bench_progress\",\"context\":{\"t\":1,\"steps\":0},\"response\":true}");
                });
                if (!done.contains("\"done\"")) throw new IllegalStateException("the publisher's fence answered " + done);
                // back: connect and recover
                Recovering back = new Recovering(missed);
                long t0 = System.nanoTime();
                WsConn again = connector.sockets(subServer, 1, i -> new Spec("/websocket?v=2", null), back).get(0);
                loop.run(() -> again.send("{\"type\":\"join\",\"channel_ids\":[\"" + channel + "\"],\"recover\":{\"" + channel
                        + "\":{\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}}}"));
                long t1 = back.await();
                loop.run(() -> again.close());
                if (back.problem != null) {
                    errors++;
                    if (firstError == null) firstError = back.problem;
                    continue;
                }
                took.recordValue(Math.max(0, (t1 - t0) / 1000));
                totalNanos += t1 - t0;
            }
        } finally {
            closeAll(pub, List.of());
        }
        double seconds = totalNanos / 1e9;
        return new Result("recovery", missed + " missed", missed, subServer.server(), seconds > 0 ? took.getTotalCount() * (double) missed / seconds : 0,
                pct(took, 50), pct(took, 99), pct(took, 99.9), took.getTotalCount() * missed, errors,
                rounds + " rejoins; latency: connect, join with recover, last missed message" + (firstError == null ? "" : "; first error: " + firstError));
    }

    /**
     * Protocol 2's presence: {@code n} members in one channel, half on {@code a} and half on {@code b}; one member on
     * {@code a} asks for the channel's presence, the next request when the answer arrives. Each answer must list
     * every member of both instances.
     */
    public Result presence(Endpoint a, Endpoint b, int n) {
        String channel = "bench-presence-" + ProcessHandle.current().pid() + "-" + (++runs);
        Stats stats = new Stats();
        List<WsConn> onA = connector.sockets(a, n / 2, i -> new Spec(a.wire().path(channel, null), null), WsConn.IGNORE);
        List<WsConn> onB = connector.sockets(b, n - n / 2, i -> new Spec(b.wire().path(channel, null), null), WsConn.IGNORE);
        boolean[] running = {true};
        long[] sent = {0};
        String ask = "{\"type\":\"presence\",\"channel_id\":\"" + channel + "\"}";
        WsConn.Listener asker = new WsConn.Listener() {
            @Override
            public void message(WsConn c, ByteBuf text, long now) {
                int listed = count(text, "\"client_id\"");
                if (listed != n + 1) stats.error("presence listed " + listed + " connections, not " + (n + 1));
                else stats.delivered(sent[0], now);
                if (running[0]) send(c);
            }

            @Override
            public void error(WsConn c, String what) { stats.error(what); }

            void send(WsConn c) {
                sent[0] = System.nanoTime();
                c.send(ask);
            }
        };
        List<WsConn> asking = connector.sockets(a, 1, i -> new Spec(a.wire().path(channel, null), null), asker);
        loop.run(() -> {
            sent[0] = System.nanoTime();
            asking.get(0).send(ask);
        });
        Result r = window(stats, "presence", "2 instances", n, a.server(), () -> running[0] = false);
        closeAll(asking, List.of());
        closeAll(onA, List.of());
        closeAll(onB, List.of());
        return r.withNote("one request at a time; each answer lists all " + (n + 1) + " connections (half on each instance, and the asker)");
    }

    /** The next text frame a connection gets after {@code send} runs on the loop; one at a time. */
    private final class Reply implements WsConn.Listener {
        private java.util.concurrent.CompletableFuture<String> next;

        String next(Runnable send) {
            java.util.concurrent.CompletableFuture<String> f = new java.util.concurrent.CompletableFuture<>();
            loop.run(() -> {
                next = f;
                send.run();
            });
            try {
                return f.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("no answer within 60 s: " + e, e);
            }
        }

        @Override
        public void message(WsConn c, ByteBuf text, long now) {
            if (next == null) return;
            java.util.concurrent.CompletableFuture<String> f = next;
            next = null;
            f.complete(text.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void error(WsConn c, String what) {
            if (next != null) next.completeExceptionally(new IllegalStateException(what));
        }
    }

    /** A client recovering {@code missed} messages: the join reply must say recovered, then that many messages. */
    private static final class Recovering implements WsConn.Listener {
        final java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
        final int missed;
        int got;
        String problem;

        Recovering(int missed) { this.missed = missed; }

        @Override
        public void message(WsConn c, ByteBuf text, long now) {
            if (Wire.indexOf(text, "{\"type\":\"join\"") == text.readerIndex()) {
                if (Wire.indexOf(text, "\"recovered\":true") < 0) fail("not recovered: " + text.toString(java.nio.charset.StandardCharsets.UTF_8), now);
                return;
            }
            if (++got == missed) done.complete(now);
        }

        @Override
        public void error(WsConn c, String what) {
            if (!done.isDone()) fail(what, System.nanoTime()); // once done, the generator closes it
        }

        private void fail(String why, long now) {
            if (problem == null) problem = why;
            done.complete(now);
        }

        long await() {
            try {
                return done.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                problem = "recovery did not finish within 60 s (" + got + " of " + missed + ")";
                return System.nanoTime();
            }
        }
    }

    private static long longField(String json, String key) {
        int at = json.indexOf(key);
        if (at < 0) throw new IllegalStateException("no " + key + " in " + json);
        int p = at + key.length(), end = p;
        while (end < json.length() && Character.isDigit(json.charAt(end))) end++;
        return Long.parseLong(json.substring(p, end));
    }

    private static String textField(String json, String key) {
        int at = json.indexOf(key);
        if (at < 0) throw new IllegalStateException("no " + key + " in " + json);
        int p = at + key.length();
        return json.substring(p, json.indexOf('"', p));
    }

    private static int count(ByteBuf text, String needle) {
        int n = 0;
        int from = text.readerIndex();
        ByteBuf view = text.duplicate();
        while (true) {
            view.readerIndex(from);
            int at = Wire.indexOf(view, needle);
            if (at < 0) return n;
            n++;
            from = at + needle.length();
        }
    }

    private static double pct(org.HdrHistogram.Histogram h, double p) { return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0; }

    /** Opens {@code n} idle connections, runs {@code whileOpen} and closes them. */
    public void idle(Endpoint server, int n, Runnable whileOpen) {
        List<WsConn> sockets = connector.sockets(server, n, i -> new Spec(server.wire().path("idle", null), null), WsConn.IGNORE);
        try {
            whileOpen.run();
        } finally {
            closeAll(sockets, List.of());
        }
    }

    private Result window(Stats stats, String scenario, String variant, int n, String server, Runnable stop) {
        return window(stats, scenario, variant, n, server, measure, stop);
    }

    private Result window(Stats stats, String scenario, String variant, int n, String server, Duration measured, Runnable stop) {
        sleep(warmup);
        loop.run(() -> stats.open(System.nanoTime()));
        sleep(measured);
        return loop.call(() -> {
            stats.close(System.nanoTime());
            stop.run();
            return stats.result(scenario, variant, n, server);
        });
    }

    private void closeAll(List<WsConn> sockets, List<HttpConn> http) {
        List<io.netty.channel.ChannelFuture> closing = new ArrayList<>();
        loop.run(() -> {
            for (WsConn c : sockets) if (c.isOpen()) closing.add(c.close());
            for (HttpConn c : http) if (c.isOpen()) closing.add(c.close());
        });
        for (var f : closing) f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        sleep(Duration.ofMillis(200)); // let the server notice the closes before the next run
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
