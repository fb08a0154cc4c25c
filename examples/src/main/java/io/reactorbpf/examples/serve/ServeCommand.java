package io.reactorbpf.examples.serve;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.examples.cli.Failure;
import io.reactorbpf.examples.cli.StopSignal;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code serve}: the exec stream over HTTP until SIGINT or SIGTERM, which close the application (the program
 * detached, the rings released) and end the process with status 0. A configuration the application cannot start
 * with is one line on stderr naming the property, and status 1. Spring is touched only inside {@link #call()}, so
 * the other commands never load it.
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
        StopSignal stop = StopSignal.install(0);
        int code = 0;
        try {
            Privileges.current().requireBpf();
            try (ConfigurableApplicationContext context = ServeApplication.start(bind, port)) {
                // the server's threads serve the clients; this thread only waits to close the context
                stop.await();
            }
        } catch (RuntimeException e) {
            Failure.report(System.err, "serve", libraryCause(e), verbose);
            code = 1;
        } finally {
            stop.released(code);
        }
        return code;
    }

    /**
     * The library's exception inside Spring's wrappers (a {@code BpfPropertyException} names the property at fault),
     * or {@code e} itself when there is none; Spring Boot's failure report has been logged already.
     */
    private static Throwable libraryCause(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BpfException) {
                return t;
            }
        }
        return e;
    }
}
