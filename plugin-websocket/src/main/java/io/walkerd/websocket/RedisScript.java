package io.walkerd.websocket;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run in Redis by its digest ({@code EVALSHA}), sent whole ({@code EVAL}) only when Redis does not
 * know it yet (a fresh or restarted Redis). Its reply is read as a list of integers and strings.
 */
final class RedisScript {
    private final String source;
    private final String sha;

    RedisScript(String source) {
        this.source = source;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    CompletableFuture<List<Object>> run(StatefulRedisConnection<String, String> c, String[] keys, String... args) {
        return c.async().<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).toCompletableFuture()
                .exceptionallyCompose(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (!(cause instanceof RedisNoScriptException)) return CompletableFuture.failedFuture(cause);
                    return c.async().<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
                });
    }

    static long number(Object o) {
        if (o instanceof Number n) return n.longValue();
        return Long.parseLong(String.valueOf(o));
    }
}
