package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attachment of a BPF program: a BPF link descriptor, a perf event descriptor the program is bound to,
 * or both, or several such attachments made as one (a program on every CPU). The link owns its
 * descriptors; {@link #close()} detaches the program and releases them exactly once, from any thread;
 * closing again does nothing. Thread-safe.
 *
 * @since 0.1
 */
public final class BpfLink implements AutoCloseable {

    private final String description;
    private final FileDescriptor link;
    private final FileDescriptor perfEvent;
    private final List<BpfLink> parts;
    /** Runs once after the parts are closed; releases what the attachment held besides descriptors. */
    private final Runnable afterClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BpfLink(String description, FileDescriptor link, FileDescriptor perfEvent, List<BpfLink> parts,
                    Runnable afterClose) {
        this.description = description;
        this.link = link;
        this.perfEvent = perfEvent;
        this.parts = parts;
        this.afterClose = afterClose;
    }

    /** A BPF link descriptor on its own (raw tracepoint, tracing program). */
    static BpfLink ofLink(String description, FileDescriptor link) {
        return new BpfLink(description, link, null, List.of(), null);
    }

    /** A perf event with the program bound to it through {@code link}, or by PERF_EVENT_IOC_SET_BPF when null. */
    static BpfLink ofPerfEvent(String description, FileDescriptor link, FileDescriptor perfEvent) {
        return new BpfLink(description, link, perfEvent, List.of(), null);
    }

    /** Several attachments that live and close together. */
    static BpfLink composite(String description, List<BpfLink> parts) {
        return new BpfLink(description, null, null, List.copyOf(parts), null);
    }

    /** Several attachments that live and close together, then {@code afterClose} once. */
    static BpfLink composite(String description, List<BpfLink> parts, Runnable afterClose) {
        return new BpfLink(description, null, null, List.copyOf(parts), afterClose);
    }

    /**
     * What the program is attached to, e.g. "tracepoint syscalls:sys_enter_execve".
     *
     * @return the description, also after {@link #close()}
     */
    public String describe() {
        return description;
    }

    /**
     * The BPF link descriptor, for pinning or BPF_OBJ_GET_INFO_BY_FD; owned by this link, do not close it.
     * Empty when the program was bound to a perf event without a link, and for composite links.
     *
     * @return the link descriptor, valid until {@link #close()}, or empty
     */
    public Optional<FileDescriptor> linkFd() {
        return Optional.ofNullable(link);
    }

    /**
     * The perf event descriptor the program is bound to; owned by this link. Empty for BPF-link-only attachments.
     *
     * @return the perf event descriptor, valid until {@link #close()}, or empty
     */
    public Optional<FileDescriptor> perfEventFd() {
        return Optional.ofNullable(perfEvent);
    }

    /**
     * The attachments of a composite link (one per CPU), in the order they were made; empty otherwise. They are
     * owned by this link, which closes them in reverse order.
     *
     * @return an unmodifiable list
     */
    public List<BpfLink> parts() {
        return parts;
    }

    /**
     * Whether {@link #close()} has run. Any thread.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** Detaches the program: closes the link descriptor, then the perf event. Only the first call does anything. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (int i = parts.size() - 1; i >= 0; i--) {
            parts.get(i).close();
        }
        if (link != null) {
            link.close();
        }
        if (perfEvent != null) {
            perfEvent.close();
        }
        if (afterClose != null) {
            afterClose.run();
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + (closed.get() ? ", closed]" : "]");
    }
}
