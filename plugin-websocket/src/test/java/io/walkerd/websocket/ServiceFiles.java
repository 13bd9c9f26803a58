package io.walkerd.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** A class loader that adds one {@code META-INF/services} entry to its parent's, as an application jar would. */
final class ServiceFiles {
    private ServiceFiles() {}

    static ClassLoader with(ClassLoader parent, Class<?> service, Class<?> implementation) {
        try {
            Path dir = Files.createTempDirectory("walkerd-services");
            Path file = dir.resolve("META-INF/services/" + service.getName());
            Files.createDirectories(file.getParent());
            Files.writeString(file, implementation.getName() + "\n");
            file.toFile().deleteOnExit();
            return new URLClassLoader(new URL[] {dir.toUri().toURL()}, parent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
