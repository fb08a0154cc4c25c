package io.reactorbpf.core.asm;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.internal.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.sys.VerifierException;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static io.reactorbpf.core.asm.Register.FP;
import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static io.reactorbpf.core.asm.Register.R3;
import static io.reactorbpf.core.asm.Register.R4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Programs built with {@link Assembler} pass the verifier and compute what they say when the kernel runs them. */
@KernelTest
class AssemblerKernelTest {

    /** A socket filter's test run needs at least an Ethernet header of packet data. */
    private static final byte[] PACKET = new byte[64];

    private static int run(Assembler program) {
        try (FileDescriptor prog = Bpf.progLoad(ProgLoadAttr.of(ProgType.SOCKET_FILTER, program.build()).name("asm_test"))) {
            return Bpf.progTestRun(prog, PACKET, 0, null, 1).retval();
        }
    }

    private static FileDescriptor arrayOfOneLong(String name) {
        return Bpf.mapCreate(MapCreateAttr.of(MapType.ARRAY, name, 4, 8, 1));
    }

    private static long valueAtKeyZero(FileDescriptor map) {
        NativeBuffer key = NativeBuffer.allocate(4);
        NativeBuffer value = NativeBuffer.allocate(8);
        assertTrue(Bpf.mapLookupElem(map, key, value, 0));
        return value.buffer().getLong(0);
    }

    @Test
    void aluProgramReturnsItsResult() {
        assertEquals(42, run(new Assembler().mov64(R0, 6).alu64(AluOp.MUL, R0, 7).exit()));
    }

    @Test
    void forwardJumpSkipsInstructions() {
        assertEquals(1, run(new Assembler().mov64(R0, 1).mov64(R1, 0).jeq(R1, 0, "out").mov64(R0, 2)
                .label("out").exit()));
    }

    @Test
    void backwardJumpMakesABoundedLoop() {
        Assembler sum = new Assembler()
                .mov64(R0, 0)
                .mov64(R1, 1)
                .label("loop")
                .alu64(AluOp.ADD, R0, R1)
                .alu64(AluOp.ADD, R1, 1)
                .jmp(JumpOp.JLE, R1, 10, "loop")
                .exit();
        assertEquals(55, run(sum));
    }

    @Test
    void bpfToBpfCallReturnsTheSubprogramsResult() {
        Assembler program = new Assembler()
                .mov64(R1, 21)
                .call("twice")
                .exit()
                .label("twice")
                .mov64(R0, R1)
                .alu64(AluOp.MUL, R0, 2)
                .exit();
        assertEquals(42, run(program));
    }

    @Test
    void stackStoreAndLoadRoundTrip() {
        assertEquals(0x1234, run(new Assembler().st(Size.W, FP, -4, 0x1234).ldx(Size.W, R0, FP, -4).exit()));
    }

    @Test
    void helperCallReturnsInR0() {
        Assembler nonZeroTime = new Assembler()
                .call(BpfFunc.KTIME_GET_NS)
                .mov64(R1, R0)
                .mov64(R0, 1)
                .jne(R1, 0, "out")
                .mov64(R0, 0)
                .label("out")
                .exit();
        assertEquals(1, run(nonZeroTime));
    }

    @Test
    void mapUpdateThroughLdMapFdChangesTheMap() {
        try (FileDescriptor map = arrayOfOneLong("asm_update")) {
            Assembler update = new Assembler()
                    .st(Size.W, FP, -4, 0)
                    .ldImm64(R1, 0x1_0000_0001L)
                    .stx(Size.DW, FP, -16, R1)
                    .ldMapFd(R1, map.fd())
                    .mov64(R2, FP)
                    .alu64(AluOp.ADD, R2, -4)
                    .mov64(R3, FP)
                    .alu64(AluOp.ADD, R3, -16)
                    .mov64(R4, (int) Bpf.ANY)
                    .call(BpfFunc.MAP_UPDATE_ELEM)
                    .exit();
            assertEquals(0, run(update));
            assertEquals(0x1_0000_0001L, valueAtKeyZero(map));
        }
    }

    @Test
    void ldMapValueReadsTheValueDirectly() {
        try (FileDescriptor map = arrayOfOneLong("asm_value")) {
            NativeBuffer key = NativeBuffer.allocate(4);
            NativeBuffer value = NativeBuffer.allocate(8);
            value.buffer().putInt(4, 42);
            Bpf.mapUpdateElem(map, key, value, Bpf.ANY);
            assertEquals(42, run(new Assembler().ldMapValue(R1, map.fd(), 4).ldx(Size.W, R0, R1, 0).exit()));
        }
    }

    @Test
    void atomicAddIncrementsAMapValue() {
        try (FileDescriptor map = arrayOfOneLong("asm_atomic")) {
            Assembler increment = new Assembler()
                    .ldMapValue(R1, map.fd(), 0)
                    .mov64(R2, 5)
                    .atomicAdd(Size.DW, R1, 0, R2)
                    .mov64(R0, 0)
                    .exit();
            run(increment);
            run(increment);
            assertEquals(10, valueAtKeyZero(map));
        }
    }

    @Test
    void readingAnUninitializedRegisterIsRejectedWithTheLog() {
        byte[] program = new Assembler().mov64(R0, R2).exit().build();
        VerifierException e = assertThrows(VerifierException.class,
                () -> Bpf.progLoad(ProgLoadAttr.of(ProgType.SOCKET_FILTER, program).name("asm_bad")));
        assertFalse(e.log().isEmpty());
        assertTrue(e.log().contains("R2 !read_ok"), e.log());
        assertTrue(e.getMessage().contains(e.log()), e.getMessage());
    }

    @Test
    void programWithoutExitIsRejectedWithTheLog() {
        byte[] program = new Assembler().mov64(R0, 0).build();
        VerifierException e = assertThrows(VerifierException.class,
                () -> Bpf.progLoad(ProgLoadAttr.of(ProgType.SOCKET_FILTER, program).name("asm_no_exit")));
        assertFalse(e.log().isEmpty());
        assertTrue(e.getMessage().contains(e.log()), e.getMessage());
    }
}
