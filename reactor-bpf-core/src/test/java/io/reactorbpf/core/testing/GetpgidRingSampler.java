package io.reactorbpf.core.testing;

import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Size;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Bpf;
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

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static io.reactorbpf.core.asm.Register.R3;
import static io.reactorbpf.core.asm.Register.R4;
import static io.reactorbpf.core.asm.Register.R7;
import static io.reactorbpf.core.asm.Register.R10;

/**
 * The ring buffer twin of {@link GetpgidSampler}: a tracepoint program on {@code syscalls:sys_enter_getpgid}
 * that, for each getpgid() call by process {@code tgid}, takes the next sequence number from a counter map and
 * writes a sample of {@code sampleSize} bytes (u64 sequence number, u64 {@code bpf_ktime_get_ns()}, then zeros)
 * with {@code bpf_ringbuf_output(&rb, sample, size, 0)}, counting in a second map the outputs that failed
 * because the ring was full. So produced == delivered + failed exactly, the law a reader's loss count must meet.
 *
 * <p>Owns its maps, program and attachment; {@link #close()} releases them. Not thread-safe.
 */
public final class GetpgidRingSampler implements AutoCloseable {

    private BpfMap ring;
    private CounterMap produced;
    private CounterMap failed;
    private FileDescriptor program;
    private FileDescriptor tracepoint;
    private FileDescriptor link;

    private GetpgidRingSampler() {
    }

    /**
     * Loads the program for this process's getpgid() calls, writing {@code sampleSize}-byte samples (16 to 256,
     * a multiple of 8) into a ring buffer of {@code ringBytes} (a power-of-two number of pages).
     */
    public static GetpgidRingSampler forThisProcess(String mapName, int sampleSize, int ringBytes) {
        if (sampleSize < 16 || sampleSize > 256 || sampleSize % 8 != 0) {
            throw new IllegalArgumentException("sample size must be a multiple of 8 from 16 to 256, got " + sampleSize);
        }
        GetpgidRingSampler sampler = new GetpgidRingSampler();
        try {
            sampler.ring = BpfMap.create(MapCreateAttr.of(MapType.RINGBUF, mapName, 0, 0, ringBytes));
            sampler.produced = CounterMap.create("produced");
            sampler.failed = CounterMap.create("failed");
            byte[] insns = sampler.instructions(Native.getpid(), sampleSize);
            sampler.program = Bpf.progLoad(ProgLoadAttr.of(ProgType.TRACEPOINT, insns).name("getpgid_ring"));
            return sampler;
        } catch (RuntimeException e) {
            sampler.close();
            throw e;
        }
    }

    private byte[] instructions(int tgid, int sampleSize) {
        Assembler asm = new Assembler()
                .call(BpfFunc.GET_CURRENT_PID_TGID)
                .alu64(AluOp.RSH, R0, 32)
                .jne(R0, tgid, "out");
        asm = produced.lookup(asm, "out")
                .mov64(R7, 1)
                .atomicFetchAdd(Size.DW, R0, 0, R7)
                .stx(Size.DW, R10, -sampleSize, R7);
        for (int off = -sampleSize + 16; off < 0; off += 8) {
            asm.st(Size.DW, R10, off, 0);
        }
        asm.call(BpfFunc.KTIME_GET_NS)
                .stx(Size.DW, R10, -sampleSize + 8, R0)
                .ldMapFd(R1, ring.fd().fd())
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -sampleSize)
                .mov64(R3, sampleSize)
                .mov64(R4, 0)
                .call(BpfFunc.RINGBUF_OUTPUT)
                .jeq(R0, 0, "out");
        return failed.lookup(asm, "out")
                .mov64(R1, 1)
                .atomicAdd(Size.DW, R0, 0, R1)
                .label("out")
                .mov64(R0, 0)
                .exit()
                .build();
    }

    /** Attaches with BPF_LINK_CREATE on a tracepoint perf event. */
    public GetpgidRingSampler attach() {
        long id = TraceFs.tracepointId("syscalls", "sys_enter_getpgid");
        tracepoint = PerfEvent.open(PerfEventAttr.of(PerfEventAttr.TYPE_TRACEPOINT, id).samplePeriod(1), -1, 0, -1);
        link = Bpf.linkCreate(LinkCreateAttr.perfEvent(program, tracepoint.fd(), 0));
        return this;
    }

    /** The RINGBUF map the program writes to; owned by this sampler. */
    public BpfMap ring() {
        return ring;
    }

    /** How many samples the program tried to write. */
    public long produced() {
        return produced.read();
    }

    /** How many of them found the ring full. */
    public long failed() {
        return failed.read();
    }

    @Override
    public void close() {
        closeIfOpened(link);
        closeIfOpened(tracepoint);
        closeIfOpened(program);
        if (failed != null) {
            failed.close();
        }
        if (produced != null) {
            produced.close();
        }
        if (ring != null) {
            ring.close();
        }
    }

    private static void closeIfOpened(FileDescriptor fd) {
        if (fd != null) {
            fd.close();
        }
    }
}
