package io.walkerd.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.bench.load.Loop;
import io.walkerd.bench.load.Result;
import io.walkerd.bench.load.Scenarios;
import io.walkerd.bench.load.Scenarios.User;
import io.walkerd.bench.report.Report;
import io.walkerd.bench.report.Report.Memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code bench/run.sh}: starts each server in turn, runs every scenario against it at each N, and writes
 * {@code results/latest.md}, {@code latest.png} and the raw rows ({@code latest.jsonl}).
 */
public final class Suite {
    static final String WALKERD = "walkerd";
    static final String JAVALIN = Report.JAVALIN;
    static final List<String> ALL_SCENARIOS = List.of("memory", "channel-fanout", "multi-channel", "user-notify", "self-progress", "walker-rest",
            "connect", "cross-instance", "three-instance", "metrics", "history-fanout", "recovery", "presence");
    /** Protocol 2's scenarios: walkerd only (the peers have no history, recovery or presence). */
    static final List<String> PROTOCOL_2 = List.of("history-fanout", "recovery", "presence");
    /** Scenarios that start servers of their own (several instances, or walkerd with other settings). */
    static final List<String> OWN_SERVERS = List.of("cross-instance", "three-instance", "metrics", "history-fanout", "recovery", "presence");
    /** multi-channel: 30 channels of 50 members, one publisher naming all 30 in each event. */
    static final int CHANNELS = 30, MEMBERS = 50;
    /** three-instance: 30 channels of 100 members over three instances, 20 events from a publisher on each. */
    static final int THREE_CHANNELS = 30, THREE_MEMBERS = 100, THREE_EVENTS = 20;
    /** connect: handshakes in flight at once. */
    static final int CONNECT_IN_FLIGHT = 100;
    private static final String REDIS = "redis://127.0.0.1:6379";
    // the load generator is one address that opens thousands of sockets and sends as fast as the server takes
    // events: the per-connection and per-address limits would measure themselves, not the server
    private static final Map<String, String> WALKERD_ENV = Map.of(
            "TOKEN_SECRET", "walkerd-bench-secret-not-for-production",
            "TOKEN_TIMEOUT", "87600",
            "SOCKET_IDLE_SECONDS", "600",
            "SOCKET_EVENTS_PER_SECOND", "0",
            "SOCKET_MAX_CONNECTIONS_PER_IP", "0",
            "SOCKET_MAX_CONNECTIONS_PER_USER", "0");

    private final Options o;
    private final Servers servers;
    private final MemoryProbe probe = new MemoryProbe();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Result> results = new ArrayList<>();
    private final List<Memory> memory = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private Loop loop;
    private Scenarios scenarios;
    private String usersNote = "";
    private List<User> walkerdUsers;
    private String usersMade = "";

    /** Command-line options of {@code run}. */
    static final class Options {
        Path root;
        /** Base name of the written report; only {@code latest} also updates the README. */
        String name = "latest";
        boolean quick;
        boolean profile;
        Set<String> servers = new LinkedHashSet<>(List.of(WALKERD, Report.NODE_WS, Report.SOCKET_IO, JAVALIN));
        Set<String> scenarios = new LinkedHashSet<>(ALL_SCENARIOS);
        List<Integer> ns;
        List<Integer> rates;
        int rateN = 1000;
        int memoryN;
        int connectN;
        Duration warmup;
        Duration measure;
        Duration rateMeasure;
        Duration serverWarmup;

        static Options parse(String[] args, Path defaultRoot) {
            Options o = new Options();
            o.root = defaultRoot;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--profile" -> o.profile = true;
                    case "--root" -> o.root = Path.of(args[++i]);
                    case "--name" -> o.name = args[++i];
                    case "--servers" -> o.servers = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    case "--scenarios" -> o.scenarios = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    case "--ns" -> o.ns = ints(args[++i]);
                    case "--rates" -> o.rates = ints(args[++i]);
                    case "--memory-n" -> o.memoryN = Integer.parseInt(args[++i]);
                    case "--connect-n" -> o.connectN = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--measure" -> o.measure = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--rate-measure" -> o.rateMeasure = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--server-warmup" -> o.serverWarmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.ns == null) o.ns = o.quick ? List.of(100, 1000) : List.of(100, 1000, 10_000);
            if (o.rates == null) o.rates = o.quick ? List.of(20) : List.of(10, 30, 60);
            if (o.memoryN == 0) o.memoryN = o.quick ? 1000 : 10_000;
            if (o.connectN == 0) o.connectN = o.quick ? 1000 : 10_000;
            for (String sc : o.scenarios) if (!ALL_SCENARIOS.contains(sc)) throw new IllegalArgumentException("unknown scenario " + sc + "; known: " + ALL_SCENARIOS);
            if (o.warmup == null) o.warmup = Duration.ofMillis(o.quick ? 400 : 2000);
            if (o.measure == null) o.measure = Duration.ofMillis(o.quick ? 1000 : 5000);
            // a fixed-rate row sends 10 to 60 messages a second: 5 s would put its p99 on the last deliveries of one or
            // two messages, so it is measured longer (at 30/s, 20 s: 600 messages, 600,000 deliveries at N = 1,000)
            if (o.rateMeasure == null) o.rateMeasure = o.quick ? o.measure : Duration.ofSeconds(20);
            if (o.serverWarmup == null) o.serverWarmup = Duration.ofMillis(o.quick ? 2000 : 9000);
            o.rateN = Math.min(1000, o.ns.get(o.ns.size() - 1));
            return o;
        }

