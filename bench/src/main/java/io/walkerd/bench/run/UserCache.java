package io.walkerd.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walkerd.bench.load.Scenarios.User;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The users of {@code user-notify} and {@code bench_node} on walkerd, kept across runs: walkerd stores them in its
 * SQLite database file under {@code bench/.cache}, and their tokens (signed with the bench's fixed secret, valid for
 * years) are kept in a file beside it. Registering and logging in cost two PBKDF2 hashes each, so only missing users
 * are created, in parallel.
 */
final class UserCache {
    static final String PASSWORD = "bench-password-1";
    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private int lastMade;

    UserCache(Path file) { this.file = file; }

    /** The users the cache holds, unchecked (check one against the server that will take them). */
    List<User> cached() { return load(); }

    /** How many users the cache holds (unchecked). */
    int size() { return load().size(); }

    /** How many users the last {@link #ensure} created. */
    int made() { return lastMade; }

    /**
     * The first {@code n} cached users, after checking the first and the last of them on the walkerd at {@code base};
     * fails (creating nothing) when they do not work there.
     */
    List<User> verified(String base, int n) {
        List<User> users = load();
        if (users.size() < n || !validPrefix(base, users, n)) {
            throw new IllegalStateException("the cached bench users (" + users.size() + " in " + file + ") do not work on " + base);
        }
        return users.subList(0, n);
    }

    /**
     * At least {@code n} users valid on the walkerd at {@code base}, creating the missing ones. The cache is checked
     * first (its first user, and its last one of the first {@code n}): tokens that do not match the database (another
     * database, a lost write-ahead log, another secret) are dropped and the users made again.
     */
    List<User> ensure(String base, int n, int parallel) {
        lastMade = 0;
        List<User> users = load();
        if (!users.isEmpty() && !validPrefix(base, users, n)) {
            System.out.println("cached bench users are not valid on this server (database or secret changed); creating new ones");
            users = new ArrayList<>();
        }
        if (users.size() >= n) return users.subList(0, n);
        int missing = n - users.size();
        long start = System.nanoTime();
        System.out.printf("creating %,d bench users (register + login: two PBKDF2 hashes each), %d in parallel...%n", missing, parallel);
        String tag = Long.toString(System.currentTimeMillis(), 36);
        Semaphore slots = new Semaphore(parallel);
        List<CompletableFuture<User>> made = new ArrayList<>();
        for (int i = 0; i < missing; i++) {
            String email = "bench-" + tag + "-" + i + "@bench.walkerd.io";
            slots.acquireUninterruptibly();
            made.add(create(base, email).whenComplete((u, e) -> slots.release()));
            if (i > 0 && i % 1000 == 0) System.out.printf("  %,d users started, %.0f s%n", i, (System.nanoTime() - start) / 1e9);
        }
        RuntimeException failure = null;
        for (CompletableFuture<User> f : made) {
            try {
                users.add(f.join());
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        lastMade = users.size() - (n - missing);
        save(users); // the users made so far are kept even when some failed
        if (failure != null) throw new IllegalStateException("could not make every bench user: " + failure.getMessage(), failure);
        System.out.printf("created %,d users in %.0f s%n", missing, (System.nanoTime() - start) / 1e9);
        return users.subList(0, n);
    }

    private CompletableFuture<User> create(String base, String email) {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
        return post(base + "/user/register", body, null).thenCompose(r -> {
            if (r.statusCode() != 201) throw new IllegalStateException("register " + email + ": HTTP " + r.statusCode() + " " + r.body());
            return post(base + "/user/login", body, null);
        }).thenApply(r -> {
            if (r.statusCode() != 200) throw new IllegalStateException("login " + email + ": HTTP " + r.statusCode() + " " + r.body());
            try {
                JsonNode j = json.readTree(r.body());
                return new User(j.path("user").path("root_id").asText(), j.path("token").asText());
            } catch (IOException e) {
                throw new IllegalStateException("login " + email + ": " + e.getMessage(), e);
            }
        });
    }

    private boolean validPrefix(String base, List<User> users, int n) {
        return valid(base, users.get(0)) && valid(base, users.get(Math.min(n, users.size()) - 1));
    }

    private boolean valid(String base, User u) {
        try {
            HttpResponse<String> r = post(base + "/walker/bench_whoami", "{}", "Bearer " + u.token()).join();
            return r.statusCode() == 200 && r.body().contains(u.rootId());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private CompletableFuture<HttpResponse<String>> post(String url, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<User> load() {
        List<User> users = new ArrayList<>();
        if (!Files.exists(file)) return users;
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t");
                if (f.length == 2) users.add(new User(f[0], f[1]));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return users;
    }

    private void save(List<User> users) {
        StringBuilder sb = new StringBuilder();
        for (User u : users) sb.append(u.rootId()).append('\t').append(u.token()).append('\n');
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
