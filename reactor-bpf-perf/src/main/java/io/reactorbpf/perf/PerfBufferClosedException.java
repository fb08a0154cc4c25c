package io.reactorbpf.perf;

/**
 * A perf buffer or stream was closed: {@link PerfBuffer#poll} and the other reading calls throw it once the
 * buffer is closed, and a stream ends with it (onError) when the map it reads, or the object that map belongs
 * to, is closed under it. The message names the map.
 *
 * @since 0.1
 */
public final class PerfBufferClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * The error for a closed buffer or stream.
     *
     * @param message the map, and what closed it
     */
    public PerfBufferClosedException(String message) {
        super(message);
    }
}
