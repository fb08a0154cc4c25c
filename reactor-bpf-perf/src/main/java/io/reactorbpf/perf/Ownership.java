package io.reactorbpf.perf;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * Who owns a blocking reader's rings at a moment, and the requests other threads post to that owner: the rule
 * under {@link PerfBuffer} and {@link RingBuffer}. The owner is the thread inside a reading call; with no
 * reading call running, a thread that posts a request takes ownership just long enough to apply it. Ring memory
 * is touched and released only by the owner, so a close from another thread never unmaps memory a reading call
 * still reads: the reading call is woken, stops before its next record, and the rings are released as it returns.
 *
 * <p>Threading: {@link #post}, {@link #close}, {@link #closing()} and {@link #isReleased()} from any thread;
 * {@link #owned} runs a reading call on the calling thread as the owner.
 */
final class Ownership {

    /** What the owner does with the requests. Called on the owning thread only. */
    interface Rings {

        /** Brings the rings in line with the requests posted so far (pause, resume). */
        void apply();

        /** Releases the rings for good: unmaps, closes descriptors. Called once. */
        void release();

        /** Wakes a reading call waiting in epoll_wait, so it returns and the owner applies what was posted. */
        void wake();
    }

    private final String what;
    private final Rings rings;
    private final ReentrantLock owner = new ReentrantLock();
    private final CountDownLatch released = new CountDownLatch(1);
    /** Requests posted; compared with {@link #applied} to know whether the owner has caught up. */
    private final AtomicInteger requested = new AtomicInteger();
    private volatile int applied;
    private volatile String closedBecause;

    Ownership(String what, Rings rings) {
        this.what = what;
        this.rings = rings;
    }

    /** Whether a close was posted: a reading call stops before its next record. Any thread. */
    boolean closing() {
        return closedBecause != null;
    }

    /** Whether the rings were released. Any thread. */
    boolean isReleased() {
        return released.getCount() == 0;
    }

    /**
     * Posts a request, a close when {@code closeReason} is not null; applies it here when no thread owns the
     * rings, else wakes the owner to apply it. Never waits for a reading call.
     */
    void post(String closeReason) {
        if (closeReason != null) {
            synchronized (this) {
                if (closedBecause == null) {
                    closedBecause = closeReason;
                }
            }
        }
        requested.incrementAndGet();
        if (owner.isHeldByCurrentThread()) {
            return;
        }
        if (owner.tryLock()) {
            release();
        } else {
            rings.wake();
        }
    }

    /**
     * Posts a close and, unless called by the owner (from a handler), waits until the rings are released: at once
     * when no reading call runs, else when the running one returns.
     */
    void close(String reason) {
        post(reason);
        if (!owner.isHeldByCurrentThread()) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Runs a reading call as the owner, applying the requests posted before and during it.
     *
     * @throws PerfBufferClosedException once the rings are released
     * @throws IllegalStateException when a handler calls back into its reader
     */
    int owned(IntSupplier call) {
        if (owner.isHeldByCurrentThread()) {
            throw new IllegalStateException("the handler of " + what + " called back into its reader;"
                    + " reading calls do not nest");
        }
        owner.lock();
        try {
            apply();
            if (isReleased()) {
                throw new PerfBufferClosedException(what + " is closed: " + closedBecause);
            }
            return call.getAsInt();
        } finally {
            release();
        }
    }

    /** Applies what was posted, gives up ownership, and takes it back for requests posted meanwhile. */
    private void release() {
        try {
            apply();
        } finally {
            owner.unlock();
        }
        while (requested.get() != applied && owner.tryLock()) {
            try {
                apply();
            } finally {
                owner.unlock();
            }
        }
    }

    /** Owner only: brings the rings in line with the requests. */
    private void apply() {
        int seen = requested.get();
        try {
            if (isReleased()) {
                return;
            }
            if (closing()) {
                try {
                    rings.release();
                } finally {
                    released.countDown();
                }
            } else {
                rings.apply();
            }
        } finally {
            applied = seen;
        }
    }
}
