package io.reactorbpf.examples.serve;

import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.examples.cli.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code serve}: the exec stream over HTTP. Spring is touched only inside {@link #call()}, so the other commands
 * never load it.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve execs at GET /events (SSE or NDJSON) with actuator metrics (/actuator/prometheus).")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "P", description = "TCP port (default: 8080).")
    int port = 8080;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to listen on (default: 127.0.0.1).")
    String bind = "127.0.0.1";

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        try {
            Privileges.current().requireBpf();
            ServeApplication.start(bind, port);
        } catch (RuntimeException e) {
            Failure.report(System.err, "serve", e, verbose);
            return 1;
        }
        // the server's threads keep the JVM alive; Ctrl-C closes the context through Spring's shutdown hook
        Thread.currentThread().join();
        return 0;
    }
}