        private static List<Integer> ints(String s) { return Arrays.stream(s.split(",")).map(Integer::parseInt).toList(); }
    }

    private Suite(Options o) {
        this.o = o;
        // the bench jar carries Netty's native epoll for the generator; walkerd's Redis client keeps the JDK transport
        // it has in the shipped jar
        List<String> jvm = new ArrayList<>(List.of("-Dio.lettuce.core.epoll=false"));
        if (o.profile) jvm.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-XX:FlightRecorderOptions:stackdepth=512"));
        String extra = System.getenv("BENCH_SERVER_JVM");
        if (extra != null && !extra.isBlank()) jvm.addAll(Arrays.asList(extra.trim().split("\\s+")));
        this.servers = new Servers(jar(), o.root.resolve("peers"), o.root.resolve("results/logs"), jvm);
    }

    public static void main(String[] args) throws Exception {
        Path jar = jar();
        Path root = jar.getParent() != null && jar.getParent().getParent() != null ? jar.getParent().getParent() : Path.of("bench");
        new Suite(Options.parse(args, root)).run();
    }

    private void run() throws IOException {
        long started = System.nanoTime();
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = Machine.loadAverage();
        Path out = o.root.resolve("results");
        Files.createDirectories(out);
        Path raw = out.resolve(o.name + ".jsonl");
        Files.deleteIfExists(raw);
        try (Loop l = new Loop()) {
            loop = l;
            scenarios = new Scenarios(l, o.warmup, o.measure, o.rateMeasure);
            boolean oneServer = o.scenarios.stream().anyMatch(sc -> !OWN_SERVERS.contains(sc));
            if (o.servers.contains(WALKERD) && oneServer) walkerd(raw);
            if (o.servers.contains(Report.NODE_WS) && oneServer) peer(raw, Report.NODE_WS, "ws-server.js", io.walkerd.bench.load.Wire.WS, 18410);
            if (o.servers.contains(Report.SOCKET_IO) && oneServer) peer(raw, Report.SOCKET_IO, "socketio-server.js", io.walkerd.bench.load.Wire.SOCKETIO, 18420);
            if (o.servers.contains(JAVALIN) && o.scenarios.contains("walker-rest")) javalin(raw);
            if (o.scenarios.contains("cross-instance")) crossInstance(raw);
            if (o.scenarios.contains("three-instance")) threeInstance(raw);
            if (o.servers.contains(WALKERD) && o.scenarios.contains("metrics")) metrics(raw);
            if (o.servers.contains(WALKERD)) protocol2(raw);
        }
        String loadAfter = Machine.loadAverage();
        double minutes = (System.nanoTime() - started) / 60e9;
        List<String> conditions = new ArrayList<>(List.of(
                "date: " + date,
                "machine: " + Machine.describe(),
                "load average (1, 5, 15 min) before the run (after the build): " + loadBefore + "; after (the bench's own servers and generator included): " + loadAfter,
                String.format(java.util.Locale.ROOT, "mode: %s; N = %s; each server gets %.0f s of unrecorded load after it starts, then each row %.1f s warm-up and %.1f s measured (fixed-rate rows %.1f s); run took %.1f min",
                        o.quick ? "quick" : "full", o.ns, o.serverWarmup.toMillis() / 1000.0, o.warmup.toMillis() / 1000.0, o.measure.toMillis() / 1000.0, o.rateMeasure.toMillis() / 1000.0, minutes),
                "generator: this module's Netty client (" + Loop.transport() + "), every connection on one event loop thread, in its own JVM on the same machine",
                "servers: walkerd from the bench jar (runtime + websocket plugin + bench walkers; embedded store: a fresh copy of the users' database file "
                        + "for the run with user-notify and walker-rest, in memory for the others), "
                        + "Node ws and Socket.IO peers under bench/peers (node " + Machine.command("node", "--version") + "), bare Javalin from the bench jar"));
        if (!usersNote.isEmpty()) conditions.add(usersNote);
        for (String s : skipped) conditions.add("not measured: " + s);
        Report.write(out, o.name, results, memory, conditions, "walkerd bench " + date + " (" + (o.quick ? "quick" : "full") + ", " + Machine.cores() + " cores)");
        System.out.printf("%nwrote %s and %s in %.1f min%n", out.resolve(o.name + ".md"), out.resolve(o.name + ".png"), minutes);
    }

