package io.reactorbpf.perf;

import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.core.testing.KernelTests;
import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Listeners;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Reactive Streams TCK's subscriber rules against {@link UserRingBufSink}: each subscriber writes to the user
 * ring buffer of an object of its own (a map serves one sink), loaded from the committed user_ringbuf_drain object.
 * The TCK methods that only report notVerified() are left out.
 */
@Listeners(PerfStreamTckTest.NotApplicableRules.class)
public class UserRingBufSinkTckTest extends SubscriberBlackboxVerification<Long> {

    private static final RecordEncoder<Long> U64 = (value, data, offset, capacity) -> {
        data.putLong(offset, value);
        return Long.BYTES;
    };
    private final List<BpfObject> objects = new ArrayList<>();
    private byte[] object;

    public UserRingBufSinkTckTest() {
        super(new TestEnvironment(2_000));
    }

    @BeforeClass
    public void loadObject() throws IOException {
        if (!Privileges.current().missingForBpf().isEmpty() && KernelTests.required()) {
            throw new IllegalStateException("the TCK run needs CAP_BPF (" + KernelTests.MODE_VARIABLE + "=required)");
        }
        try (InputStream in = getClass().getResourceAsStream("/bpf/user_ringbuf_drain.bpf.o")) {
            object = in.readAllBytes();
        }
    }

    @AfterClass
    public synchronized void closeObjects() {
        objects.forEach(BpfObject::close);
    }

    @Override
    public synchronized Subscriber<Long> createSubscriber() {
        ObjectSpec spec = BpfObject.open(object, "user_ringbuf_drain");
        BpfObject loaded = spec.load();
        objects.add(loaded);
        return UserRingBufSink.of(loaded.map("requests"), Long.BYTES, U64);
    }

    @Override
    public Long createElement(int element) {
        return (long) element;
    }
}
