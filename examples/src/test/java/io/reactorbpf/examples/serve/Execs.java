package io.reactorbpf.examples.serve;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Execs a test makes happen: a marked /bin/true now and then, or a burst of many from one shell. */
final class Execs {

    private Execs() {
    }

    /** Runs {@code /bin/true marker} every 50 ms until disposed, so a stream that starts late still sees one. */
    static Disposable markedEvery50ms(String marker) {
        return Flux.interval(Duration.ZERO, Duration.ofMillis(50), Schedulers.boundedElastic())
                .subscribe(i -> run(List.of("/bin/true", marker)));
    }

    /** {@code count} execs of /bin/true with 20 arguments of 100 characters each, from one shell loop. */
    static void burst(int count) {
        String args = String.join(" ", Collections.nCopies(20, "x".repeat(100)));
        run(List.of("sh", "-c", "i=0; while [ $i -lt " + count + " ]; do /bin/true " + args + "; i=$((i+1)); done"));
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).start();
            p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