    /**
     * Makes sure the users' database exists in {@code .cache/users.db} (walkerd's SQLite store) and matches the tokens
     * in {@code .cache/users.tsv}: a walkerd that is not measured starts on a copy of it, checks the cached tokens
     * (the first and the last needed) and makes the missing users, if any; when it made some, the copy (its WAL
     * checkpointed) becomes the new {@code users.db}. The measured walkerd then starts on a fresh copy
     * ({@code .cache/run.db}), so that what one run writes never reaches the next. The H2 files of earlier versions
     * ({@code users.mv}, {@code run.mv}) are not read by today's store and are removed.
     */
    private void prepareUsers(Map<String, String> env) {
        Path dir = o.root.resolve(".cache");
        Path pristine = dir.resolve("users.db");
        Path work = dir.resolve("run.db");
        int max = o.ns.get(o.ns.size() - 1);
        UserCache cache = new UserCache(dir.resolve("users.tsv"));
        try {
            Files.createDirectories(dir);
            for (String old : List.of("users.mv", "run.mv", "users.mv.db", "run.mv.db")) {
                if (Files.deleteIfExists(dir.resolve(old))) System.out.println("removed " + dir.resolve(old) + " (an H2 store of an earlier walkerd; the store is SQLite now)");
            }
            deleteDb(work);
            if (Files.exists(pristine)) Files.copy(pristine, work);
            long t0 = System.nanoTime();
            env.put("DATABASE_PATH", work.toString());
            try (Servers.Running setup = servers.walkerd(WALKERD + "-users", 18400, env)) {
                cache.ensure("http://127.0.0.1:18400", max, 4);
            } finally {
                if (cache.made() > 0 || !Files.exists(pristine)) {
                    checkpoint(work);
                    Files.copy(work, pristine, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (cache.made() > 0) {
                usersMade = String.format(java.util.Locale.ROOT, "; this run made %,d of them in %.0f s before measuring", cache.made(), (System.nanoTime() - t0) / 1e9);
            }
            deleteDb(work);
            Files.copy(pristine, work);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the users' database: " + e.getMessage(), e);
        }
        env.put("DATABASE_PATH", work.toString());
    }

    /**
     * Folds a stopped walkerd's write-ahead log into its database file, so that the one file can be copied: walkerd
     * does it when it stops gracefully; this covers a walkerd that had to be killed.
     */
    private static void checkpoint(Path db) {
        if (!Files.exists(Path.of(db + "-wal"))) return;
        try (io.walkerd.store.Store s = io.walkerd.store.Stores.open(io.walkerd.server.Config.of(Map.of("DATABASE_PATH", db.toString())))) {
            s.check();
        }
    }

    private static void deleteDb(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) Files.deleteIfExists(Path.of(file + suffix));
    }

    private void walkerd(Path raw) {
        Map<String, String> env = new java.util.HashMap<>(WALKERD_ENV);
        if (o.scenarios.contains("user-notify") || o.scenarios.contains("walker-rest")) {
            try {
                prepareUsers(env);
            } catch (RuntimeException x) {
                fail(raw, WALKERD + " users", x);
                env.put("DATABASE_PATH", ":memory:");
            }
        } else {
            env.put("DATABASE_PATH", ":memory:");
        }
        try (Servers.Running s = servers.walkerd(WALKERD, 18400, env)) {
            Endpoint e = s.endpoint();
            boolean ws = websocketWorks(e);
            if (!ws) skipped.add("walkerd's websocket scenarios: its /websocket endpoint does not answer here (websocket plugin missing?)");
            if (ws && o.scenarios.contains("memory")) memory(s);
            warm(e, ws);
            Profiler profiler = o.profile ? new Profiler(s, o.root.resolve("results/profiles")) : null;
            if ((ws && o.scenarios.contains("user-notify")) || o.scenarios.contains("walker-rest")) {
                try {
                    users(o.ns.get(o.ns.size() - 1));
                } catch (RuntimeException x) {
                    skipped.add("walkerd's rows with users (user-notify, bench_node): " + x.getMessage());
                }
            }
            if (ws) {
                if (o.scenarios.contains("channel-fanout")) fanout(raw, e, profiler);
                if (o.scenarios.contains("multi-channel")) multiChannel(raw, e, profiler);
                if (o.scenarios.contains("user-notify")) {
                    for (int n : o.ns) record(raw, profiled(profiler, e, "user-notify-" + n, n, () -> scenarios.userNotify(e, users(n), n, 16)));
                }
                if (o.scenarios.contains("self-progress")) {
                    for (int n : o.ns) record(raw, profiled(profiler, e, "self-progress-" + n, n, () -> scenarios.selfProgress(e, n)));
                }
                if (o.scenarios.contains("connect")) connect(raw, e, profiler);
            }
            if (o.scenarios.contains("walker-rest")) {
                for (int n : o.ns) record(raw, profiled(profiler, e, "walker-rest-hello-" + n, n, () -> scenarios.walkerRest(e, "bench_hello", "/walker/bench_hello", "{}", n, null)));
                for (int n : o.ns) {
                    Result r = profiled(profiler, e, "walker-rest-node-" + n, n, () -> scenarios.walkerRest(e, "bench_node", "/walker/bench_node", "{\"serial\":$serial}", n, users(n)));
                    record(raw, new Result(r.scenario(), r.variant(), r.n(), WALKERD + " (bench_node)", r.msgsPerSec(), r.p50Ms(), r.p99Ms(),
                            r.p999Ms(), r.messages(), r.errors(), (r.note().isEmpty() ? "" : r.note() + "; ") + "per-user token; deletes the last call's node, creates one, enters and reports it"));
                }
            }
        } catch (RuntimeException x) {
            fail(raw, WALKERD, x);
        }
    }

    /** The first {@code n} bench users of walkerd (made by {@link #prepareUsers}), checked on the measured walkerd at first use. */
    private List<User> users(int n) {
        if (walkerdUsers == null) {
            int max = o.ns.get(o.ns.size() - 1);
            // checked, not made: users are made before the measured walkerd starts (prepareUsers)
            walkerdUsers = new UserCache(o.root.resolve(".cache/users.tsv")).verified("http://127.0.0.1:18400", max);
            usersNote = String.format(java.util.Locale.ROOT, "walkerd users (user-notify, walker-rest bench_node): %,d made by /user/register + "
                    + "/user/login, 4 at a time, kept in bench/.cache across runs (SQLite database file and tokens)%s", max, usersMade);
        }
        return walkerdUsers.subList(0, n);
    }

    private void peer(Path raw, String name, String script, io.walkerd.bench.load.Wire wire, int port) {
        try (Servers.Running s = servers.node(name, script, wire, port, Map.of())) {
            Endpoint e = s.endpoint();
            if (o.scenarios.contains("memory")) memory(s);
            warm(e, true);
            if (o.scenarios.contains("channel-fanout")) fanout(raw, e, null);
            if (o.scenarios.contains("multi-channel")) multiChannel(raw, e, null);
            if (o.scenarios.contains("user-notify")) {
                List<User> users = new ArrayList<>();
                for (int i = 0; i < o.ns.get(o.ns.size() - 1); i++) users.add(new User("peer-user-" + i, null));
                for (int n : o.ns) record(raw, safely(e, "user-notify", n, () -> scenarios.userNotify(e, users, n, 16)));
            }
            if (o.scenarios.contains("self-progress")) {
                for (int n : o.ns) record(raw, safely(e, "self-progress", n, () -> scenarios.selfProgress(e, n)));
            }
            if (o.scenarios.contains("connect")) connect(raw, e, null);
            if (o.scenarios.contains("walker-rest") && name.equals(Report.NODE_WS)) {
                for (int n : o.ns) record(raw, safely(e, "walker-rest", n, () -> scenarios.walkerRest(e, "bench_hello", "/walker/bench_hello", "{}", n, null)));
            }
        } catch (RuntimeException x) {
            fail(raw, name, x);
        }
    }

    private void javalin(Path raw) {
        try (Servers.Running s = servers.javalin(JAVALIN, 18430)) {
            warm(s.endpoint(), false);
            for (int n : o.ns) record(raw, safely(s.endpoint(), "walker-rest", n, () -> scenarios.walkerRest(s.endpoint(), "bench_hello", "/walker/bench_hello", "{}", n, null)));
        } catch (RuntimeException x) {
            fail(raw, JAVALIN, x);
        }
    }

    private void crossInstance(Path raw) {
        if (!Machine.redisUp()) {
            skipped.add("cross-instance: no Redis at 127.0.0.1:6379");
            return;
        }
        if (o.servers.contains(WALKERD)) {
            Map<String, String> env = new java.util.HashMap<>(WALKERD_ENV);
            env.put("DATABASE_PATH", ":memory:");
            env.put("SOCKET_REDIS_HOST", REDIS);
            try (Servers.Running a = servers.walkerd(WALKERD, 18401, env); Servers.Running b = servers.walkerd(WALKERD, 18402, env)) {
                if (websocketWorks(b.endpoint())) {
                    warm(a.endpoint(), true, o.serverWarmup.dividedBy(2));
                    warm(b.endpoint(), true, o.serverWarmup.dividedBy(2));
                    Profiler profiler = o.profile ? new Profiler(b, o.root.resolve("results/profiles")) : null;
                    Profiler profilerA = o.profile ? new Profiler(a, o.root.resolve("results/profiles")) : null;
                    for (int n : o.ns) record(raw, profiled(profilerA, a.endpoint(), "cross-instance-publisher-" + n, n, () -> profiled(profiler, b.endpoint(), "cross-instance-" + n, n, () -> scenarios.crossInstance(a.endpoint(), b.endpoint(), n))));
                } else {
                    skipped.add("walkerd cross-instance: no websocket endpoint");
                }
            } catch (RuntimeException x) {
                fail(raw, WALKERD, x);
            }
        }
        peerPair(raw, Report.NODE_WS, "ws-server.js", io.walkerd.bench.load.Wire.WS, 18411);
        peerPair(raw, Report.SOCKET_IO, "socketio-server.js", io.walkerd.bench.load.Wire.SOCKETIO, 18421);
    }

    /**
     * Three instances of each server sharing Redis (a prefix of this run's own), 3,000 connections spread over them,
     * 180,000 deliveries checked for exactly-once and per-publisher order on every connection.
     */
    private void threeInstance(Path raw) {
        if (!Machine.redisUp()) {
            skipped.add("three-instance: no Redis at 127.0.0.1:6379");
            return;
        }
        long pid = ProcessHandle.current().pid();
        if (o.servers.contains(WALKERD)) {
            Map<String, String> env = new java.util.HashMap<>(WALKERD_ENV);
            env.put("DATABASE_PATH", ":memory:");
            env.put("SOCKET_REDIS_HOST", REDIS);
            env.put("SOCKET_REDIS_PREFIX", "walkerd-bench:" + pid + ":three:");
            env.put("SOCKET_HISTORY_META_TTL_SECONDS", "600");
            three(raw, WALKERD, port -> servers.walkerd(WALKERD, port, env), 18460);
        }
        if (o.servers.contains(Report.NODE_WS)) {
            Map<String, String> env = Map.of("REDIS_URL", REDIS, "REDIS_PREFIX", "bench:ws:" + pid + ":");
            three(raw, Report.NODE_WS, port -> servers.node(Report.NODE_WS, "ws-server.js", io.walkerd.bench.load.Wire.WS, port, env), 18463);
        }
        if (o.servers.contains(Report.SOCKET_IO)) {
            Map<String, String> env = Map.of("REDIS_URL", REDIS, "REDIS_PREFIX", "bench-socket.io-" + pid);
            three(raw, Report.SOCKET_IO, port -> servers.node(Report.SOCKET_IO, "socketio-server.js", io.walkerd.bench.load.Wire.SOCKETIO, port, env), 18466);
        }
    }

    private void three(Path raw, String name, java.util.function.IntFunction<Servers.Running> start, int port) {
        List<Servers.Running> running = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) running.add(start.apply(port + i));
            for (Servers.Running s : running) warm(s.endpoint(), true, o.serverWarmup.dividedBy(3));
            List<Endpoint> instances = running.stream().map(Servers.Running::endpoint).toList();
            record(raw, safely(instances.get(0), "three-instance", THREE_CHANNELS * THREE_MEMBERS,
                    () -> scenarios.threeInstance(instances, THREE_CHANNELS, THREE_MEMBERS, THREE_EVENTS)));
        } catch (RuntimeException x) {
            fail(raw, name, x);
        } finally {
            for (Servers.Running s : running) s.close();
        }
    }

