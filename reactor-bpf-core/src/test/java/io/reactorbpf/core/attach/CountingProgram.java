package io.reactorbpf.core.attach;

import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Size;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.internal.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.CounterMap;
import io.reactorbpf.core.testing.GetpgidSampler;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;

/**
 * A program that counts its runs in a one-entry ARRAY map, built with the {@link Assembler}: optionally only
 * runs in process {@code tgid} ({@code bpf_get_current_pid_tgid() >> 32}). Works as any tracing program type
 * since it does not read its context. Owns its map and program. Not thread-safe.
 */
final class CountingProgram implements AutoCloseable {

    /** No tgid filter: every run counts. */
    static final int ANY_PROCESS = -1;

    private final CounterMap counter;
    private final FileDescriptor program;

    private CountingProgram(CounterMap counter, FileDescriptor program) {
        this.counter = counter;
        this.program = program;
    }

    /** Loads a counter of {@code type} for process {@code tgid} (or {@link #ANY_PROCESS}); {@code load} adds attach details. */
    static CountingProgram load(ProgType type, int tgid, UnaryOperator<ProgLoadAttr> load) {
        CounterMap counter = CounterMap.create("runs");
        try {
            Assembler asm = new Assembler();
            if (tgid != ANY_PROCESS) {
                asm.call(BpfFunc.GET_CURRENT_PID_TGID)
                        .alu64(AluOp.RSH, R0, 32)
                        .jne(R0, tgid, "out");
            }
            byte[] insns = counter.lookup(asm, "out")
                    .mov64(R1, 1)
                    .atomicAdd(Size.DW, R0, 0, R1)
                    .label("out")
                    .mov64(R0, 0)
                    .exit()
                    .build();
            return new CountingProgram(counter, Bpf.progLoad(load.apply(ProgLoadAttr.of(type, insns).name("count_runs"))));
        } catch (RuntimeException e) {
            counter.close();
            throw e;
        }
    }

    /** A counter of {@code type} for this process's runs. */
    static CountingProgram forThisProcess(ProgType type) {
        return load(type, Native.getpid(), UnaryOperator.identity());
    }

    FileDescriptor program() {
        return program;
    }

    /** How many times the program has counted so far. */
    long count() {
        return counter.read();
    }

    /** Waits until the count exceeds {@code floor} or {@code limit} passes; returns the last count read. */
    long awaitAbove(long floor, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        long n = count();
        while (n <= floor && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            n = count();
        }
        return n;
    }

    /** How much the count grows while this thread calls getpgid(0) {@code n} times. */
    long countGetpgid(int n) {
        long before = count();
        GetpgidSampler.trigger(n);
        return count() - before;
    }

    @Override
    public void close() {
        program.close();
        counter.close();
    }
}
