package io.reactorbpf.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code reactor-bpf} command line as a real child process: {@code java -cp <classpath> Main ARGS},
 * optionally behind a wrapper command (setpriv, unshare). Its stdout lines are queued as they arrive and its
 * stderr is collected. Not thread-safe; {@link #close()} kills the process if it still runs.
 */
public final class CommandProcess implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stdoutSeen = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private CommandProcess(Process process) {
        this.process = process;
        this.outReader = reader(process.getInputStream(), line -> {
            stdoutSeen.add(line);
            stdout.add(line);
        });
        this.errReader = reader(process.getErrorStream(), stderr::add);
    }

    /** Starts Main with the test class path. */
    public static CommandProcess start(String... args) {
        return start(List.of(), System.getProperty("java.class.path"), args);
    }

    /** Starts Main with {@code classPath} behind {@code wrapper} (empty for none). */
    public static CommandProcess start(List<String> wrapper, String classPath, String... args) {
        return launch(wrapper, List.of("-cp", classPath), args);
    }

    /**
     * Starts Main from {@code classPath} with the named modules of {@code modulePath} resolved as modules, so
     * the tool reaches them only through what they export; {@code --show-module-resolution} prints how each was
     * resolved before the tool's own output.
     */
    public static CommandProcess startOnModulePath(String modulePath, String classPath, String... args) {
        return launch(List.of(), List.of("--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
                "--show-module-resolution", "-cp", classPath), args);
    }

    private static CommandProcess launch(List<String> wrapper, List<String> javaOptions, String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:-UsePerfData");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(javaOptions);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        try {
            return new CommandProcess(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The next stdout line, or null when none arrives within {@code timeout}. */
    public String nextLine(Duration timeout) throws InterruptedException {
        return stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code poke} and waits briefly for a line, again and again until a line matches {@code wanted};
     * fails after {@code timeout}. The poke makes the traced event happen once the program is attached.
     */
    public String pokeUntil(Runnable poke, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive() && stdout.isEmpty()) {
                throw new AssertionError("the command exited with " + process.exitValue() + " before printing a"
                        + " matching line; stdout " + stdoutSeen + ", stderr " + stderr);
            }
            poke.run();
            String line = stdout.poll(50, TimeUnit.MILLISECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no matching line within " + timeout + "; stdout " + stdoutSeen + ", stderr " + stderr);
    }

    /** Sends SIGINT, as Ctrl-C does. */
    public void interrupt() throws IOException, InterruptedException {
        signal("INT");
    }

    /** Sends {@code SIG<name>} (INT, TERM, ...). */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }

    /** Waits for the exit and both streams' ends; returns the exit code. Fails after {@code timeout}. */
    public int exitCode(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not exit within " + timeout + "; stderr " + stderr);
        }
        outReader.join(timeout.toMillis());
        errReader.join(timeout.toMillis());
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every stdout line so far. */
    public List<String> stdoutLines() {
        return List.copyOf(stdoutSeen);
    }

    /** Every stderr line so far. */
    public List<String> stderrLines() {
        return List.copyOf(stderr);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static Thread reader(InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process was killed; what was read is kept
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
