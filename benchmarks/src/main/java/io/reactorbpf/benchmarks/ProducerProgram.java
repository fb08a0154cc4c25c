package io.reactorbpf.benchmarks;

import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.JumpOp;
import io.reactorbpf.core.asm.Size;
import io.reactorbpf.core.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.LinkCreateAttr;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.NativeBuffer;
import io.reactorbpf.core.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.sys.TraceFs;

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
 * The benchmark producer, {@code src/main/bpf/producer.bpf.c}, loaded for the Java consumer: the same maps
 * ({@code events}, per-CPU {@code produced} and {@code scratch}, a frozen read-only {@code .rodata} holding
 * {@code target_tgid} and {@code sample_size}) and, instruction for instruction, the code clang emits for it,
 * attached to {@code syscalls:sys_enter_getpgid} with a BPF link. It is assembled here because the ELF object
 * loader is not available yet; this class is the only place that changes when {@code producer.bpf.o} can be
 * opened directly.
 *
 * <p>Owns its maps, program and attachment; {@link #close()} releases them. Not thread-safe.
 */
final class ProducerProgram implements AutoCloseable {

    /** The largest sample, the size of the scratch value. */
    static final int MAX_SAMPLE = 1024;
    /** BPF_F_CURRENT_CPU. */
    private static final long CURRENT_CPU = 0xffffffffL;
    /** BPF_F_RDONLY_PROG: libbpf creates .rodata read-only for programs, then freezes it. */
    private static final int RDONLY_PROG = 1 << 7;

    private final FileDescriptor events;
    private final FileDescriptor produced;
    private final FileDescriptor scratch;
    private final FileDescriptor rodata;
    private final FileDescriptor program;
    private final FileDescriptor tracepoint;
    private final FileDescriptor link;
    private final int possibleCpus;

    private ProducerProgram(FileDescriptor events, FileDescriptor produced, FileDescriptor scratch, FileDescriptor rodata,
                            FileDescriptor program, FileDescriptor tracepoint, FileDescriptor link, int possibleCpus) {
        this.events = events;
        this.produced = produced;
        this.scratch = scratch;
        this.rodata = rodata;
        this.program = program;
        this.tracepoint = tracepoint;
        this.link = link;
        this.possibleCpus = possibleCpus;
    }

    /** Loads and attaches the producer for getpgid() calls of process {@code tgid}, writing {@code sampleSize}-byte samples. */
    static ProducerProgram attach(int tgid, int sampleSize) {
        int cpus = CpuSet.possible().span();
        FileDescriptor events = Bpf.mapCreate(MapCreateAttr.of(MapType.PERF_EVENT_ARRAY, "events", 4, 4, cpus));
        FileDescriptor produced = Bpf.mapCreate(MapCreateAttr.of(MapType.PERCPU_ARRAY, "produced", 4, 8, 1));
        FileDescriptor scratch = Bpf.mapCreate(MapCreateAttr.of(MapType.PERCPU_ARRAY, "scratch", 4, MAX_SAMPLE, 1));
        FileDescriptor rodata = Bpf.mapCreate(MapCreateAttr.of(MapType.ARRAY, "producer.rodata", 4, 8, 1)
                .withFlags(RDONLY_PROG));
        NativeBuffer key = NativeBuffer.allocate(4);
        NativeBuffer config = NativeBuffer.allocate(8);
        config.buffer().putInt(0, tgid).putInt(4, sampleSize);
        Bpf.mapUpdateElem(rodata, key, config, Bpf.ANY);
        Bpf.mapFreeze(rodata);
        byte[] insns = new Assembler()
                .mov64(R6, R1)
                .mov64(R1, 0)
                .stx(Size.W, R10, -4, R1)
                .call(BpfFunc.GET_CURRENT_PID_TGID)
                .ldMapValue(R1, rodata.fd(), 0)
                .ldx(Size.W, R1, R1, 0)
                .alu64(AluOp.RSH, R0, 32)
                .jne(R1, R0, "out")
                .mov64(R7, R10)
                .alu64(AluOp.ADD, R7, -4)
                .ldMapFd(R1, produced.fd())
                .mov64(R2, R7)
                .call(BpfFunc.MAP_LOOKUP_ELEM)
                .mov64(R8, R0)
                .ldMapFd(R1, scratch.fd())
                .mov64(R2, R7)
                .call(BpfFunc.MAP_LOOKUP_ELEM)
                .mov64(R7, R0)
                .jeq(R8, 0, "out")
                .jeq(R7, 0, "out")
                .ldx(Size.DW, R1, R8, 0)
                .alu64(AluOp.ADD, R1, 1)
                .stx(Size.DW, R8, 0, R1)
                .stx(Size.DW, R7, 0, R1)
                .call(BpfFunc.KTIME_GET_NS)
                .stx(Size.DW, R7, 8, R0)
                .ldMapValue(R1, rodata.fd(), 4)
                .ldx(Size.W, R5, R1, 0)
                .jmp(JumpOp.JGT, R5, 16, "at_least_16")
                .mov64(R5, 16)
                .label("at_least_16")
                .mov64(R1, MAX_SAMPLE)
                .jmp(JumpOp.JGT, R1, R5, "at_most_max")
                .mov64(R5, MAX_SAMPLE)
                .label("at_most_max")
                .mov64(R1, R6)
                .ldMapFd(R2, events.fd())
                .ldImm64(R3, CURRENT_CPU)
                .mov64(R4, R7)
                .call(BpfFunc.PERF_EVENT_OUTPUT)
                .label("out")
                .mov64(R0, 0)
                .exit()
                .build();
        FileDescriptor program = Bpf.progLoad(ProgLoadAttr.of(ProgType.TRACEPOINT, insns).license("GPL").name("produce"));
        long id = TraceFs.tracepointId("syscalls", "sys_enter_getpgid");
        FileDescriptor tracepoint = PerfEvent.open(PerfEventAttr.of(PerfEventAttr.TYPE_TRACEPOINT, id).samplePeriod(1),
                -1, 0, -1);
        FileDescriptor link = Bpf.linkCreate(LinkCreateAttr.perfEvent(program, tracepoint.fd(), 0));
        return new ProducerProgram(events, produced, scratch, rodata, program, tracepoint, link, cpus);
    }

    /** The PERF_EVENT_ARRAY the program writes to; owned by this object. */
    FileDescriptor events() {
        return events;
    }

    /** Samples produced so far on all CPUs, fitted in a ring or not. */
    long produced() {
        NativeBuffer key = NativeBuffer.allocate(4);
        NativeBuffer values = NativeBuffer.allocate(8 * possibleCpus);
        Bpf.mapLookupElem(produced, key, values, 0);
        long sum = 0;
        for (int cpu = 0; cpu < possibleCpus; cpu++) {
            sum += values.buffer().getLong(8 * cpu);
        }
        return sum;
    }

    @Override
    public void close() {
        link.close();
        tracepoint.close();
        program.close();
        rodata.close();
        scratch.close();
        produced.close();
        events.close();
    }
}