    /**
     * What metrics cost: walkerd with {@code METRICS_ENABLED=false}, then with it on (the default), each running
     * {@code channel-fanout max} at N = 1,000 and {@code walker-rest bench_hello} at the smallest N; the rows with
     * metrics on say their throughput relative to the rows with them off.
     */
    private void metrics(Path raw) {
        int fanN = o.rateN, restN = o.ns.get(0);
        Result[] off = new Result[2];
        for (boolean on : List.of(false, true)) {
            String name = WALKERD + " (metrics " + (on ? "on" : "off") + ")";
            Map<String, String> env = new java.util.HashMap<>(WALKERD_ENV);
            env.put("DATABASE_PATH", ":memory:");
            env.put("METRICS_ENABLED", Boolean.toString(on));
            try (Servers.Running s = servers.walkerd(name, on ? 18471 : 18470, env)) {
                Endpoint e = s.endpoint();
                warm(e, true);
                Result fan = safely(e, "channel-fanout", fanN, () -> scenarios.channelFanout(e, fanN, null));
                Result rest = safely(e, "walker-rest", restN, () -> scenarios.walkerRest(e, "bench_hello", "/walker/bench_hello", "{}", restN, null));
                if (on) {
                    fan = relative(fan, off[0]);
                    rest = relative(rest, off[1]);
                } else {
                    off[0] = fan;
                    off[1] = rest;
                }
                record(raw, fan);
                record(raw, rest);
            } catch (RuntimeException x) {
                fail(raw, name, x);
            }
        }
    }

