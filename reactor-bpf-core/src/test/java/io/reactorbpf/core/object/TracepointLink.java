package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.LinkCreateAttr;
import io.reactorbpf.core.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.TraceFs;

/** Attaches a tracepoint program in tests through a perf event and BPF_LINK_CREATE; closing detaches it. */
final class TracepointLink implements AutoCloseable {

    private final FileDescriptor event;
    private final FileDescriptor link;

    private TracepointLink(FileDescriptor event, FileDescriptor link) {
        this.event = event;
        this.link = link;
    }

    static TracepointLink attach(BpfProgram program, String group, String name) {
        long id = TraceFs.tracepointId(group, name);
        FileDescriptor event = PerfEvent.open(PerfEventAttr.of(PerfEventAttr.TYPE_TRACEPOINT, id).samplePeriod(1), -1, 0, -1);
        return new TracepointLink(event, Bpf.linkCreate(LinkCreateAttr.perfEvent(program.fd(), event.fd(), 0)));
    }

    @Override
    public void close() {
        link.close();
        event.close();
    }
}
