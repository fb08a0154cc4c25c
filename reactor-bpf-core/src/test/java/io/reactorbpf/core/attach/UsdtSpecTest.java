package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.elf.UsdtArgument;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code struct __bpf_usdt_spec} bytes written for a probe's arguments, as bpf/usdt.bpf.h reads them. */
class UsdtSpecTest {

    private static ByteBuffer bytes(String arguments, long cookie) {
        byte[] b = new UsdtSpec(UsdtArgument.parse(arguments), cookie).bytes();
        assertEquals(208, b.length);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void aRegisterArgumentNamesItsPtRegsSlotAndTheBitsToClear() {
        ByteBuffer b = bytes("-4@%edi", 0);
        assertEquals(0, b.getLong(0), "val_off");
        assertEquals(1, b.getInt(8), "BPF_USDT_ARG_REG");
        assertEquals(112, b.getShort(12), "offsetof(struct pt_regs, di)");
        assertEquals(1, b.get(14), "signed");
        assertEquals(32, b.get(15), "arg_bitshift of a 4-byte value");
    }

    @Test
    void aConstantKeepsItsValueAndNoRegister() {
        ByteBuffer b = bytes("-2@$-7", 0);
        assertEquals(-7, b.getLong(0));
        assertEquals(0, b.getInt(8), "BPF_USDT_ARG_CONST");
        assertEquals(0, b.getShort(12));
        assertEquals(48, b.get(15));
    }

    @Test
    void aMemoryArgumentKeepsItsOffsetFromTheRegister() {
        ByteBuffer b = bytes("8@-16(%rbp)", 0);
        assertEquals(-16, b.getLong(0));
        assertEquals(2, b.getInt(8), "BPF_USDT_ARG_REG_DEREF");
        assertEquals(32, b.getShort(12), "offsetof(struct pt_regs, bp)");
        assertEquals(0, b.get(14), "unsigned");
        assertEquals(0, b.get(15), "an 8-byte value keeps every bit");
    }

    @Test
    void theCookieAndTheArgumentCountFollowTheTwelveArgumentSlots() {
        ByteBuffer b = bytes("8@%rax 1@%r9b 4@(%rsp)", 0x1122334455667788L);
        assertEquals(80, b.getShort(12), "rax");
        assertEquals(64, b.getShort(16 + 12), "r9b is part of r9");
        assertEquals(56, b.get(16 + 15), "a byte keeps 8 bits");
        assertEquals(152, b.getShort(32 + 12), "rsp");
        assertEquals(0x1122334455667788L, b.getLong(192));
        assertEquals(3, b.getShort(200));
    }

    @Test
    void everySubRegisterSitsInItsFullRegistersSlot() {
        for (String[] group : new String[][] {{"rax", "eax", "ax", "al"}, {"rsi", "esi", "si", "sil"},
                {"r12", "r12d", "r12w", "r12b"}, {"rip", "eip"}}) {
            for (String r : group) {
                assertEquals(UsdtSpec.ptRegsOffset(group[0]), UsdtSpec.ptRegsOffset(r), r);
            }
        }
    }

    @Test
    void aRegisterThatPtRegsDoesNotHoldIsNamed() {
        AttachException e = assertThrows(AttachException.class, () -> UsdtSpec.ptRegsOffset("xmm0"));
        assertTrue(e.getMessage().contains("'%xmm0'"), e.getMessage());
        assertThrows(AttachException.class, () -> UsdtSpec.ptRegsOffset("ah"), "a high byte is not the low bytes");
    }

    @Test
    void moreThanTwelveArgumentsAreRefused() {
        List<UsdtArgument> many = Collections.nCopies(13, UsdtArgument.parse("8@%rax").get(0));
        AttachException e = assertThrows(AttachException.class, () -> new UsdtSpec(many, 0));
        assertTrue(e.getMessage().contains("13 arguments"), e.getMessage());
    }
}
