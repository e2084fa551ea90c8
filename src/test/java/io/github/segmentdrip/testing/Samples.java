package io.github.segmentdrip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared reference payloads (../shared/reference/samples), read as the exact bytes a sender posts. */
public final class Samples {

    private static final Path ROOT = Path.of("../shared/reference/samples");

    private Samples() {
    }

    public static String segment(String name) {
        return read(ROOT.resolve("segment-in").resolve(name));
    }

    public static String dripWebhook(String name) {
        return read(ROOT.resolve("drip-webhooks").resolve(name));
    }

    public static String signature(String name) {
        return read(ROOT.resolve("signatures").resolve(name));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("sample missing: " + path.toAbsolutePath(), e);
        }
    }
}
