package io.reactorbpf.spring.boot;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfEvent;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that requests nothing while the test execs a hundred processes: it overflows only its own buffer,
 * the subscriber beside it receives every exec, and once it reads again it learns in-stream how many it lost.
 */
@KernelTest
class SlowSubscriberTest {

    private static final int EXECS = 100;
    private static final int BUFFER = 4;

    @Test
    void aSlowSubscriberLosesOnlyItsOwnEventsAndLearnsHowManyWhileTheOtherGetsEveryOne() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReactorBpfAutoConfiguration.class))
                .withPropertyValues(Execs.PROPERTIES)
                .withPropertyValues("reactorbpf.objects.execs.streams.perf_events.subscriber-buffer=" + BUFFER)
                .run(context -> {
                    BpfEventStream stream = context.getBean("execs.perf_events", BpfEventStream.class);
                    Idle slow = new Idle();
                    stream.events().subscribe(slow);
                    List<PerfEvent> fast = new CopyOnWriteArrayList<>();
                    CountDownLatch burst = new CountDownLatch(EXECS);
                    CountDownLatch last = new CountDownLatch(EXECS + 1);
                    Disposable fastSubscription = stream.events().subscribe(e -> {
                        fast.add(e);
                        if (e instanceof PerfEvent.Sample s && Execs.file(s).equals("/bin/true")) {
                            burst.countDown();
                            last.countDown();
                        }
                    });
                    try {
                        Execs.run(EXECS);
                        assertTrue(burst.await(15, TimeUnit.SECONDS), "the fast subscriber got the burst's execs");
                        assertTrue(stream.dropped() > 0, "the idle subscriber's buffer overflowed");
                        long beforeRequest = samples(fast);

                        slow.request(Long.MAX_VALUE);
                        // the drops are reported before the next event: make one
                        Execs.run(1);
                        assertTrue(last.await(15, TimeUnit.SECONDS), "the fast subscriber got every exec");
                        long upstream = samples(fast);
                        assertTrue(slow.received(upstream).await(15, TimeUnit.SECONDS),
                                "the slow subscriber received or was told of every event");

                        assertTrue(fast.stream().noneMatch(e -> e.cpu() == BpfEventStream.SUBSCRIBER));
                        assertEquals(stream.dropped(), slow.reported());
                        // held while idle: its buffer and what was taken ahead of its demand; then the last exec's
                        assertTrue(slow.samples() <= BUFFER + SubscriberBuffer.PREFETCH + (upstream - beforeRequest),
                                slow.samples() + " samples held for the slow subscriber");
                    } finally {
                        fastSubscription.dispose();
                        slow.dispose();
                    }
                });
    }

    private static long samples(List<PerfEvent> events) {
        return events.stream().filter(e -> e instanceof PerfEvent.Sample).count();
    }

    /** Requests nothing until told to; then counts samples and reported drops. */
    private static final class Idle extends BaseSubscriber<PerfEvent> {
        private volatile long samples;
        private volatile long reported;
        private volatile long target = Long.MAX_VALUE;
        private final CountDownLatch reached = new CountDownLatch(1);

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
        }

        @Override
        protected synchronized void hookOnNext(PerfEvent event) {
            if (event instanceof PerfEvent.Lost l && l.cpu() == BpfEventStream.SUBSCRIBER) {
                reported += l.count();
            } else if (event instanceof PerfEvent.Sample) {
                samples++;
            }
            check();
        }

        /** A latch that opens once the samples received plus the drops reported reach {@code events}. */
        synchronized CountDownLatch received(long events) {
            target = events;
            check();
            return reached;
        }

        private void check() {
            if (samples + reported >= target) {
                reached.countDown();
            }
        }

        long samples() {
            return samples;
        }

        long reported() {
            return reported;
        }
    }
}
