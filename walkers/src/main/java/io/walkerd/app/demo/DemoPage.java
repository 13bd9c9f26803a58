package io.walkerd.app.demo;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.walkerd.spi.Plugin;
import io.walkerd.spi.PluginContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the browser demo (plain HTML and JavaScript from {@code /demo} on the class path) at {@code /}, and the
 * JavaScript client it runs on ({@code clients/js/index.js}, packaged as {@code /walkerd-client/index.js}) at
 * {@code /walkerd-client.js}, for any page of the server to import.
 */
public final class DemoPage implements Plugin {
    static final String CLIENT_RESOURCE = "/walkerd-client/index.js";

    @Override
    public String name() { return "demo-page"; }

    @Override
    public void configure(JavalinConfig javalin, PluginContext context) {
        javalin.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/demo";
            files.location = Location.CLASSPATH;
        });
        byte[] client = clientScript();
        javalin.routes.get("/walkerd-client.js", ctx -> ctx
                .header("Cache-Control", "no-cache")
                .contentType("text/javascript; charset=utf-8")
                .result(client));
    }

    static byte[] clientScript() {
        try (InputStream in = DemoPage.class.getResourceAsStream(CLIENT_RESOURCE)) {
            if (in == null) throw new IllegalStateException(CLIENT_RESOURCE + " is not on the class path: the walkers build copies it from clients/js");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
