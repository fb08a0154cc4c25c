package io.reactorbpf.examples;

import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Size;
import io.reactorbpf.core.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.LinkCreateAttr;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.sys.TraceFs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static io.reactorbpf.core.asm.Register.R3;
import static io.reactorbpf.core.asm.Register.R4;
import static io.reactorbpf.core.asm.Register.R5;
import static io.reactorbpf.core.asm.Register.R6;
import static io.reactorbpf.core.asm.Register.R10;

/**
 * A tracepoint program on {@code sched:sched_process_exec}, assembled in Java, that writes one 32-byte sample
 * per exec: u32 pid, u32 uid, char comm[16], u64 bpf_ktime_get_ns(). Owns its map, program and link.
 */
final class ExecProgram implements AutoCloseable {

    static final int SAMPLE_SIZE = 32;

    /** One decoded exec sample. */
    record Exec(int cpu, int pid, int uid, String comm, long timestampNanos) {

        static Exec decode(int cpu, ByteBuffer data, int offset, int length) {
            int pid = data.getInt(offset);
            int uid = data.getInt(offset + 4);
            int n = 0;
            while (n < 16 && data.get(offset + 8 + n) != 0) {
                n++;
            }
            byte[] comm = new byte[n];
            data.get(offset + 8, comm);
            return new Exec(cpu, pid, uid, new String(comm, StandardCharsets.UTF_8), data.getLong(offset + 24));
        }
    }

    private final FileDescriptor events;
    private final FileDescriptor program;
    private final FileDescriptor tracepoint;
    private final FileDescriptor link;

    private ExecProgram(FileDescriptor events, FileDescriptor program, FileDescriptor tracepoint, FileDescriptor link) {
        this.events = events;
        this.program = program;
        this.tracepoint = tracepoint;
        this.link = link;
    }

    static ExecProgram loadAndAttach() {
        FileDescriptor events = Bpf.mapCreate(MapCreateAttr.of(MapType.PERF_EVENT_ARRAY, "execs", 4, 4,
                CpuSet.possible().span()));
        FileDescriptor program = null;
        FileDescriptor tracepoint = null;
        try {
            byte[] insns = new Assembler()
                    .mov64(R6, R1)
                    .call(BpfFunc.GET_CURRENT_PID_TGID)
                    .alu64(AluOp.RSH, R0, 32)
                    .stx(Size.W, R10, -32, R0)
                    .call(BpfFunc.GET_CURRENT_UID_GID)
                    .stx(Size.W, R10, -28, R0)
                    .mov64(R1, R10).alu64(AluOp.ADD, R1, -24)
                    .mov64(R2, 16)
                    .call(BpfFunc.GET_CURRENT_COMM)
                    .call(BpfFunc.KTIME_GET_NS)
                    .stx(Size.DW, R10, -8, R0)
                    .mov64(R1, R6)
                    .ldMapFd(R2, events.fd())
                    .ldImm64(R3, 0xffffffffL)
                    .mov64(R4, R10).alu64(AluOp.ADD, R4, -32)
                    .mov64(R5, SAMPLE_SIZE)
                    .call(BpfFunc.PERF_EVENT_OUTPUT)
                    .mov64(R0, 0)
                    .exit()
                    .build();
            program = Bpf.progLoad(ProgLoadAttr.of(ProgType.TRACEPOINT, insns).name("execs"));
            long id = TraceFs.tracepointId("sched", "sched_process_exec");
            tracepoint = PerfEvent.open(PerfEventAttr.of(PerfEventAttr.TYPE_TRACEPOINT, id).samplePeriod(1), -1, 0, -1);
            FileDescriptor link = Bpf.linkCreate(LinkCreateAttr.perfEvent(program, tracepoint.fd(), 0));
            return new ExecProgram(events, program, tracepoint, link);
        } catch (RuntimeException e) {
            if (tracepoint != null) {
                tracepoint.close();
            }
            if (program != null) {
                program.close();
            }
            events.close();
            throw e;
        }
    }

    /** The PERF_EVENT_ARRAY the program writes to. */
    FileDescriptor events() {
        return events;
    }

    @Override
    public void close() {
        link.close();
        tracepoint.close();
        program.close();
        events.close();
    }
}
