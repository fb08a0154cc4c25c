package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class EpollTest {

    @Test
    void anUnsignalledEventFdIsNotReady() {
        try (Epoll epoll = Epoll.open(4, "test"); EventFd wake = EventFd.open("test")) {
            epoll.add(wake.fd(), Epoll.IN, 7);
            assertEquals(0, epoll.await(0));
            assertEquals(0, wake.drain());
        }
    }

    @Test
    void aSignalWakesTheWaiterWithItsData() throws Exception {
        try (Epoll epoll = Epoll.open(4, "test"); EventFd wake = EventFd.open("test")) {
            epoll.add(wake.fd(), Epoll.IN, 0x1234_5678_9abcL);
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> epoll.await(10_000));
            wake.signal();
            assertEquals(1, waiter.get(5, TimeUnit.SECONDS));
            assertEquals(0x1234_5678_9abcL, epoll.data(0));
            assertTrue((epoll.readyEvents(0) & Epoll.IN) != 0);
            assertEquals(1, wake.drain());
            assertEquals(0, epoll.await(0));
        }
    }

    @Test
    void signalsCoalesceIntoOneCount() {
        try (EventFd wake = EventFd.open("test")) {
            wake.signal();
            wake.signal();
            wake.signal();
            assertEquals(3, wake.drain());
        }
    }

    @Test
    void signalAfterCloseDoesNothing() {
        EventFd wake = EventFd.open("test");
        wake.close();
        wake.close();
        wake.signal();
        assertTrue(wake.fd().isClosed());
    }

    @Test
    void aClosedDescriptorIsRefusedWithEbadf() {
        FileDescriptor fd;
        try (EventFd wake = EventFd.open("test")) {
            fd = wake.fd().duplicate("duplicate eventfd");
        }
        fd.close();
        SyscallException e = assertThrows(SyscallException.class, fd::fd);
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("EBADF"), e.getMessage());
    }
}
