package io.github.segmentdrip.it;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/** The packaged service as a separate process, for tests that kill it: {@code kill -9}, SIGTERM, restart. */
final class ServiceProcess {

    private final Map<String, String> config;
    private final int port;
    private final File log;
    private Process process;

    ServiceProcess(Map<String, String> config) throws IOException {
        this.config = config;
        this.port = freePort();
        this.log = Files.createTempFile("service", ".log").toFile();
    }

    int port() {
        return port;
    }

    ServiceProcess start() throws IOException {
        launch();
        await().atMost(Duration.ofSeconds(60)).until(this::listening);
        return this;
    }

    /** Starts the service and waits for it to stop by itself (a start-up failure); returns the exit code. */
    int startExpectingExit(Duration within) throws IOException, InterruptedException {
        launch();
        if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the service did not stop within " + within + ":\n" + log());
        }
        return process.exitValue();
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add("target/quarkus-app/quarkus-run.jar");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
    }

    /** {@code kill -9}: no shutdown hook, no graceful anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an orchestrator stops it; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    String log() throws IOException {
        return Files.readString(log.toPath());
    }

    private boolean listening() {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
