package io.walkerd.bench.server;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;

import java.util.List;
import java.util.Map;

/**
 * The ceiling of walkerd's HTTP stack: the same Javalin and Jackson, one handler answering what {@code bench_hello}
 * answers, with no walker, store or token behind it.
 */
public final class BareJavalin {
    private BareJavalin() {}

    public static Javalin start(int port) {
        Map<String, Object> hello = Map.of("status", 200, "reports", List.of("hello"));
        return Javalin.create(cfg -> {
            cfg.jsonMapper(new JavalinJackson());
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            cfg.routes.post("/walker/bench_hello", ctx -> {
                ctx.body(); // read the request as a walker route does
                ctx.json(hello);
            });
        }).start("127.0.0.1", port);
    }
}
