package io.walkerd.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.walkerd.auth.PasswordHasher;
import io.walkerd.auth.TokenService;
import io.walkerd.auth.UserService;
import io.walkerd.graph.ArchetypeJson;
import io.javalin.config.SizeUnit;
import io.walkerd.auth.WebhookKeys;
import io.walkerd.http.UserRoutes;
import io.walkerd.http.WebhookRoutes;
import io.walkerd.walker.Scheduler;
import io.walkerd.walker.Tasks;
import io.walkerd.walker.Walkers;
import io.walkerd.http.WalkerRoutes;
import io.walkerd.spi.Plugin;
import io.walkerd.spi.PluginContext;
import io.walkerd.store.GraphStore;
import io.walkerd.store.Store;
import io.walkerd.store.StoreUnavailable;
import io.walkerd.store.Stores;
import io.walkerd.walker.WalkerRegistry;
import io.walkerd.walker.WalkerRunner;
import io.walkerd.walker.WalkerType;
import io.walkerd.graph.Id;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One walkerd server: its store, walkers, tokens, HTTP routes and plugins. Nothing here is global, so several
 * servers can run in one JVM (the multi-instance tests do exactly that).
 */
public final class WalkerdServer implements PluginContext, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalkerdServer.class);

    private final Config config;
    private final String instanceId = Id.random().hex();
    private final Store backend;
    private final GraphStore store;
    private final WalkerRegistry registry;
    private final TokenService tokens;
    private final UserService users;
    private final WalkerRunner runner;
    private final ArchetypeJson json;
    private final Tasks tasks;
    private final Walkers walkersService;
    private final Scheduler scheduler;
    private final List<Plugin> plugins;
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    private final Javalin javalin;
    private final java.util.Optional<io.walkerd.spi.ChannelAuthorizer> channelAuthorizer;
    private final InsecureSettings insecure = new InsecureSettings();
    private final io.walkerd.metrics.Metrics metrics;
    private final io.walkerd.metrics.MetricsEndpoint metricsEndpoint;
    private final io.walkerd.auth.AdminAccess adminAccess;
    private volatile boolean closed;

    private WalkerdServer(Config config, WalkerRegistry registry, List<Plugin> plugins, Store given) {
        this.config = config;
        this.registry = registry;
        this.plugins = List.copyOf(plugins);
        this.channelAuthorizer = ServiceLoader.load(io.walkerd.spi.ChannelAuthorizer.class,
                Thread.currentThread().getContextClassLoader()).findFirst();
        config.logFormat(); // read by Logback; checked here, where a wrong value can stop the start
        this.metrics = io.walkerd.metrics.Metrics.from(config);
        this.metricsEndpoint = new io.walkerd.metrics.MetricsEndpoint(config, metrics, insecure);
        Store opened = given != null ? given : Stores.open(config);
        this.backend = metrics.enabled() ? new io.walkerd.store.MeteredStore(opened, metrics.registry()) : opened;
        try {
            var limits = config.storeLimits();
            List<com.fasterxml.jackson.databind.Module> modules = new ArrayList<>();
            for (Plugin p : this.plugins) modules.addAll(p.jsonModules());
            this.json = new ArchetypeJson(modules);
            this.store = new GraphStore(backend, registry, limits, json);
            this.tokens = new TokenService(config.tokenSecret(), config.tokenAlgorithm(), config.tokenTimeoutHours(), backend);
            this.users = new UserService(backend, tokens, new PasswordHasher(), limits);
            this.adminAccess = io.walkerd.auth.AdminAccess.from(config, tokens, backend, insecure);
            this.runner = new WalkerRunner(registry, store, config.showEndpointReturns(), services::get, config.walkerConflictRetries(),
                    config.walkerLimits(), new io.walkerd.walker.WalkerMetrics(metrics.registry()));
            this.tasks = new Tasks(store, runner, registry, config.taskWorkers(), config.taskPollMillis());
            this.walkersService = new Walkers(runner, registry, tasks, backend);
            services.put(Walkers.class, walkersService);
            // read (and so checked) even where this instance does not run them
            this.scheduler = new Scheduler(registry, runner, store, instanceId, config.schedulerThreads(),
                    config.schedulerMisfireGraceMillis());
            WebhookKeys webhookKeys = new WebhookKeys(backend);
            long uploadMax = config.uploadMaxBytes();
            warnUnclaimedMethods();
            insecure.optedIn(registry);
            var accounts = io.walkerd.auth.AccountRules.from(config, insecure);
            var logins = io.walkerd.http.LoginThrottle.from(config, insecure);
            var addresses = ClientAddress.from(config);
            this.javalin = Javalin.create(cfg -> {
                cfg.jsonMapper(new JavalinJackson(json.response(), false));
                cfg.jetty.multipartConfig.maxTotalRequestSize(uploadMax, SizeUnit.BYTES);
                cfg.jetty.multipartConfig.maxFileSize(uploadMax, SizeUnit.BYTES);
                cfg.http.prefer405over404 = true;
                cfg.startup.showJavalinBanner = false;
                acceptBacklog(cfg, config.acceptBacklog());
                cfg.staticFiles.enableWebjars();
                new io.walkerd.http.HttpMetrics(metrics.registry()).register(cfg.routes);
                io.walkerd.http.RequestIds.register(cfg.routes);
                io.walkerd.http.ErrorReplies.register(cfg.routes);
                io.walkerd.http.SecurityHeaders.register(cfg.routes, config, insecure);
                cfg.routes.get("/healthz", ctx -> {
                    try {
                        backend.check();
                        ctx.json(Map.of("status", "ok", "store", backend.backend()));
                    } catch (StoreUnavailable e) {
                        log.error("health check: the store cannot be read", e);
                        ctx.status(503).json(Map.of("status", "unavailable", "store", backend.backend(), "reason", e.getMessage()));
                    }
                });
                metricsEndpoint.register(cfg.routes);
                new io.walkerd.http.ApiDocs(registry.walkers()).register(cfg.routes);
                new UserRoutes(users, tokens, json.response(), accounts, logins, addresses).register(cfg.routes);
                new WebhookRoutes(webhookKeys, tokens, json.response()).register(cfg.routes);
                new WalkerRoutes(runner, tokens, json.response(), webhookKeys, uploadMax).register(cfg.routes, registry.walkers());
                for (Plugin p : this.plugins) p.configure(cfg, this);
            });
        } catch (RuntimeException e) {
            closeStore();
            throw e;
        }
    }

    /** Starts a server with every indexed walker and every plugin on the class path. */
    public static WalkerdServer start(Config config) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<Plugin> plugins = new ArrayList<>();
        ServiceLoader.load(Plugin.class, loader).forEach(plugins::add);
        return start(config, WalkerRegistry.discover(loader, setting -> config.getBoolean(setting, false)), plugins);
    }

    public static WalkerdServer start(Config config, WalkerRegistry registry, List<Plugin> plugins) {
        return start(config, registry, plugins, null);
    }

    /**
     * Starts a server on a store opened by the caller (which the server closes when it stops); null opens the one
     * the configuration names.
     */
    public static WalkerdServer start(Config config, WalkerRegistry registry, List<Plugin> plugins, Store store) {
        WalkerdServer server = new WalkerdServer(config, registry, plugins, store);
        try {
            server.javalin.start(config.host(), config.port());
        } catch (RuntimeException e) {
            server.closeStore();
            throw e;
        }
        try {
            server.metricsEndpoint.start();
        } catch (RuntimeException e) {
            server.javalin.stop();
            server.closeStore();
            throw e;
        }
        for (Plugin p : server.plugins) p.started();
        if (config.get("TOKEN_SECRET") == null) {
            log.warn("TOKEN_SECRET is not set: tokens are signed with a random secret and die with this process; "
                    + "set it (at least 32 characters) to keep them valid across restarts and instances");
        }
        server.insecure.warn();
        server.tasks.start();
        if (config.schedulerEnabled()) server.scheduler.start();
        log.info("walkerd {} listening on {}:{} with {} walkers, plugins {}", server.instanceId, config.host(), server.port(),
                registry.walkers().size(), server.plugins.stream().map(Plugin::name).toList());
        return server;
    }

    /**
     * The listening socket's queue of connections the kernel has accepted and Jetty has not taken yet. Java's
     * default is 50: a burst of more simultaneous connects (clients reconnecting after a restart) overflows it, and
     * each dropped SYN costs its client a one-second retransmission. Javalin adds its connector just before Jetty
     * starts, so the size is set when the server starts, before the connectors bind.
     */
    private static void acceptBacklog(io.javalin.config.JavalinConfig cfg, int backlog) {
        cfg.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                for (var connector : server.getConnectors()) {
                    if (connector instanceof org.eclipse.jetty.server.ServerConnector c) c.setAcceptQueueSize(backlog);
                }
            }
        }));
    }

    private void warnUnclaimedMethods() {
        Set<String> claimed = new TreeSet<>(WalkerRoutes.HTTP_METHODS);
        for (Plugin p : plugins) claimed.addAll(p.walkerMethods());
        for (WalkerType w : registry.walkers()) {
            for (String m : w.methods()) {
                if (!claimed.contains(m)) log.warn("walker {} declares method '{}' that no plugin serves", w.name(), m);
            }
        }
    }

    public int port() { return javalin.port(); }

    public String baseUrl() { return "http://127.0.0.1:" + port(); }

    /** The port that serves {@code /metrics} alone ({@code METRICS_PORT}); -1 when there is none. */
    public int metricsPort() { return metricsEndpoint.port(); }

    public GraphStore store() { return store; }

    @Override
    public Config config() { return config; }

    @Override
    public WalkerRegistry walkers() { return registry; }

    @Override
    public WalkerRunner runner() { return runner; }

    @Override
    public TokenService tokens() { return tokens; }

    @Override
    public ObjectMapper json() { return json.response(); }

    /** This server's JSON mappers of archetypes (stored form and responses). */
    public ArchetypeJson archetypeJson() { return json; }

    @Override
    public Walkers walkersService() { return walkersService; }

    @Override
    public java.util.Optional<io.walkerd.spi.ChannelAuthorizer> channelAuthorizer() { return channelAuthorizer; }

    @Override
    public InsecureSettings insecureSettings() { return insecure; }

    @Override
    public void onCommit(io.walkerd.spi.CommitListener listener) { runner.onCommit(listener); }

    @Override
    public io.walkerd.graph.Access accessTo(io.walkerd.auth.Principal principal, String nodeRefId) {
        var session = store.open(principal);
        var anchor = session.find(nodeRefId);
        return anchor == null ? io.walkerd.graph.Access.NO_ACCESS : session.accessTo(anchor);
    }

    @Override
    public io.walkerd.metrics.Metrics metrics() { return metrics; }

    @Override
    public io.walkerd.auth.AdminAccess adminAccess() { return adminAccess; }

    @Override
    public <T> void provide(Class<T> type, T service) { services.put(type, service); }

    @Override
    public String instanceId() { return instanceId; }

    /** Stops gracefully: plugins finish their work (bounded), then HTTP stops, then the store closes. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        long grace = config.getLong("SHUTDOWN_GRACE_MS", 10_000);
        for (Plugin p : plugins) {
            try {
                p.stopping(grace);
            } catch (RuntimeException e) {
                log.warn("plugin {} failed while stopping", p.name(), e);
            }
        }
        scheduler.stop(grace);
        tasks.stop(grace);
        javalin.stop();
        metricsEndpoint.close();
        for (Plugin p : plugins) {
            try {
                p.stopped();
            } catch (RuntimeException e) {
                log.warn("plugin {} failed after stop", p.name(), e);
            }
        }
        closeStore();
    }

    private void closeStore() {
        if (scheduler != null) scheduler.close();
        if (tasks != null) tasks.close();
        backend.close();
        metrics.close();
    }
}
