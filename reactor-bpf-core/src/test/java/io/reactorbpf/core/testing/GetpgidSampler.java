package io.reactorbpf.core.testing;

import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Size;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.LinkCreateAttr;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.internal.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.internal.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.internal.sys.TraceFs;

import java.util.function.UnaryOperator;

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static io.reactorbpf.core.asm.Register.R3;
import static io.reactorbpf.core.asm.Register.R4;
import static io.reactorbpf.core.asm.Register.R5;
import static io.reactorbpf.core.asm.Register.R6;
import static io.reactorbpf.core.asm.Register.R7;
import static io.reactorbpf.core.asm.Register.R8;
import static io.reactorbpf.core.asm.Register.R10;

/**
 * A tracepoint program on {@code syscalls:sys_enter_getpgid}, built with the {@link Assembler}: for each
 * getpgid() call by process {@code tgid} it takes the next sequence number from a counter map and writes a
 * sample of {@code sampleSize} bytes to a PERF_EVENT_ARRAY with {@code bpf_perf_event_output(ctx, &events,
 * BPF_F_CURRENT_CPU, ...)}: u64 sequence number, u64 {@code bpf_ktime_get_ns()}, then zeros. The counter is
 * what the program produced, whether or not the sample fitted in a ring.
 *
 * <p>Owns its maps, program and attachment; {@link #close()} releases them. Not thread-safe.
 */
public final class GetpgidSampler implements AutoCloseable {

    /** BPF_F_CURRENT_CPU. */
    private static final long CURRENT_CPU = 0xffffffffL;

    // set one by one as load opens them, so that close() releases what a failed load had opened
    private BpfMap events;
    private CounterMap counter;
    private FileDescriptor scratch;
    private FileDescriptor program;
    private FileDescriptor tracepoint;
    private FileDescriptor link;

    private GetpgidSampler() {
    }

    /** Loads the program for samples of {@code sampleSize} bytes (16 or more, a multiple of 8) from process {@code tgid}. */
    public static GetpgidSampler load(String mapName, int tgid, int sampleSize) {
        return load(mapName, tgid, sampleSize, UnaryOperator.identity());
    }

    /**
     * Loads as {@link #load(String, int, int)} does; {@code attr} changes the program's load attributes. When
     * a map or the program cannot be made, closes what it had opened and rethrows.
     */
    static GetpgidSampler load(String mapName, int tgid, int sampleSize, UnaryOperator<ProgLoadAttr> attr) {
        if (sampleSize < 16 || sampleSize % 8 != 0) {
            throw new IllegalArgumentException("sample size must be a multiple of 8 and at least 16, got " + sampleSize);
        }
        GetpgidSampler sampler = new GetpgidSampler();
        try {
            sampler.events = BpfMap.create(MapCreateAttr.of(MapType.PERF_EVENT_ARRAY, mapName, 4, 4,
                    CpuSet.possible().span()));
            sampler.counter = CounterMap.create("produced");
            sampler.scratch = Bpf.mapCreate(MapCreateAttr.of(MapType.PERCPU_ARRAY, "scratch", 4, sampleSize, 1));
            byte[] insns = sampler.instructions(tgid, sampleSize);
            sampler.program = Bpf.progLoad(attr.apply(ProgLoadAttr.of(ProgType.TRACEPOINT, insns).name("getpgid_sampler")));
            return sampler;
        } catch (RuntimeException e) {
            sampler.close();
            throw e;
        }
    }

    private byte[] instructions(int tgid, int sampleSize) {
        Assembler asm = new Assembler()
                .mov64(R6, R1)
                .call(BpfFunc.GET_CURRENT_PID_TGID)
                .alu64(AluOp.RSH, R0, 32)
                .jne(R0, tgid, "out");
        return counter.lookup(asm, "out")
                .mov64(R7, 1)
                .atomicFetchAdd(Size.DW, R0, 0, R7)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .ldMapFd(R1, scratch.fd())
                .call(BpfFunc.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .mov64(R8, R0)
                .stx(Size.DW, R8, 0, R7)
                .call(BpfFunc.KTIME_GET_NS)
                .stx(Size.DW, R8, 8, R0)
                .mov64(R1, R6)
                .ldMapFd(R2, events.fd().fd())
                .ldImm64(R3, CURRENT_CPU)
                .mov64(R4, R8)
                .mov64(R5, sampleSize)
                .call(BpfFunc.PERF_EVENT_OUTPUT)
                .label("out")
                .mov64(R0, 0)
                .exit()
                .build();
    }

    /** Loads the program for this process's getpgid() calls. */
    public static GetpgidSampler forThisProcess(String mapName, int sampleSize) {
        return load(mapName, Native.getpid(), sampleSize);
    }

    /** Attaches with BPF_LINK_CREATE on a tracepoint perf event. */
    public GetpgidSampler attachWithLink() {
        openTracepoint();
        link = Bpf.linkCreate(LinkCreateAttr.perfEvent(program, tracepoint.fd(), 0));
        return this;
    }

    /** Attaches the pre-link way: PERF_EVENT_IOC_SET_BPF and PERF_EVENT_IOC_ENABLE on the tracepoint event. */
    public GetpgidSampler attachWithIoctl() {
        openTracepoint();
        PerfEvent.setBpf(tracepoint, program);
        PerfEvent.enable(tracepoint);
        return this;
    }

    private void openTracepoint() {
        long id = TraceFs.tracepointId("syscalls", "sys_enter_getpgid");
        tracepoint = PerfEvent.open(PerfEventAttr.of(PerfEventAttr.TYPE_TRACEPOINT, id).samplePeriod(1), -1, 0, -1);
    }

    /** The PERF_EVENT_ARRAY the program writes to; owned by this sampler. */
    public BpfMap events() {
        return events;
    }

    /** The program. */
    public FileDescriptor program() {
        return program;
    }

    /** How many samples the program has produced so far (read from its counter map). */
    public long produced() {
        return counter.read();
    }

    /** Calls getpgid(0) {@code n} times on the calling thread. */
    public static void trigger(int n) {
        for (int i = 0; i < n; i++) {
            Native.libc().getpgid(0);
        }
    }

    @Override
    public void close() {
        closeIfOpened(link);
        closeIfOpened(tracepoint);
        closeIfOpened(program);
        closeIfOpened(scratch);
        if (counter != null) {
            counter.close();
        }
        if (events != null) {
            events.close();
        }
    }

    private static void closeIfOpened(FileDescriptor fd) {
        if (fd != null) {
            fd.close();
        }
    }
}