    private static Result relative(Result on, Result off) {
        if (off == null || !(off.msgsPerSec() > 0) || !(on.msgsPerSec() > 0)) return on;
        return on.withNote(String.format(java.util.Locale.ROOT, "%.2f × metrics off", on.msgsPerSec() / off.msgsPerSec()));
    }

    // ---- protocol 2 -----------------------------------------------------------------------------------------

    /** What history costs the fan-out, recovery of missed messages, and presence across instances; walkerd only. */
    private void protocol2(Path raw) {
        if (o.scenarios.contains("history-fanout")) {
            for (int size : List.of(0, 100)) historyFanout(raw, size);
        }
        if (o.scenarios.contains("recovery")) recovery(raw);
        if (o.scenarios.contains("presence")) presence(raw);
    }

    private Map<String, String> protocol2Env(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(WALKERD_ENV);
        env.put("DATABASE_PATH", ":memory:");
        // a prefix of this run's own in the shared Redis, and history metadata that does not outlive it by a day
        env.put("SOCKET_REDIS_PREFIX", "walkerd-bench:" + ProcessHandle.current().pid() + ":");
        env.put("SOCKET_HISTORY_META_TTL_SECONDS", "600");
        env.putAll(more);
        return env;
    }

    /** channel-fanout (one instance) and cross-instance with channel history off and on. */
    private void historyFanout(Path raw, int size) {
        String name = WALKERD + " (history " + (size == 0 ? "off" : size) + ")";
        Map<String, String> env = protocol2Env(Map.of("SOCKET_HISTORY_SIZE", Integer.toString(size)));
        try (Servers.Running s = servers.walkerd(name, 18403, env)) {
            warm(s.endpoint(), true);
            for (int n : o.ns) record(raw, safely(s.endpoint(), "channel-fanout", n, () -> scenarios.channelFanout(s.endpoint(), n, null)));
        } catch (RuntimeException x) {
            fail(raw, name, x);
        }
        if (!Machine.redisUp()) {
            skipped.add("cross-instance " + name + ": no Redis at 127.0.0.1:6379");
            return;
        }
        env.put("SOCKET_REDIS_HOST", REDIS);
        try (Servers.Running a = servers.walkerd(name, 18404, env); Servers.Running b = servers.walkerd(name, 18405, env)) {
            warm(a.endpoint(), true, o.serverWarmup.dividedBy(2));
            warm(b.endpoint(), true, o.serverWarmup.dividedBy(2));
            for (int n : o.ns) record(raw, safely(b.endpoint(), "cross-instance", n, () -> scenarios.crossInstance(a.endpoint(), b.endpoint(), n)));
        } catch (RuntimeException x) {
            fail(raw, name, x);
        }
    }

