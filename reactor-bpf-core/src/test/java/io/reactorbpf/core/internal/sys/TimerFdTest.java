package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class TimerFdTest {

    @Test
    void aDisarmedTimerNeverWakesAWaiter() {
        try (Epoll epoll = Epoll.open(4, "test"); TimerFd timer = TimerFd.open("test")) {
            epoll.add(timer.fd(), Epoll.IN, 3);
            assertEquals(0, epoll.await(50));
            assertEquals(0, timer.drain());
        }
    }

    @Test
    void anArmedTimerWakesAWaiterWithNoTimeoutEachPeriodUntilDisarmed() {
        try (Epoll epoll = Epoll.open(4, "test"); TimerFd timer = TimerFd.open("test")) {
            epoll.add(timer.fd(), Epoll.IN, 3);
            long start = System.nanoTime();
            timer.every(2_000_000);
            for (int i = 0; i < 5; i++) {
                assertEquals(1, epoll.await(-1));
                assertEquals(3, epoll.data(0));
                assertTrue(timer.drain() >= 1, "a wakeup reads at least one expiry");
            }
            assertTrue(System.nanoTime() - start >= 10_000_000, "five periods of 2 ms take at least 10 ms");
            timer.every(0);
            timer.drain();
            assertEquals(0, epoll.await(20), "disarmed, the timer stays silent");
        }
    }

    @Test
    void expiriesCountWhileNobodyReads() throws InterruptedException {
        try (TimerFd timer = TimerFd.open("test")) {
            timer.every(1_000_000);
            Thread.sleep(30);
            assertTrue(timer.drain() >= 10, "30 ms of a 1 ms timer");
        }
    }

    @Test
    void aNegativePeriodIsRefused() {
        try (TimerFd timer = TimerFd.open("test")) {
            assertThrows(IllegalArgumentException.class, () -> timer.every(-1));
        }
    }
}
