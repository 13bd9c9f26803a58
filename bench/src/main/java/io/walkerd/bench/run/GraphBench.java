package io.walkerd.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.walkerd.bench.load.Connector.Endpoint;
import io.walkerd.bench.load.Loop;
import io.walkerd.bench.load.PerConnectionRest;
import io.walkerd.bench.load.Result;
import io.walkerd.bench.load.Scenarios.User;
import io.walkerd.server.Config;
import io.walkerd.store.Store;
import io.walkerd.store.Stores;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@code graph} command: what the persistence core costs, on each backend in one run.
 *
 * <p>Rows 1–2 (latency of sequential calls from one client) run the example application
 * ({@code walkers/target/walkerd.jar}) on a store holding one user's board of 5 projects × 2,000 tasks: the
 * documents are cloned from a template that the application wrote itself ({@link GraphTree}) and imported before
 * the server starts. Rows 3–5 (closed-loop throughput, N = 100 connections, the suite's Netty generator) run the
 * bench jar's walkerd with the bench walkers on two stores side by side: one holding only the bench users, one
 * where 100 other users also hold 1,000 nodes each; their measurement windows alternate.
 *
 * <p>Backends: {@code sqlite} (the embedded store, on files under {@code bench/.cache}) and {@code mongodb} (the
 * MongoDB backend through the driver, against mongo-java-server's in-memory backend running in this JVM on a
 * loopback port: a test double, not a MongoDB server; its figures say what the backend's code path costs against
 * that double, not what a real MongoDB would do). Writes {@code results/graph.md} and {@code graph.jsonl}, and the
 * table between the {@code graph:start} and {@code graph:end} markers of both READMEs.
 */
public final class GraphBench {
    static final String SQLITE = "sqlite";
    static final String MONGODB = "mongodb";
    static final String EMAIL = "graph-owner@bench.walkerd.io";
    static final String PASSWORD = "graph-bench-password-1";
    static final int PROJECTS = 5;
    static final int TASKS = 2_000;
    static final int N = 100;
    static final int FILL_USERS = 100;
    static final int FILL_EACH = 1_000;
    private static final int APP_PORT = 18440;
    private static final int EMPTY_PORT = 18450;
    private static final int FILLED_PORT = 18451;
    private static final int USERS_PORT = 18452;
    /**
     * Unrecorded calls before rows 1-2 are timed (fewer when they take more than a third of the row's time): enough
     * for the just-started server's JIT to compile the walk (with 5, the first 100 timed calls of walk_projects still
     * ran partly interpreted: p50 28 ms against 15-21 ms once warm, measured the same way).
     */
    static final int WARM_WALK_2000 = 50, WARM_WALK_10000 = 8, WARM_ADD_TASK = 20;

    private static final Map<String, String> WALKERD_ENV = Map.of(
            "TOKEN_SECRET", "walkerd-bench-secret-not-for-production",
            "TOKEN_TIMEOUT", "87600",
            "SOCKET_IDLE_SECONDS", "600");

    /** Command-line options of {@code graph}. */
    static final class Options {
        Path root;
        Path app;
        String name = "graph";
        boolean quick;
        boolean profile;
        Set<String> backends = new LinkedHashSet<>(List.of(SQLITE, MONGODB));
        /** {@code app}: rows 1-2; {@code store}: rows 3-5. */
        Set<String> parts = new LinkedHashSet<>(List.of("app", "store"));
        int rounds;
        Duration warmup;
        Duration measure;
        /** Unrecorded load per walker and server before the first round (rows 3-5). */
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
                    case "--app" -> o.app = Path.of(args[++i]);
                    case "--name" -> o.name = args[++i];
                    case "--backends" -> o.backends = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    case "--parts" -> o.parts = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--measure" -> o.measure = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    case "--server-warmup" -> o.serverWarmup = Duration.ofMillis((long) (Double.parseDouble(args[++i]) * 1000));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            for (String p : o.parts) {
                if (!p.equals("app") && !p.equals("store")) throw new IllegalArgumentException("unknown part " + p + " (app: rows 1-2, store: rows 3-5)");
            }
            for (String b : o.backends) {
                if (!b.equals(SQLITE) && !b.equals(MONGODB)) throw new IllegalArgumentException("unknown backend " + b + " (sqlite, mongodb)");
            }
            if (o.app == null) o.app = o.root.toAbsolutePath().normalize().resolveSibling("walkers/target/walkerd.jar");
            if (o.rounds == 0) o.rounds = o.quick ? 1 : 5;
            if (o.serverWarmup == null) o.serverWarmup = Duration.ofSeconds(o.quick ? 1 : 10);
            if (o.warmup == null) o.warmup = Duration.ofMillis(o.quick ? 500 : 700);
            if (o.measure == null) o.measure = Duration.ofMillis(o.quick ? 1500 : 2000);
            return o;
        }
    }

    /** p50, p99 and mean in ms of the sequential calls of one row, and how many calls were timed. */
    record Latency(double p50, double p99, double mean, int calls) {
        static Latency of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            double sum = 0;
            for (long v : s) sum += v;
            return new Latency(rank(s, 50) / 1e6, rank(s, 99) / 1e6, s.length == 0 ? Double.NaN : sum / s.length / 1e6, s.length);
        }

        /** Nearest rank: the smallest value with at least p% of the values at or below it. */
        static long rank(long[] sorted, double p) {
            if (sorted.length == 0) return 0;
            int k = (int) Math.ceil(p / 100.0 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, k - 1))];
        }
    }

    /**
     * Throughput of one walker over the rounds: the median req/s (a round that stalled, as happens when other work
     * takes this shared machine's disk or CPU for seconds, does not drag it down) and each round's row.
     */
    record Throughput(double reqPerSec, List<Result> rounds) {
        static Throughput of(List<Result> rounds) {
            double[] v = rounds.stream().mapToDouble(r -> Double.isNaN(r.msgsPerSec()) ? 0 : r.msgsPerSec()).sorted().toArray();
            double median = v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Throughput(median, rounds);
        }

        /** Each round's req/s, in order. */
        String each() {
            List<String> out = new ArrayList<>();
            for (Result r : rounds) out.add(num(r.msgsPerSec()));
            return String.join(" · ", out);
        }

        double p50() { return rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).p50Ms(); }

        double p99() { return rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).p99Ms(); }

        long errors() { return rounds.stream().mapToLong(Result::errors).sum(); }
    }

    /** What one backend measured; null where a row was not measured. */
    static final class Figures {
        public String backend;
        public Latency walk2000;
        public Latency walk10000;
        public Latency addTask;
        public Throughput hello;
        public Throughput readEmpty;
        public Throughput nodeEmpty;
        public Throughput readFilled;
        public Throughput nodeFilled;
        public String setup = "";
        /** Mean stored version of the nodes {@code bench_read_node} read, after the run (1: never rewritten). */
        public double readNodeVersion = Double.NaN;
        public List<String> failures = new ArrayList<>();

        Figures(String backend) { this.backend = backend; }
    }

    /** One row of the table: what is measured, its target, the figure and whether the figure meets the target. */
    record Row(String key, String what, String target, Function<Figures, String> figure, Function<Figures, Boolean> pass) {}

    static final List<Row> ROWS = List.of(
            new Row("walk-2000", "1. `walk_projects` on one project of 2,000 tasks (2,001 nodes reported)", "≤ 25 ms",
                    f -> latency(f.walk2000), f -> f.walk2000 == null ? null : f.walk2000.p50() <= 25),
            new Row("walk-10000", "1. `walk_projects` from the root: 5 projects × 2,000 tasks (10,005 nodes reported)", "≤ 150 ms",
                    f -> latency(f.walk10000), f -> f.walk10000 == null ? null : f.walk10000.p50() <= 150),
            new Row("add-task-2000", "2. `add_task` into a project holding 2,000 tasks", "≤ 25 ms",
                    f -> latency(f.addTask), f -> f.addTask == null ? null : f.addTask.p50() <= 25),
            new Row("bench-node-100", "3. `bench_node` (a write per call), N = 100", "≥ 5,000 req/s",
                    f -> rate(f.nodeEmpty), f -> f.nodeEmpty == null ? null : f.nodeEmpty.reqPerSec() >= 5000),
            new Row("read-node-100", "4. `bench_read_node` (reads the caller's root and one node) vs `bench_hello`, N = 100", "≥ 60% of `bench_hello`",
                    f -> f.readEmpty == null || f.hello == null ? "—" : String.format(Locale.ROOT, "%s req/s = %.0f%% of %s%s", num(f.readEmpty.reqPerSec()),
                            100 * f.readEmpty.reqPerSec() / f.hello.reqPerSec(), num(f.hello.reqPerSec()),
                            f.hello.rounds().size() > 1 ? "; rounds " + f.readEmpty.each() + " vs " + f.hello.each() : ""),
                    f -> f.readEmpty == null || f.hello == null ? null : f.readEmpty.reqPerSec() >= 0.6 * f.hello.reqPerSec()),
            new Row("read-node-filled", "5. `bench_read_node` with 100,000 other users' nodes in the store vs without, N = 100", "within 15%",
                    f -> vsEmpty(f.readFilled, f.readEmpty), f -> within(f.readFilled, f.readEmpty)),
            new Row("bench-node-filled", "5. `bench_node` with 100,000 other users' nodes in the store vs without, N = 100", "within 15%",
                    f -> vsEmpty(f.nodeFilled, f.nodeEmpty), f -> within(f.nodeFilled, f.nodeEmpty)));

    private final Options o;
    private final Path cache;
    private final Servers servers;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> notes = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();
    private Loop loop;
    private MongoServer mongo;
    private String mongoUrl;

    private GraphBench(Options o) {
        this.o = o;
        this.cache = o.root.resolve(".cache");
        List<String> jvm = new ArrayList<>(List.of("-Dio.lettuce.core.epoll=false"));
        if (o.profile) jvm.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-XX:FlightRecorderOptions:stackdepth=512"));
        this.servers = new Servers(benchJar(), o.root.resolve("peers"), o.root.resolve("results/logs"), jvm);
    }

    public static void main(String[] args) throws Exception {
        Path jar = benchJar();
        Path root = jar.getParent() != null && jar.getParent().getParent() != null ? jar.getParent().getParent() : Path.of("bench");
        new GraphBench(Options.parse(args, root)).run();
    }

    private void run() throws IOException {
        if (!Files.exists(o.app)) {
            throw new IllegalStateException(o.app + " is missing: build it first (mvn -pl walkers,bench -am package -DskipTests), or name it with --app");
        }
        long started = System.nanoTime();
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadBefore = Machine.loadAverage();
        Files.createDirectories(cache);
        if (o.profile) { // the profiles of this run replace the last one's: a row that passes now has none
            Path dir = o.root.resolve("results/profiles");
            if (Files.isDirectory(dir)) {
                try (var old = Files.newDirectoryStream(dir, "graph-*.{txt,jfr}")) {
                    for (Path p : old) Files.delete(p);
                }
            }
        }
        List<Figures> all = new ArrayList<>();
        try (Loop l = new Loop()) {
            loop = l;
            GraphTree.Built tree = null;
            if (o.parts.contains("app")) {
                System.out.println("== template: one project and one task written by the example application");
                tree = GraphTree.build(template(), EMAIL, PROJECTS, TASKS);
                System.out.printf("   board: %,d nodes, %,d edges (cloned from the template)%n", tree.nodes(), tree.edges());
            }
            List<User> users = o.parts.contains("store") ? users() : null;
            List<Store.Exported> usersStore = null;
            for (String backend : o.backends) {
                Figures f = new Figures(backend);
                all.add(f);
                try {
                    boolean mongodb = backend.equals(MONGODB);
                    if (mongodb && usersStore == null && users != null) usersStore = exportUsersStore();
                    if (tree != null) {
                        System.out.println("== " + backend + ": rows 1-2 (example application, sequential calls)");
                        if (mongodb) startMongo(); // a fresh double for each part: the board is gone before rows 3-5
                        appRows(f, tree);
                        stopMongo();
                    }
                    if (users != null) {
                        System.out.println("== " + backend + ": rows 3-5 (bench walkers, N = " + N + ")");
                        if (mongodb) startMongo();
                        storeRows(f, users, usersStore);
                    }
                } catch (RuntimeException x) {
                    x.printStackTrace(System.out);
                    f.failures.add(x.getMessage() == null ? x.toString() : x.getMessage().lines().findFirst().orElse(""));
                } finally {
                    stopMongo();
                }
            }
        }
        String loadAfter = Machine.loadAverage();
        double minutes = (System.nanoTime() - started) / 60e9;
        List<String> conditions = new ArrayList<>(List.of(
                "date: " + date,
                "machine: " + Machine.describe(),
                "load average (1, 5, 15 min) before the run: " + loadBefore + "; after: " + loadAfter
                        + " (other work shares this machine; the run's own servers and generator are in the second figure)",
                String.format(Locale.ROOT, "mode: %s; rows 1-2: sequential calls of one client after a warm-up (" + WARM_WALK_2000 + ", " + WARM_WALK_10000 + " and " + WARM_ADD_TASK + " unrecorded calls, at most a third of the row's time); rows 3-5: first %.0f s of "
                        + "unrecorded load per walker and server (twice over: read, write, read, write), then %d round(s) of "
                        + "%.1f s warm-up + %.1f s measured per walker and store, windows alternating between the two stores; run took %.1f min",
                        o.quick ? "quick" : "full", o.serverWarmup.toMillis() / 1000.0, o.rounds, o.warmup.toMillis() / 1000.0, o.measure.toMillis() / 1000.0,
                        minutes)));
        conditions.addAll(notes);
        Path out = o.root.resolve("results");
        Files.createDirectories(out);
        String md = markdown(all, conditions, profiles);
        Files.writeString(out.resolve(o.name + ".md"), "# walkerd bench: graph (persistence)\n\n" + md);
        StringBuilder raw = new StringBuilder();
        for (Figures f : all) raw.append(json.writeValueAsString(f)).append('\n');
        Files.writeString(out.resolve(o.name + ".jsonl"), raw);
        if (o.name.equals("graph")) {
            updateMarkers(o.root.resolve("README.md"), md.replace("](profiles/", "](results/profiles/"));
            updateMarkers(o.root.toAbsolutePath().normalize().resolveSibling("README.md"), md.replace("](profiles/", "](bench/results/profiles/"));
        }
        System.out.println();
        System.out.print(md);
        System.out.printf("%nwrote %s in %.1f min%n", out.resolve(o.name + ".md"), minutes);
    }

    // ---- rows 1-2: the example application --------------------------------------------------------------------

    /** Writes one project with one task through the example application, and exports the store it wrote. */
    private List<Store.Exported> template() throws IOException {
        Path db = cache.resolve("graph-template.db");
        deleteDb(db);
        Map<String, String> env = new HashMap<>(WALKERD_ENV);
        env.put("DATABASE_PATH", db.toString());
        try (Servers.Running app = servers.application("walkerd-app-template", o.app, APP_PORT, env)) {
            String base = base(app);
            check(post(base + "/user/register", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null), 201, "register");
            String token = login(base);
            JsonNode project = json.readTree(check(post(base + "/walker/create_project",
                    "{\"name\":\"template\",\"tags\":[\"bench\",\"graph\"],\"settings\":{\"color\":\"blue\"}}", token), 201, "create_project"));
            String ref = project.path("reports").path(0).path("id").asText();
            check(post(base + "/walker/add_task/" + ref, taskBody("template task"), token), 200, "add_task");
        }
        List<Store.Exported> docs = new ArrayList<>();
        try (Store s = Stores.open(Config.of(Map.of("DATABASE_PATH", db.toString())))) {
            s.exportAll(docs::add);
        }
        deleteDb(db);
        return docs;
    }

    /** A task as {@code add_task} takes it, with every kind of field the example's Task has. */
    static String taskBody(String title) {
        return "{\"title\":\"" + title + "\",\"priority\":\"HIGH\",\"labels\":[\"bench\",\"graph\"],"
                + "\"meta\":{\"points\":3,\"owner\":\"bench\",\"billable\":true},"
                + "\"schedule\":{\"due\":\"2026-12-01\",\"estimate_hours\":2},\"steps\":[\"write\",\"review\"]}";
    }

    private void appRows(Figures f, GraphTree.Built tree) {
        Map<String, String> env = new HashMap<>(WALKERD_ENV);
        env.putAll(freshStore(f.backend, "graph_board", cache.resolve("graph-board.db")));
        long t0 = System.nanoTime();
        try (Store s = Stores.open(Config.of(env))) {
            s.importAll(tree.documents());
        }
        f.setup += String.format(Locale.ROOT, "board of %,d nodes and %,d edges imported in %.1f s; ", tree.nodes(), tree.edges(), (System.nanoTime() - t0) / 1e9);
        try (Servers.Running app = servers.application("walkerd-app-" + f.backend, o.app, APP_PORT, env)) {
            String base = base(app);
            String token = login(base);
            String p0 = tree.projectRefs().get(0), p1 = tree.projectRefs().get(1);
            int quick = o.quick ? 2 : 1;
            Supplier<Latency> walk2000 = () -> sequential(base + "/walker/walk_projects/" + p0, token, i -> "{}",
                    body -> body.contains("\"tasks\":" + TASKS) && body.contains("\"projects\":1"), WARM_WALK_2000, 100, seconds(8 / quick));
            Supplier<Latency> walk10000 = () -> sequential(base + "/walker/walk_projects", token, i -> "{}",
                    body -> body.contains("\"tasks\":" + PROJECTS * TASKS) && body.contains("\"projects\":" + PROJECTS), WARM_WALK_10000, 30, seconds(10 / quick));
            int[] added = {0};
            Supplier<Latency> addTask = () -> sequential(base + "/walker/add_task/" + p1, token, i -> taskBody("added " + added[0]++),
                    body -> body.contains("\"added "), WARM_ADD_TASK, 200, seconds(8 / quick));
            row(f, app, "walk-2000", walk2000, l -> f.walk2000 = l);
            row(f, app, "walk-10000", walk10000, l -> f.walk10000 = l);
            row(f, app, "add-task-2000", addTask, l -> f.addTask = l);
            f.setup += "add_task grew project 1 from 2,000 to " + String.format(Locale.ROOT, "%,d", TASKS + added[0]) + " tasks (warm-up included); ";
        }
    }

    /** Measures one latency row, printing it; with {@code --profile}, a missed embedded-store row is run again under JFR. */
    private void row(Figures f, Servers.Running server, String key, Supplier<Latency> run, java.util.function.Consumer<Latency> into) {
        Latency l = run.get();
        System.out.printf("   %-18s p50 %8.1f ms  p99 %8.1f ms  mean %8.1f ms  (%d calls)%n", key, l.p50(), l.p99(), l.mean(), l.calls());
        into.accept(l);
        profileIfMissed(f, server, key, run::get);
    }

    /**
     * Sequential calls on one keep-alive connection: up to {@code warm} unrecorded ones (fewer when they take more
     * than a third of {@code budget}; at least one), then timed ones until {@code max} calls or {@code budget} (at
     * least 3). The first response must satisfy {@code check}.
     */
    private Latency sequential(String url, String token, IntFunction<String> body, Predicate<String> check, int warm, int max, Duration budget) {
        long warmDeadline = System.nanoTime() + budget.toNanos() / 3;
        int warmed = 0;
        for (int i = 0; i < warm && (i == 0 || System.nanoTime() < warmDeadline); i++, warmed++) {
            String b = check(post(url, body.apply(i), token), 200, url);
            if (i == 0 && !check.test(b)) throw new IllegalStateException(url + " answered something unexpected: " + abbreviate(b));
        }
        List<Long> times = new ArrayList<>();
        long deadline = System.nanoTime() + budget.toNanos();
        for (int i = 0; i < max && (i < 3 || System.nanoTime() < deadline); i++) {
            String payload = body.apply(warmed + i);
            long t = System.nanoTime();
            HttpResponse<byte[]> r = postBytes(url, payload, token);
            long took = System.nanoTime() - t;
            if (r.statusCode() != 200) throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + abbreviate(new String(r.body(), StandardCharsets.UTF_8)));
            times.add(took);
        }
        return Latency.of(times.stream().mapToLong(Long::longValue).toArray());
    }

    // ---- rows 3-5: bench walkers under N clients ---------------------------------------------------------------

    private void storeRows(Figures f, List<User> users, List<Store.Exported> usersStore) {
        Map<String, String> emptyEnv = new HashMap<>(WALKERD_ENV), filledEnv = new HashMap<>(WALKERD_ENV);
        emptyEnv.putAll(usersStore(f.backend, "graph_empty", cache.resolve("graph-empty.db"), usersStore));
        filledEnv.putAll(usersStore(f.backend, "graph_filled", cache.resolve("graph-filled.db"), usersStore));
        // both start at once (each waits for its /healthz)
        CompletableFuture<Servers.Running> startingEmpty = CompletableFuture.supplyAsync(() -> servers.walkerd("walkerd-empty-" + f.backend, EMPTY_PORT, emptyEnv));
        CompletableFuture<Servers.Running> startingFilled = CompletableFuture.supplyAsync(() -> servers.walkerd("walkerd-filled-" + f.backend, FILLED_PORT, filledEnv));
        Servers.Running first = started(startingEmpty, startingFilled), second = started(startingFilled, startingEmpty);
        List<String> readNodes = List.of();
        try (Servers.Running empty = first; Servers.Running filled = second) {
            List<User> measured = users.subList(0, N);
            checkToken(base(empty), measured.get(0));
            List<String> emptyNodes = fill(base(empty), measured, 1, 8);
            List<String> filledNodes = fill(base(filled), measured, 1, 8);
            long t0 = System.nanoTime();
            fill(base(filled), users.subList(N, N + FILL_USERS), FILL_EACH, 2);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            f.setup += String.format(Locale.ROOT, "%,d other users' nodes put in the filled store by %d bench_fill calls of %,d in %.1f s (%,.0f nodes/s); ",
                    FILL_USERS * FILL_EACH, FILL_USERS, FILL_EACH, fillSeconds, FILL_USERS * FILL_EACH / fillSeconds);
            System.out.printf("   filled: %,d nodes in %.1f s%n", FILL_USERS * FILL_EACH, fillSeconds);
            if (f.backend.equals(SQLITE)) f.setup += "store files after the fill: " + sizes(cache.resolve("graph-empty.db")) + " without, " + sizes(cache.resolve("graph-filled.db")) + " with; ";

            Endpoint e = empty.endpoint(), fl = filled.endpoint();
            readNodes = emptyNodes;
            // Each server gets --server-warmup s of each walker before the first round (3 s until 2026-11-22): two JVMs
            // on 2 cores compile for a long time (C2 took 16 s of CPU in 75 s of rounds on each server), and the
            // rounds' figures climbed from one to the next by up to 2.4x, so a short warm-up measured the JIT.
            PerConnectionRest warming = new PerConnectionRest(loop, Duration.ZERO, o.serverWarmup);
            warming.run(e, "warm-up", i -> "/walker/bench_hello", "{}", N, null);
            for (int pass = 0; pass < 2; pass++) { // read, write, read, write: each walker's code compiled after the other's ran too
                for (Endpoint s : List.of(e, fl)) {
                    List<String> nodes = s == e ? emptyNodes : filledNodes;
                    warming.run(s, "warm-up", i -> "/walker/bench_read_node/" + nodes.get(i), "{}", N, measured);
                    warming.run(s, "warm-up", i -> "/walker/bench_node", "{\"serial\":1}", N, measured);
                }
            }

            PerConnectionRest perUser = new PerConnectionRest(loop, o.warmup, o.measure);
            Supplier<Result> hello = () -> perUser.run(e, "bench_hello", i -> "/walker/bench_hello", "{}", N, null);
            Supplier<Result> readE = () -> perUser.run(e, "bench_read_node", i -> "/walker/bench_read_node/" + emptyNodes.get(i), "{}", N, measured);
            Supplier<Result> readF = () -> perUser.run(fl, "bench_read_node", i -> "/walker/bench_read_node/" + filledNodes.get(i), "{}", N, measured);
            Supplier<Result> nodeE = () -> perUser.run(e, "bench_node", i -> "/walker/bench_node", "{\"serial\":1}", N, measured);
            Supplier<Result> nodeF = () -> perUser.run(fl, "bench_node", i -> "/walker/bench_node", "{\"serial\":1}", N, measured);
            List<Result> h = new ArrayList<>(), re = new ArrayList<>(), rf = new ArrayList<>(), ne = new ArrayList<>(), nf = new ArrayList<>();
            for (int round = 0; round < o.rounds; round++) {
                boolean emptyFirst = round % 2 == 0; // alternate which store goes first, so a drift in load hits both
                h.add(window("bench_hello", "empty", hello));
                if (emptyFirst) {
                    re.add(window("bench_read_node", "empty", readE));
                    rf.add(window("bench_read_node", "filled", readF));
                    ne.add(window("bench_node", "empty", nodeE));
                    nf.add(window("bench_node", "filled", nodeF));
                } else {
                    rf.add(window("bench_read_node", "filled", readF));
                    re.add(window("bench_read_node", "empty", readE));
                    nf.add(window("bench_node", "filled", nodeF));
                    ne.add(window("bench_node", "empty", nodeE));
                }
            }
            f.hello = Throughput.of(h);
            f.readEmpty = Throughput.of(re);
            f.readFilled = Throughput.of(rf);
            f.nodeEmpty = Throughput.of(ne);
            f.nodeFilled = Throughput.of(nf);
            // a profile's window is longer than a measured one: more samples of the same load
            PerConnectionRest longerPerUser = new PerConnectionRest(loop, o.warmup, o.measure.multipliedBy(2));
            profileIfMissed(f, empty, "bench-node-100", () -> longerPerUser.run(e, "bench_node", i -> "/walker/bench_node", "{\"serial\":1}", N, measured));
            profileIfMissed(f, empty, "read-node-100", () -> longerPerUser.run(e, "bench_read_node", i -> "/walker/bench_read_node/" + emptyNodes.get(i), "{}", N, measured));
            profileIfMissed(f, filled, "read-node-filled", () -> longerPerUser.run(fl, "bench_read_node", i -> "/walker/bench_read_node/" + filledNodes.get(i), "{}", N, measured));
            profileIfMissed(f, filled, "bench-node-filled", () -> longerPerUser.run(fl, "bench_node", i -> "/walker/bench_node", "{\"serial\":1}", N, measured));
        }
        // bench_read_node writes nothing itself: its nodes should still be at version 1 (read with the server stopped)
        try (Store s = Stores.open(Config.of(emptyEnv))) {
            List<io.walkerd.graph.Id> ids = new ArrayList<>();
            for (String ref : readNodes) ids.add(io.walkerd.graph.Id.of(ref.substring(ref.lastIndexOf(':') + 1)));
            f.readNodeVersion = s.nodes(ids).stream().mapToLong(io.walkerd.store.NodeRecord::version).average().orElse(Double.NaN);
        } catch (RuntimeException x) {
            System.out.println("   versions of bench_read_node's nodes not read: " + x.getMessage());
        }
    }

    /** The server {@code mine} started, or its failure; on failure the other one is stopped once it is up. */
    private static Servers.Running started(CompletableFuture<Servers.Running> mine, CompletableFuture<Servers.Running> other) {
        try {
            return mine.join();
        } catch (java.util.concurrent.CompletionException x) {
            other.thenAccept(Servers.Running::close);
            throw x.getCause() instanceof RuntimeException r ? r : x;
        }
    }

    /** A SQLite file's size and its WAL's, in MiB. */
    private static String sizes(Path db) {
        try {
            Path wal = Path.of(db + "-wal");
            return String.format(Locale.ROOT, "%.1f MiB + %.1f MiB WAL", Files.size(db) / 1048576.0, Files.exists(wal) ? Files.size(wal) / 1048576.0 : 0.0);
        } catch (IOException x) {
            return "?";
        }
    }

    private Result window(String walker, String store, Supplier<Result> run) {
        Result r = run.get();
        System.out.printf("   %-16s %-7s %,10.0f req/s  p50 %7.2f  p99 %7.2f ms%s%n", walker, store, r.msgsPerSec(), r.p50Ms(), r.p99Ms(),
                r.errors() > 0 ? "  " + r.errors() + " errors; " + r.note() : "");
        return r;
    }

    /** Each user calls {@code bench_fill} once with {@code count}, {@code parallel} calls at a time; the first node of each. */
    private List<String> fill(String base, List<User> users, int count, int parallel) {
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (User u : users) {
            slots.acquireUninterruptibly();
            HttpRequest req = request(base + "/walker/bench_fill", "{\"count\":" + count + "}", u.token()).timeout(Duration.ofSeconds(120)).build();
            calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, x) -> slots.release()).thenApply(r -> {
                if (r.statusCode() != 200) throw new IllegalStateException("bench_fill: HTTP " + r.statusCode() + " " + abbreviate(r.body()));
                try {
                    return json.readTree(r.body()).path("reports").path(0).path("first").asText();
                } catch (IOException x) {
                    throw new IllegalStateException("bench_fill: " + x.getMessage(), x);
                }
            }));
        }
        List<String> firsts = new ArrayList<>();
        for (CompletableFuture<String> c : calls) firsts.add(c.join());
        return firsts;
    }

    // ---- profiles ------------------------------------------------------------------------------------------------

    /**
     * With {@code --profile}: when an embedded-store row misses its target, runs it once more with a JFR recording
     * of the server process ({@code jcmd JFR.start settings=profile}, the server started with
     * {@code -XX:+DebugNonSafepoints} and 512-frame stacks) and writes the summary to
     * {@code results/profiles/graph-sqlite-<row>.txt}. The figures come from the run before, not from this one.
     */
    private void profileIfMissed(Figures f, Servers.Running server, String key, Supplier<?> again) {
        if (!o.profile || !f.backend.equals(SQLITE)) return;
        Row row = ROWS.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
        if (!Boolean.FALSE.equals(row.pass().apply(f))) return;
        String name = "graph-" + f.backend + "-" + key;
        Profiler profiler = new Profiler(server, o.root.resolve("results/profiles"));
        System.out.println("   " + key + " misses its target: profiling it again as " + name);
        profiler.start(name);
        try {
            again.get();
        } finally {
            profiler.stop(name);
        }
        Path dir = o.root.resolve("results/profiles");
        try {
            Files.writeString(dir.resolve(name + ".txt"), JfrWaits.summarize(dir.resolve(name + ".jfr"), 15), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException x) {
            System.out.println("   waits of " + name + " not summarised: " + x.getMessage());
        }
        profiles.add(name);
    }

    // ---- stores --------------------------------------------------------------------------------------------------

    /** The settings of an empty store of this backend: a new SQLite file, or a fresh database on the MongoDB double. */
    private Map<String, String> freshStore(String backend, String database, Path file) {
        if (backend.equals(MONGODB)) return Map.of("DATABASE_HOST", mongoUrl, "DATABASE_NAME", database); // the double starts empty per backend
        deleteDb(file);
        return Map.of("DATABASE_PATH", file.toString());
    }

    /** A store holding the bench users (a copy of their SQLite file, or its export imported into the MongoDB double). */
    private Map<String, String> usersStore(String backend, String database, Path file, List<Store.Exported> usersStore) {
        if (backend.equals(MONGODB)) {
            Map<String, String> env = Map.of("DATABASE_HOST", mongoUrl, "DATABASE_NAME", database);
            try (Store s = Stores.open(Config.of(env))) {
                s.importAll(usersStore);
            }
            return env;
        }
        deleteDb(file);
        try {
            Files.copy(cache.resolve("graph-users.db"), file);
        } catch (IOException x) {
            throw new IllegalStateException("cannot copy the users' store: " + x.getMessage(), x);
        }
        return Map.of("DATABASE_PATH", file.toString());
    }

    /**
     * The bench users of rows 3-5 ({@code N} measured, {@code FILL_USERS} who fill), made once through register and
     * login on a walkerd that is not measured, and kept in {@code .cache/graph-users.db} with their tokens in
     * {@code graph-users.tsv}.
     */
    private List<User> users() throws IOException {
        int needed = N + FILL_USERS;
        Path pristine = cache.resolve("graph-users.db");
        UserCache tokens = new UserCache(cache.resolve("graph-users.tsv"));
        if (!Files.exists(pristine) || tokens.size() < needed) {
            System.out.println("== making the " + needed + " bench users of the graph rows (kept in " + cache + ")");
            Path work = cache.resolve("graph-users-work.db");
            deleteDb(work);
            if (Files.exists(pristine)) Files.copy(pristine, work);
            Map<String, String> env = new HashMap<>(WALKERD_ENV);
            env.put("DATABASE_PATH", work.toString());
            try (Servers.Running setup = servers.walkerd("walkerd-graph-users", USERS_PORT, env)) {
                tokens.ensure(base(setup), needed, 4);
            }
            Files.copy(work, pristine, StandardCopyOption.REPLACE_EXISTING);
            deleteDb(work);
        }
        List<User> users = tokens.cached();
        if (users.size() < needed) throw new IllegalStateException("only " + users.size() + " users in " + cache.resolve("graph-users.tsv"));
        notes.add(String.format(Locale.ROOT, "users of rows 3-5: %d measured (one connection and token each) and %d who fill, made once by "
                + "/user/register + /user/login and kept in bench/.cache/graph-users.*; rows 1-2: one user, the board's owner", N, FILL_USERS));
        return users.subList(0, needed);
    }

    /** Every document of the users' SQLite store, to import into the MongoDB double. */
    private List<Store.Exported> exportUsersStore() {
        Path copy = cache.resolve("graph-users-export.db");
        deleteDb(copy);
        List<Store.Exported> docs = new ArrayList<>();
        try {
            Files.copy(cache.resolve("graph-users.db"), copy);
            try (Store s = Stores.open(Config.of(Map.of("DATABASE_PATH", copy.toString())))) {
                s.exportAll(docs::add);
            }
        } catch (IOException x) {
            throw new IllegalStateException("cannot export the users' store: " + x.getMessage(), x);
        } finally {
            deleteDb(copy);
        }
        return docs;
    }

    private void startMongo() {
        mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress a = mongo.bind(); // a free loopback port
        mongoUrl = "mongodb://" + a.getHostString() + ":" + a.getPort();
        String note = "mongodb: walkerd's MongoDB backend (the driver, collections node/edge/walker/user, a standalone server: each commit "
                + "goes through the backend's commit journal) against mongo-java-server's in-memory backend (the version the parent pom pins), a test double running inside the bench's JVM on a loopback port: NOT a MongoDB server; "
                + "its figures are what the backend's code path costs against that double";
        if (!notes.contains(note)) notes.add(note);
        String sqliteNote = "sqlite: the embedded store (default settings: WAL, DATABASE_SYNC=normal) on files under bench/.cache";
        if (!notes.contains(sqliteNote)) notes.add(0, sqliteNote);
    }

    private void stopMongo() {
        if (mongo != null) {
            mongo.shutdownNow();
            mongo = null;
        }
    }

    private static void deleteDb(Path file) {
        try {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) Files.deleteIfExists(Path.of(file + suffix));
        } catch (IOException x) {
            throw new IllegalStateException("cannot delete " + file + ": " + x.getMessage(), x);
        }
    }

    // ---- HTTP ------------------------------------------------------------------------------------------------------

    private static String base(Servers.Running s) { return "http://127.0.0.1:" + s.endpoint().port(); }

    private String login(String base) {
        String body = check(post(base + "/user/login", "{\"email\":\"" + EMAIL + "\",\"password\":\"" + PASSWORD + "\"}", null), 200, "login");
        try {
            return json.readTree(body).path("token").asText();
        } catch (IOException x) {
            throw new IllegalStateException("login: " + x.getMessage(), x);
        }
    }

    private void checkToken(String base, User u) {
        HttpResponse<String> r = post(base + "/walker/bench_whoami", "{}", u.token());
        if (r.statusCode() != 200 || !r.body().contains(u.rootId())) {
            throw new IllegalStateException("the cached graph users do not work on their own store (HTTP " + r.statusCode()
                    + "): delete bench/.cache/graph-users.* and run again");
        }
    }

    private HttpRequest.Builder request(String url, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private HttpResponse<String> post(String url, String body, String token) {
        try {
            return http.send(request(url, body, token).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException x) {
            throw new IllegalStateException(url + ": " + x.getMessage(), x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    private HttpResponse<byte[]> postBytes(String url, String body, String token) {
        try {
            return http.send(request(url, body, token).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException x) {
            throw new IllegalStateException(url + ": " + x.getMessage(), x);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", x);
        }
    }

    private static String check(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + abbreviate(r.body()));
        return r.body();
    }

    private static String abbreviate(String s) { return s.length() > 300 ? s.substring(0, 300) + "…" : s; }

    private static Duration seconds(int s) { return Duration.ofSeconds(s); }

    // ---- the report ----------------------------------------------------------------------------------------------

    /** The table (one column per backend measured), the conditions, and the profiles of missed rows. */
    static String markdown(List<Figures> all, List<String> conditions, List<String> profiles) {
        Figures sqlite = all.stream().filter(f -> f.backend.equals(SQLITE)).findFirst().orElse(null);
        Figures mongo = all.stream().filter(f -> f.backend.equals(MONGODB)).findFirst().orElse(null);
        StringBuilder md = new StringBuilder();
        for (String c : conditions) md.append("- ").append(c).append('\n');
        md.append("\nTargets are for the embedded store (SQLite). Latency rows: p50 and p99 in ms of sequential calls from one client ")
                .append("(nearest rank; with fewer than 100 calls p99 is the slowest call), judged by p50. Throughput rows: closed loop, ")
                .append("N keep-alive connections each waiting for its response, the median req/s of the rounds, each round's req/s after it (p50/p99 ms of the last round). ")
                .append("The MongoDB column is the MongoDB backend against mongo-java-server's in-memory test double, not a MongoDB server; ")
                .append("its ✓/✗ only compares it with the same target.\n\n");
        md.append("| row | target | SQLite (embedded) | pass | MongoDB backend vs in-memory mongo-java-server double | vs target |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Row r : ROWS) {
            md.append("| ").append(r.what()).append(" | ").append(r.target())
                    .append(" | ").append(sqlite == null ? "not measured" : r.figure().apply(sqlite))
                    .append(" | ").append(verdict(sqlite == null ? null : r.pass().apply(sqlite), "**pass**", "**FAIL**"))
                    .append(" | ").append(mongo == null ? "not measured" : r.figure().apply(mongo))
                    .append(" | ").append(verdict(mongo == null ? null : r.pass().apply(mongo), "✓", "✗"))
                    .append(" |\n");
        }
        md.append('\n');
        for (Figures f : all) {
            if (!f.setup.isEmpty()) md.append("- setup, ").append(f.backend).append(": ").append(f.setup.replaceAll("; $", "")).append('\n');
            for (String x : f.failures) md.append("- **").append(f.backend).append(" failed**: ").append(x.replace("|", "\\|")).append('\n');
            if (f.readNodeVersion > 1.0001) {
                md.append(String.format(Locale.ROOT, "- %s: **`bench_read_node` wrote**: the nodes it only read are at version %.0f on average after the run (1 when "
                        + "never rewritten): each call committed its node again, so rows 4-5 time a read and a write%n", f.backend, f.readNodeVersion));
            } else if (!Double.isNaN(f.readNodeVersion)) {
                md.append("- ").append(f.backend).append(": `bench_read_node` wrote nothing (its nodes are still at version 1)\n");
            }
            for (Throughput t : new Throughput[] {f.hello, f.readEmpty, f.readFilled, f.nodeEmpty, f.nodeFilled}) {
                if (t != null && t.errors() > 0) {
                    Result last = t.rounds().get(t.rounds().size() - 1);
                    md.append("- ").append(f.backend).append(' ').append(last.variant()).append(": ").append(t.errors()).append(" errors; ")
                            .append(last.note().replace("|", "\\|")).append('\n');
                }
            }
        }
        if (!profiles.isEmpty()) {
            md.append("- profiles of the missed embedded-store rows (JFR of the server while the row ran again): ");
            List<String> links = new ArrayList<>();
            for (String p : profiles) links.add("[" + p + "](profiles/" + p + ".txt)");
            md.append(String.join(", ", links)).append('\n');
        }
        return md.toString();
    }

    private static String verdict(Boolean pass, String yes, String no) { return pass == null ? "—" : pass ? yes : no; }

    static String latency(Latency l) {
        if (l == null) return "—";
        return String.format(Locale.ROOT, "p50 %s ms · p99 %s ms (%d calls)", ms(l.p50()), ms(l.p99()), l.calls());
    }

    static String rate(Throughput t) {
        if (t == null) return "—";
        return String.format(Locale.ROOT, "%s req/s (p50 %s ms, p99 %s ms)%s", num(t.reqPerSec()), ms(t.p50()), ms(t.p99()), rounds(t));
    }

    static String vsEmpty(Throughput filled, Throughput empty) {
        if (filled == null || empty == null) return "—";
        return String.format(Locale.ROOT, "%s vs %s req/s (%+.0f%%)%s", num(filled.reqPerSec()), num(empty.reqPerSec()),
                100 * (filled.reqPerSec() / empty.reqPerSec() - 1), filled.rounds().size() > 1 ? "; rounds " + filled.each() + " vs " + empty.each() : "");
    }

    /** The rounds behind a median, when there were several. */
    private static String rounds(Throughput t) {
        return t.rounds().size() > 1 ? "; rounds " + t.each() : "";
    }

    static Boolean within(Throughput filled, Throughput empty) {
        if (filled == null || empty == null) return null;
        return filled.reqPerSec() >= 0.85 * empty.reqPerSec();
    }

    static String num(double v) { return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%,.0f", v); }

    private static String ms(double v) {
        if (Double.isNaN(v)) return "—";
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Replaces what stands between the {@code graph:start} and {@code graph:end} markers of a README. */
    static void updateMarkers(Path readme, String body) throws IOException {
        if (!Files.exists(readme)) return;
        String text = Files.readString(readme);
        String start = "<!-- graph:start -->", end = "<!-- graph:end -->";
        int a = text.indexOf(start), b = text.indexOf(end);
        if (a < 0 || b < a) return;
        Files.writeString(readme, text.substring(0, a + start.length()) + "\n" + body + text.substring(b));
    }

    static Path benchJar() {
        try {
            return Path.of(GraphBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