    /** A client rejoins and recovers 1,000 missed messages: on one instance (memory), and across two (Redis). */
    private void recovery(Path raw) {
        int missed = 1000;
        int rounds = o.quick ? 5 : 20;
        Map<String, String> env = protocol2Env(Map.of("SOCKET_HISTORY_SIZE", Integer.toString(missed)));
        String name = WALKERD + " (memory)";
        try (Servers.Running s = servers.walkerd(name, 18406, env)) {
            warm(s.endpoint(), true);
            scenarios.recovery(s.endpoint(), s.endpoint(), missed, 2); // unrecorded: the JIT's first pass
            record(raw, safely(s.endpoint(), "recovery", missed, () -> scenarios.recovery(s.endpoint(), s.endpoint(), missed, rounds)));
        } catch (RuntimeException x) {
            fail(raw, name, x);
        }
        if (!Machine.redisUp()) {
            skipped.add("recovery across instances: no Redis at 127.0.0.1:6379");
            return;
        }
        env.put("SOCKET_REDIS_HOST", REDIS);
        String pair = WALKERD + " (Redis, 2 instances)";
        try (Servers.Running a = servers.walkerd(pair, 18407, env); Servers.Running b = servers.walkerd(pair, 18408, env)) {
            warm(a.endpoint(), true, o.serverWarmup.dividedBy(2));
            warm(b.endpoint(), true, o.serverWarmup.dividedBy(2));
            scenarios.recovery(a.endpoint(), b.endpoint(), missed, 2);
            record(raw, safely(b.endpoint(), "recovery", missed, () -> scenarios.recovery(a.endpoint(), b.endpoint(), missed, rounds)));
        } catch (RuntimeException x) {
            fail(raw, pair, x);
        }
    }

