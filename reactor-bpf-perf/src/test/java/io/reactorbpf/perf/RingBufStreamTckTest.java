package io.reactorbpf.perf;

import io.reactorbpf.core.testing.GetpgidRingSampler;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTests;
import io.reactorbpf.core.sys.Privileges;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Listeners;

import java.util.ArrayList;
import java.util.List;

/**
 * The Reactive Streams TCK against the ring buffer stream's publisher, as {@link PerfStreamTckTest} runs it
 * against the perf stream's: a publisher of n elements makes its program commit exactly n samples, then
 * completes the stream; larger publishers are fed by a producer thread until the stream ends. A publisher that
 * must fail reads a map of the wrong kind. The same TCK methods are left out, for the same reasons.
 */
@Listeners(PerfStreamTckTest.NotApplicableRules.class)
public class RingBufStreamTckTest extends PublisherVerification<Long> {

    private static final long FINITE_LIMIT = 4096;
    private static final int ATTACHED = 16;
    private static final RecordDecoder<Long> SEQUENCE = (cpu, data, offset, length) -> data.getLong(offset);
    private final List<AutoCloseable> samplers = new ArrayList<>();

    public RingBufStreamTckTest() {
        super(new TestEnvironment(2_000));
    }

    @BeforeClass
    public void checkPrivileges() {
        if (!Privileges.current().missingForBpf().isEmpty() && KernelTests.required()) {
            throw new IllegalStateException("the TCK run needs CAP_BPF and CAP_PERFMON ("
                    + KernelTests.MODE_VARIABLE + "=required)");
        }
    }

    @AfterClass
    public void closePrograms() throws Exception {
        for (AutoCloseable c : samplers) {
            c.close();
        }
    }

    private synchronized GetpgidRingSampler newSampler() throws Exception {
        if (samplers.size() >= ATTACHED) {
            samplers.remove(0).close();
        }
        GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("tck_rb" + samplers.size(), 16, 1 << 16).attach();
        samplers.add(sampler);
        return sampler;
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        RingBufStream<Long> stream;
        try {
            stream = RingBufStream.decode(newSampler().ring(), SEQUENCE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (elements > FINITE_LIMIT) {
            return subscriber -> {
                stream.subscribe(subscriber);
                Thread producer = new Thread(() -> {
                    while (stream.isLive()) {
                        GetpgidSampler.trigger(100);
                    }
                }, "tck-rb-producer");
                producer.setDaemon(true);
                producer.start();
            };
        }
        return subscriber -> {
            stream.subscribe(subscriber);
            GetpgidSampler.trigger((int) elements);
            stream.complete();
        };
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        GetpgidSampler perf = GetpgidSampler.forThisProcess("tck_rb_wrong", 16);
        synchronized (this) {
            samplers.add(perf);
        }
        return RingBufStream.decode(perf.events(), SEQUENCE);
    }
}
