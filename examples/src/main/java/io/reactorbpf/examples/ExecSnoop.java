package io.reactorbpf.examples;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.perf.PerfBufferSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Prints every exec on the machine as it happens, streamed from a BPF program through a perf buffer. */
@Command(name = "execsnoop", mixinStandardHelpOptions = true,
        description = "Print process execs live (PID, UID, COMM) from a BPF tracepoint program.")
final class ExecSnoop implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--duration", description = "Stop after this many seconds (default: until Ctrl-C).")
    long durationSeconds;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        AtomicLong delivered = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        long start = System.nanoTime();
        try (ExecProgram program = ExecProgram.loadAndAttach()) {
            System.out.printf("%-8s %-8s %-16s%n", "PID", "UID", "COMM");
            Disposable subscription = PerfBufferSpec.of(program.events())
                    .decode(ExecProgram.Exec::decode, (cpu, count) -> {
                        lost.addAndGet(count);
                        return null;
                    })
                    .subscribe(e -> {
                        delivered.incrementAndGet();
                        System.out.printf("%-8d %-8d %-16s%n", e.pid(), e.uid(), e.comm());
                    }, e -> {
                        report(e);
                        done.countDown();
                    }, done::countDown);
            // Ctrl-C: stop the stream and let the program, map and rings be released before the JVM exits
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
