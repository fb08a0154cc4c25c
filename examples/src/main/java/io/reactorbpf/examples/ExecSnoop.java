package io.reactorbpf.examples;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.attach.Tracepoint;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.perf.PerfBufferSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Prints every exec on the machine as it happens, from the bundled execsnoop BPF object. */
@Command(name = "execsnoop", mixinStandardHelpOptions = true,
        description = "Print process execs live (PID, PPID, UID, COMM, ARGS) from the bundled BPF program.")
final class ExecSnoop implements Callable<Integer> {

    @Option(names = "--duration", description = "Stop after this many seconds (default: until Ctrl-C).")
    long durationSeconds;

    @Option(names = "--uid", description = "Only execs by this user id.")
    Long uid;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        AtomicLong delivered = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        long start = System.nanoTime();
        ObjectSpec spec = BpfObject.open(bundledObject(), "execsnoop");
        if (uid != null) {
            spec.variable("target_uid").set(uid);
        }
        try (BpfObject object = spec.load();
             BpfLink link = Tracepoint.attach(object.program("execsnoop").fd(), "syscalls", "sys_enter_execve")) {
            System.out.printf("%-8s %-8s %-6s %-16s %s%n", "PID", "PPID", "UID", "COMM", "ARGS");
            Disposable subscription = PerfBufferSpec.of(object.map("events"))
                    .decode(ExecEvent::decode, (cpu, count) -> {
                        lost.addAndGet(count);
                        return null;
                    })
                    .subscribe(e -> {
                        delivered.incrementAndGet();
                        System.out.printf("%-8d %-8d %-6d %-16s %s%n", e.pid(), e.ppid(), e.uid(), e.comm(),
                                String.join(" ", e.args()));
                    }, e -> {
                        report(e);
                        done.countDown();
                    }, done::countDown);
            // Ctrl-C: stop the stream and let the program, maps and rings be released before the JVM exits
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                done.countDown();
                awaitQuietly(released);
            }));
            if (durationSeconds > 0) {
                done.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                done.await();
            }
            subscription.dispose();
        } catch (BpfException e) {
            report(e);
            return 1;
        } finally {
            released.countDown();
        }
        double seconds = Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0;
        System.err.printf("delivered=%d lost=%d seconds=%.1f%n", delivered.get(), lost.get(), seconds);
        return 0;
    }

    static byte[] bundledObject() {
        try (InputStream in = ExecSnoop.class.getResourceAsStream("/bpf/execsnoop.bpf.o")) {
            if (in == null) {
                throw new IllegalStateException("bpf/execsnoop.bpf.o is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(Throwable e) {
        System.err.println("execsnoop: " + e.getMessage());
        if (verbose) {
            e.printStackTrace();
        }
    }
}
