package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.BpfException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tracepoint facts from tracefs. Thread-safe. */
public final class TraceFs {

    private TraceFs() {
    }

    /**
     * The id of tracepoint {@code group:name} (events/GROUP/NAME/id), the config of a PERF_TYPE_TRACEPOINT
     * event. Throws a {@link BpfException} naming the tracepoint when the kernel has none of that name.
     */
    public static long tracepointId(String group, String name) {
        Path dir = PseudoFs.TRACEFS.mountPoint().resolve("events").resolve(group).resolve(name);
        Path id = dir.resolve("id");
        try {
            return Long.parseLong(Files.readString(id).strip());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BpfException("tracepoint " + group + ":" + name + " does not exist on this kernel (no " + id
                    + "); list them with: ls " + dir.getParent().getParent());
        } catch (IOException | NumberFormatException e) {
            throw new BpfException("cannot read tracepoint id from " + id + ": " + e.getMessage(), e);
        }
    }
}
