package io.github.segmentdrip.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The route files copied to a temporary directory the service loads from and watches, as a user would set it up. */
public class EditableRoutesResource extends DripEmulatorResource {

    private static volatile Path routes;

    public static Path routes() {
        return routes;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            routes = Files.createTempDirectory("drip-routes");
            try (Stream<Path> files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, routes.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("drip.routes-dir", "file:" + routes);
        config.put("camel.main.routes-reload-enabled", "true");
        config.put("camel.main.routes-reload-directory", routes.toString());
        return config;
    }
}
