package io.reactorbpf.perf;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTests;
import io.reactorbpf.core.sys.Privileges;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.IMethodInstance;
import org.testng.IMethodInterceptor;
import org.testng.ITestContext;
import org.testng.ITestNGMethod;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Listeners;
import org.testng.annotations.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Map.entry;
import static org.testng.Assert.assertTrue;

/**
 * The Reactive Streams TCK against the perf buffer's publisher. A publisher of n elements subscribes to
 * the samples of a real tracepoint program, makes the program write exactly n samples, then completes the
 * stream, which hands out what the rings hold and signals onComplete. Each publisher has its own program
 * and map, since the TCK leaves some subscriptions open and a map serves one buffer at a time.
 * The TCK methods that cannot verify this publisher are left out by {@link NotApplicableRules}, so the run
 * reports no skipped test.
 */
@Listeners(PerfStreamTckTest.NotApplicableRules.class)
public class PerfStreamTckTest extends PublisherVerification<PerfEvent.Sample> {

    /** Larger publishers are infinite: a producer thread writes samples until the stream ends. */
    private static final long FINITE_LIMIT = 4096;
    /** A tracepoint takes at most 64 programs; the TCK leaves some streams open, so older programs are detached. */
    private static final int ATTACHED = 16;
    private final List<GetpgidSampler> samplers = new ArrayList<>();

    public PerfStreamTckTest() {
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

    private synchronized GetpgidSampler newSampler() {
        if (samplers.size() >= ATTACHED) {
            samplers.remove(0).close();
        }
        GetpgidSampler sampler = GetpgidSampler.forThisProcess("tck" + samplers.size(), 16).attachWithLink();
        samplers.add(sampler);
        return sampler;
    }

    @Override
    public Publisher<PerfEvent.Sample> createPublisher(long elements) {
        PerfStream<PerfEvent.Sample> stream = PerfStream.samples(newSampler().events(), PerfBufferOptions.defaults());
        if (elements > FINITE_LIMIT) {
            return subscriber -> {
                stream.subscribe(subscriber);
                Thread producer = new Thread(() -> {
                    while (stream.isLive()) {
                        GetpgidSampler.trigger(100);
                    }
                }, "tck-producer");
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
    public Publisher<PerfEvent.Sample> createFailedPublisher() {
        // rings that cannot open: an explicit CPU that does not exist
        int missing = CpuSet.possible().span() + 64;
        return PerfStream.samples(newSampler().events(), PerfBufferOptions.builder()
                .raw(PerfEventAttr.bpfOutput(1), new int[] {missing}, new int[] {0}).build());
    }

    @Test
    public void everyLeftOutRuleIsAnUntestedOrOptionalTckMethod() throws NoSuchMethodException {
        for (String name : NotApplicableRules.REASONS.keySet()) {
            Method method = PublisherVerification.class.getMethod(name);
            assertTrue(method.isAnnotationPresent(Test.class), name + " is not a TCK test method");
            assertTrue(name.startsWith("untested_") || name.startsWith("optional_"),
                    name + " is a required rule and must run");
        }
    }

    /**
     * Removes, by exact name, the TCK methods that cannot verify the streams' publishers, before TestNG runs
     * (or, on the JUnit Platform, discovers) them. TestNG applies a listener named on one class to the whole
     * suite, so only the stream and sink TCK classes' methods are touched. Stateless; called on TestNG's runner thread.
     */
    public static final class NotApplicableRules implements IMethodInterceptor {

        private static final String UNTESTED = "the TCK has no test for this rule: the method only reports notVerified()";
        private static final String UNICAST = "optional multi-subscriber rule: the publisher is unicast and rejects a"
                + " second subscriber, as PerfStreamKernelTest.aSecondConcurrentSubscriberIsToldToShare specifies";

        /** TCK method name to the reason it does not apply. */
        static final Map<String, String> REASONS = Map.ofEntries(
                entry("untested_spec106_mustConsiderSubscriptionCancelledAfterOnErrorOrOnCompleteHasBeenCalled", UNTESTED),
                entry("untested_spec107_mustNotEmitFurtherSignalsOnceOnErrorHasBeenSignalled", UNTESTED),
                entry("untested_spec108_possiblyCanceledSubscriptionShouldNotReceiveOnErrorOrOnCompleteSignals", UNTESTED),
                entry("untested_spec109_subscribeShouldNotThrowNonFatalThrowable", UNTESTED),
                entry("untested_spec110_rejectASubscriptionRequestIfTheSameSubscriberSubscribesTwice", UNTESTED),
                entry("untested_spec304_requestShouldNotPerformHeavyComputations", UNTESTED),
                entry("untested_spec305_cancelMustNotSynchronouslyPerformHeavyComputation", UNTESTED),
                entry("optional_spec111_maySupportMultiSubscribe", UNICAST),
                entry("optional_spec111_registeredSubscribersMustReceiveOnNextOrOnCompleteSignals", UNICAST),
                entry("optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingOneByOne", UNICAST),
                entry("optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfront", UNICAST),
                entry("optional_spec111_multicast_mustProduceTheSameElementsInTheSameSequenceToAllOfItsSubscribersWhenRequestingManyUpfrontAndCompleteAsExpected", UNICAST));

        @Override
        public List<IMethodInstance> intercept(List<IMethodInstance> methods, ITestContext context) {
            return methods.stream().filter(m -> !notApplicable(m.getMethod())).toList();
        }

        private static boolean notApplicable(ITestNGMethod method) {
            // getRealClass() names the declaring class, the TCK base; the test class is the subclass that runs it
            Class<?> test = method.getTestClass().getRealClass();
            if (test == UserRingBufSinkTckTest.class) {
                // the subscriber TCK's untested_ methods, like the publisher's, only report notVerified()
                return method.getMethodName().startsWith("untested_");
            }
            return (test == PerfStreamTckTest.class || test == RingBufStreamTckTest.class)
                    && REASONS.containsKey(method.getMethodName());
        }
    }
}
