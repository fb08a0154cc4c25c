package io.reactorbpf.core.attach;

/** How a program is bound to its event: through a BPF link where the kernel has one, or the pre-link way. */
enum AttachMode {
    /** BPF_LINK_CREATE, falling back to the pre-link command when the kernel refuses links for this target. */
    PREFER_LINK,
    /** The pre-link command only (PERF_EVENT_IOC_SET_BPF, or BPF_RAW_TRACEPOINT_OPEN for tracing programs). */
    LEGACY
}
