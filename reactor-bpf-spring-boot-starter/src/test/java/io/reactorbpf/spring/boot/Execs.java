package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.PerfEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Execs the tests make happen, children of this JVM, and the object that sees them: test resource bpf/execs.bpf.o,
 * whose {@code struct exec_event} is pid, ppid, comm[16], file[64].
 */
final class Execs {

    /** The properties of object {@code execs} seeing only this JVM's children, both of its event maps streamed. */
    static final String[] PROPERTIES = {
            "reactorbpf.objects.execs.location=classpath:bpf/execs.bpf.o",
            "reactorbpf.objects.execs.globals.target_ppid=" + ProcessHandle.current().pid(),
            "reactorbpf.objects.execs.streams.perf_events.pages=8",
            "reactorbpf.objects.execs.streams.ring_events.pages=16"};

    private Execs() {
    }

    /** Runs {@code /bin/true} {@code count} times, one after the other. */
    static void run(int count) {
        for (int i = 0; i < count; i++) {
            try {
                new ProcessBuilder("/bin/true").start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs {@code /bin/true} every 20 ms until disposed, so a subscriber that comes late still sees one. */
    static Disposable every20ms() {
        return Flux.interval(Duration.ZERO, Duration.ofMillis(20), Schedulers.boundedElastic()).subscribe(i -> run(1));
    }

    /** The file an exec event's process exec'd. */
    static String file(PerfEvent.Sample sample) {
        ByteBuffer data = ByteBuffer.wrap(sample.data()).order(ByteOrder.nativeOrder());
        int start = 24;
        int end = start;
        while (end < Math.min(data.limit(), start + 64) && data.get(end) != 0) {
            end++;
        }
        return new String(sample.data(), start, end - start, StandardCharsets.UTF_8);
    }

    /** The parent pid in an exec event. */
    static int ppid(PerfEvent.Sample sample) {
        return ByteBuffer.wrap(sample.data()).order(ByteOrder.nativeOrder()).getInt(4);
    }
}