    /** The presence of a 1,000-member channel whose members are on two instances. */
    private void presence(Path raw) {
        if (!Machine.redisUp()) {
            skipped.add("presence: no Redis at 127.0.0.1:6379");
            return;
        }
        String pair = WALKERD + " (Redis, 2 instances)";
        Map<String, String> env = protocol2Env(Map.of("SOCKET_REDIS_HOST", REDIS));
        try (Servers.Running a = servers.walkerd(pair, 18409, env); Servers.Running b = servers.walkerd(pair, 18410, env)) {
            warm(a.endpoint(), true, o.serverWarmup.dividedBy(2));
            warm(b.endpoint(), true, o.serverWarmup.dividedBy(2));
            record(raw, safely(a.endpoint(), "presence", 1000, () -> scenarios.presence(a.endpoint(), b.endpoint(), 1000)));
        } catch (RuntimeException x) {
            fail(raw, pair, x);
        }
    }

    private void peerPair(Path raw, String name, String script, io.walkerd.bench.load.Wire wire, int port) {
        if (!o.servers.contains(name)) return;
        Map<String, String> env = Map.of("REDIS_URL", REDIS);
        try (Servers.Running a = servers.node(name, script, wire, port, env); Servers.Running b = servers.node(name, script, wire, port + 5, env)) {
            warm(a.endpoint(), true, o.serverWarmup.dividedBy(2));
            warm(b.endpoint(), true, o.serverWarmup.dividedBy(2));
            for (int n : o.ns) record(raw, safely(b.endpoint(), "cross-instance", n, () -> scenarios.crossInstance(a.endpoint(), b.endpoint(), n)));
        } catch (RuntimeException x) {
            fail(raw, name, x);
        }
    }

    /**
     * Unrecorded load right after a server starts, so that no row measures a cold JIT (the JVM's or V8's): REST calls,
     * and with a websocket, fan-out and walker events, at N = 50.
     */
    private void warm(Endpoint e, boolean ws) { warm(e, ws, o.serverWarmup); }

    private void warm(Endpoint e, boolean ws, Duration total) {
        Duration each = Duration.ofMillis(total.toMillis() / (ws ? 3 : 1));
        Scenarios warming = new Scenarios(loop, Duration.ZERO, each);
        try {
            warming.walkerRest(e, "warm-up", "/walker/bench_hello", "{}", 50, null);
            if (ws) {
                warming.channelFanout(e, 50, null);
                warming.selfProgress(e, 50);
            }
        } catch (RuntimeException x) {
            System.out.println("warm-up of " + e.server() + " failed: " + x.getMessage());
        }
    }

    private void multiChannel(Path raw, Endpoint e, Profiler profiler) {
        record(raw, profiled(profiler, e, "multi-channel", CHANNELS * MEMBERS, () -> scenarios.multiChannel(e, CHANNELS, MEMBERS)));
    }

