package io.walkerd.app.demo;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.walkerd.spi.Plugin;
import io.walkerd.spi.PluginContext;

/** Serves the browser demo (plain HTML and JavaScript from {@code /demo} on the class path) at {@code /}. */
public final class DemoPage implements Plugin {
    @Override
    public String name() { return "demo-page"; }

    @Override
    public void configure(JavalinConfig javalin, PluginContext context) {
        javalin.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/demo";
            files.location = Location.CLASSPATH;
        });
    }
}
