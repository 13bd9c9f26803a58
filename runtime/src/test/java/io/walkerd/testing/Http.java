package io.walkerd.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A small JSON HTTP client for tests: real requests over loopback. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.function.Supplier<String> base;

    public Http(String base) { this(() -> base); }

    /** A client whose server address is known only later (a server started by a JUnit extension). */
    public Http(java.util.function.Supplier<String> base) { this.base = base; }

    /** A response: status, parsed body ({@link MissingNode} when empty or not JSON), raw body and headers. */
    public record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        public JsonNode reports() { return body.path("reports"); }

        /** The first value of a response header, or null. */
        public String header(String name) { return headers.firstValue(name).orElse(null); }

        public JsonNode returns() { return body.path("returns"); }

        @Override
        public String toString() { return status + " " + raw; }
    }

    public Response post(String path, Object body) { return send("POST", path, body, null); }

    public Response post(String path, Object body, String token) { return send("POST", path, body, token); }

    public Response get(String path, String token) { return send("GET", path, null, token); }

    public Response send(String method, String path, Object body, String token) { return send(method, path, body, token, Map.of()); }

    /** A request with extra headers (e.g. {@code X-Forwarded-For}). */
    public Response send(String method, String path, Object body, String token, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.get() + path)).timeout(Duration.ofSeconds(30));
            String payload = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(payload));
            if (body != null) b.header("Content-Type", "application/json");
            if (token != null) b.header("Authorization", "Bearer " + token);
            headers.forEach(b::header);
            return exchange(b, method, path);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    /** One part of a multipart/form-data body: a file (with a file name and content type) or a plain field. */
    public record Part(String name, String fileName, String contentType, byte[] content) {
        public static Part file(String name, String fileName, String contentType, byte[] content) {
            return new Part(name, fileName, contentType, content);
        }

        public static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** POSTs a multipart/form-data body, as a browser or Python's httpx sends files. */
    public Response postMultipart(String path, java.util.List<Part> parts, String token) {
        String boundary = "----walkerd" + UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.fileName() != null) head.append("; filename=\"").append(p.fileName()).append('"');
            head.append("\r\n");
            if (p.contentType() != null) head.append("Content-Type: ").append(p.contentType()).append("\r\n");
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.get() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            return exchange(b, "POST", path);
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed: " + e, e);
        }
    }

    private Response exchange(HttpRequest.Builder b, String method, String path) throws IOException {
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed;
            try {
                parsed = r.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(r.body());
            } catch (IOException e) {
                parsed = MissingNode.getInstance();
            }
            return new Response(r.statusCode(), parsed, r.body(), r.headers());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers a fresh user and logs in; returns the login body ({@code token}, {@code user}). */
    public JsonNode newUser() {
        String email = "u" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
        Response reg = post("/user/register", Map.of("email", email, "password", "secret-pass"));
        if (reg.status() != 201) throw new IllegalStateException("register failed: " + reg);
        Response login = post("/user/login", Map.of("email", email, "password", "secret-pass"));
        if (login.status() != 200) throw new IllegalStateException("login failed: " + login);
        return login.body();
    }

    /** The token of a fresh user. */
    public String newToken() { return newUser().get("token").asText(); }
}