    private void connect(Path raw, Endpoint e, Profiler profiler) {
        record(raw, profiled(profiler, e, "connect", o.connectN, () -> scenarios.connect(e, o.connectN, CONNECT_IN_FLIGHT)));
    }

    private void fanout(Path raw, Endpoint e, Profiler profiler) {
        for (int n : o.ns) record(raw, profiled(profiler, e, "channel-fanout-" + n, n, () -> scenarios.channelFanout(e, n, null)));
        for (int rate : o.rates) record(raw, profiled(profiler, e, "channel-fanout-" + o.rateN + "-at-" + rate, o.rateN, () -> scenarios.channelFanout(e, o.rateN, rate)));
    }

    private void memory(Servers.Running s) {
        try {
            MemoryProbe.Snapshot before = probe.measure(s);
            Map<String, long[]> histogramBefore = o.profile && s.jvm() ? MemoryProbe.histogram(s.pid()) : null;
            MemoryProbe.Snapshot[] after = new MemoryProbe.Snapshot[1];
            scenarios.idle(s.endpoint(), o.memoryN, () -> {
                sleep(o.quick ? 1000 : 2000);
                after[0] = probe.measure(s);
                if (histogramBefore != null) histogram(s, histogramBefore);
            });
            Memory m = new Memory(s.name(), o.memoryN, before.heapBytes(), after[0].heapBytes(), before.rssBytes(), after[0].rssBytes(),
                    s.jvm() ? "JVM heap used after GC.run" : "V8 heap + external after global.gc()");
            memory.add(m);
            System.out.printf("memory %-10s %,d idle connections: heap %+.1f KiB/conn, RSS %+.1f KiB/conn%n", s.name(), o.memoryN,
                    m.heapPerConn() / 1024, m.rssPerConn() / 1024);
        } catch (RuntimeException x) {
            skipped.add("memory of " + s.name() + ": " + x.getMessage());
        }
    }

    /** With {@code --profile}: what the idle connections added to the heap, by class (top 40 by bytes). */
    private void histogram(Servers.Running s, Map<String, long[]> before) {
        try {
            Path dir = o.root.resolve("results/profiles");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("memory-" + s.name() + "-" + o.memoryN + ".txt"),
                    MemoryProbe.growth(before, MemoryProbe.histogram(s.pid()), o.memoryN, 40));
        } catch (IOException | RuntimeException x) {
            System.out.println("class histogram of " + s.name() + " failed: " + x.getMessage());
        }
    }

    private Result profiled(Profiler profiler, Endpoint e, String name, int n, Supplier<Result> run) {
        if (profiler == null) return safely(e, name, n, run);
        profiler.start(name);
        try {
            return safely(e, name, n, run);
        } finally {
            profiler.stop(name);
        }
    }

    private Result safely(Endpoint e, String scenario, int n, Supplier<Result> run) {
        try {
            return run.get();
        } catch (RuntimeException x) {
            String server = e == null ? "?" : e.server();
            System.out.println("FAILED " + scenario + " " + server + " N=" + n + ": " + x.getMessage());
            return new Result(scenario, "", n, server, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 1, "failed: " + x.getMessage());
        }
    }

    private boolean websocketWorks(Endpoint e) {
        try {
            scenarios.idle(e, 1, () -> {});
            return true;
        } catch (RuntimeException x) {
            System.out.println(e.server() + " has no working websocket endpoint: " + x.getMessage());
            return false;
        }
    }

    private void record(Path raw, Result r) {
        results.add(r);
        System.out.printf("%-28s N=%-6d %-22s %,12.0f msgs/s  p50 %8.2f  p99 %8.2f  p999 %8.2f ms  %s%n", r.label(), r.n(), r.server(),
                r.msgsPerSec(), r.p50Ms(), r.p99Ms(), r.p999Ms(), r.errors() > 0 ? r.errors() + " errors " + r.note() : r.note());
        try {
            Files.writeString(raw, json.writeValueAsString(r) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException x) {
            throw new IllegalStateException("cannot write " + raw + ": " + x.getMessage(), x);
        }
    }

    private void fail(Path raw, String server, RuntimeException x) {
        System.out.println("FAILED " + server + ": " + x.getMessage());
        skipped.add(server + " (rest of its scenarios): " + x.getMessage().lines().findFirst().orElse(""));
    }

    static Path jar() {
        try {
            return Path.of(Suite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
