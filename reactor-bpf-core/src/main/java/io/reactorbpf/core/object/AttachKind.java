package io.reactorbpf.core.object;

/** How a program is attached, as its section name says; {@link #NONE} for programs that are not auto-attached. */
public enum AttachKind {
    TRACEPOINT, RAW_TRACEPOINT, TRACING, KPROBE, KRETPROBE, UPROBE, URETPROBE, NONE
}
