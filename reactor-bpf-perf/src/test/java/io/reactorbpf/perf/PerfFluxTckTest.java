package io.reactorbpf.perf;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTests;
import io.reactorbpf.core.sys.Privileges;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

import java.util.ArrayList;
import java.util.List;

/**
 * The Reactive Streams TCK against the perf buffer's publisher. A publisher of n elements subscribes to
 * the samples of a real tracepoint program, makes the program write exactly n samples, then completes the
 * stream, which hands out what the rings hold and signals onComplete. Each publisher has its own program
 * and map, since the TCK leaves some subscriptions open and a map serves one buffer at a time.
 */
public class PerfFluxTckTest extends PublisherVerification<PerfEvent.Sample> {

    /** Larger publishers are infinite: a producer thread writes samples until the stream ends. */
    private static final long FINITE_LIMIT = 4096;
    /** A tracepoint takes at most 64 programs; the TCK leaves some streams open, so older programs are detached. */
    private static final int ATTACHED = 16;
    private final List<GetpgidSampler> samplers = new ArrayList<>();

    public PerfFluxTckTest() {
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
    public void closePrograms() {
        samplers.forEach(GetpgidSampler::close);
    }

    private synchronized PerfBufferSpec newSpec() {
        if (samplers.size() >= ATTACHED) {
            samplers.remove(0).close();
        }
        GetpgidSampler sampler = GetpgidSampler.forThisProcess("tck" + samplers.size(), 16).attachWithLink();
        samplers.add(sampler);
        return PerfBufferSpec.of(sampler.events());
    }

    @Override
    public Publisher<PerfEvent.Sample> createPublisher(long elements) {
        PerfBufferSpec spec = newSpec();
        if (elements > FINITE_LIMIT) {
            return subscriber -> {
                spec.samples().subscribe(subscriber);
                Thread producer = new Thread(() -> {
                    // resume() answers false once the stream has ended and its buffer is closed
                    while (spec.resume()) {
                        GetpgidSampler.trigger(100);
                    }
                }, "tck-producer");
                producer.setDaemon(true);
                producer.start();
            };
        }
        return subscriber -> {
            spec.samples().subscribe(subscriber);
            GetpgidSampler.trigger((int) elements);
            spec.complete();
        };
    }

    @Override
    public Publisher<PerfEvent.Sample> createFailedPublisher() {
        // rings that cannot open: an explicit CPU that does not exist
        int missing = CpuSet.possible().span() + 64;
        return newSpec().withRaw(PerfEventAttr.bpfOutput(1), new int[] {missing}, new int[] {0}).samples();
    }

}
