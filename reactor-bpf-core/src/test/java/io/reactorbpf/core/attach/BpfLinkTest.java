package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.sys.EventFd;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.Native;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ownership rules, checked with eventfds standing in for link and perf event descriptors. */
class BpfLinkTest {

    private static final int F_GETFD = 1;

    private static FileDescriptor descriptor(String what) {
        return EventFd.open(what).fd();
    }

    private static boolean isOpenInTheKernel(int fd) {
        return Native.libc().fcntl(fd, F_GETFD, 0) >= 0;
    }

    @Test
    void closeReleasesTheLinkAndThePerfEvent() {
        FileDescriptor link = descriptor("link");
        FileDescriptor event = descriptor("event");
        int linkNumber = link.fd();
        int eventNumber = event.fd();
        BpfLink l = BpfLink.ofPerfEvent("tracepoint a:b", link, event);
        l.close();
        assertTrue(l.isClosed() && link.isClosed() && event.isClosed());
        assertFalse(isOpenInTheKernel(linkNumber));
        assertFalse(isOpenInTheKernel(eventNumber));
    }

    @Test
    void closingAgainLeavesDescriptorsThatReusedTheNumbersOpen() {
        BpfLink l = BpfLink.ofPerfEvent("tracepoint a:b", descriptor("link"), descriptor("event"));
        l.close();
        FileDescriptor reused1 = descriptor("reused 1");
        FileDescriptor reused2 = descriptor("reused 2");
        try {
            l.close();
            assertTrue(isOpenInTheKernel(reused1.fd()) && isOpenInTheKernel(reused2.fd()));
        } finally {
            reused1.close();
            reused2.close();
        }
    }

    @Test
    void racingClosesCloseOnce() throws InterruptedException {
        FileDescriptor link = descriptor("link");
        BpfLink l = BpfLink.ofLink("raw_tracepoint sys_enter", link);
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    l.close();
                } catch (Throwable e) {
                    failures.incrementAndGet();
                }
            });
            t.start();
            closers.add(t);
        }
        start.countDown();
        for (Thread t : closers) {
            t.join();
        }
        assertEquals(0, failures.get());
        assertTrue(l.isClosed() && link.isClosed());
    }

    @Test
    void compositeCloseClosesEveryPart() {
        BpfLink a = BpfLink.ofPerfEvent("cpu 0", descriptor("link 0"), descriptor("event 0"));
        BpfLink b = BpfLink.ofPerfEvent("cpu 1", null, descriptor("event 1"));
        BpfLink all = BpfLink.composite("perf_event on CPUs 0-1", List.of(a, b));
        all.close();
        assertTrue(a.isClosed() && b.isClosed() && b.perfEventFd().orElseThrow().isClosed());
        assertTrue(all.linkFd().isEmpty() && all.perfEventFd().isEmpty());
    }

    @Test
    void perfEventBoundWithoutALinkHasOnlyThePerfEvent() {
        try (BpfLink l = BpfLink.ofPerfEvent("tracepoint a:b", null, descriptor("event"))) {
            assertTrue(l.linkFd().isEmpty() && l.perfEventFd().isPresent());
        }
    }

    @Test
    void describesItsTargetAndState() {
        BpfLink l = BpfLink.ofLink("tp_btf sys_enter", descriptor("link"));
        assertEquals("tp_btf sys_enter", l.describe());
        assertEquals("BpfLink[tp_btf sys_enter]", l.toString());
        l.close();
        assertEquals("BpfLink[tp_btf sys_enter, closed]", l.toString());
    }
}
