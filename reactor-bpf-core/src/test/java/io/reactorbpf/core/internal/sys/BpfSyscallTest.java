package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the bpf(2) layer reports failures: absent keys are answers, bad descriptors are typed errors. */
@KernelTest
class BpfSyscallTest {

    private static FileDescriptor hashMap() {
        return Bpf.mapCreate(MapCreateAttr.of(MapType.HASH, "sys_test", 4, 8, 4));
    }

    @Test
    void lookupOfAMissingKeyReturnsFalse() {
        try (FileDescriptor map = hashMap()) {
            NativeBuffer key = NativeBuffer.allocate(4);
            key.buffer().putInt(0, 7);
            assertFalse(Bpf.mapLookupElem(map, key, NativeBuffer.allocate(8), 0));
        }
    }

    @Test
    void lookupOfAPresentKeyReturnsTrueWithTheValue() {
        try (FileDescriptor map = hashMap()) {
            NativeBuffer key = NativeBuffer.allocate(4);
            NativeBuffer value = NativeBuffer.allocate(8);
            value.buffer().putLong(0, 99);
            Bpf.mapUpdateElem(map, key, value, Bpf.NOEXIST);
            NativeBuffer read = NativeBuffer.allocate(8);
            assertTrue(Bpf.mapLookupElem(map, key, read, 0));
            assertEquals(99, read.buffer().getLong(0));
        }
    }

    @Test
    void closedDescriptorFailsWithEbadf() {
        FileDescriptor map = hashMap();
        map.close();
        SyscallException e = assertThrows(SyscallException.class,
                () -> Bpf.mapLookupElem(map, NativeBuffer.allocate(4), NativeBuffer.allocate(8), 0));
        assertEquals(Errno.EBADF, e.errno());
    }

    @Test
    void bogusDescriptorFailsWithEbadfNamingTheCommand() {
        FileDescriptor bogus = new FileDescriptor(999_999, "bogus map");
        SyscallException e = assertThrows(SyscallException.class,
                () -> Bpf.mapLookupElem(bogus, NativeBuffer.allocate(4), NativeBuffer.allocate(8), 0));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("BPF_MAP_LOOKUP_ELEM", e.command());
        assertTrue(e.getMessage().contains("BPF_MAP_LOOKUP_ELEM") && e.getMessage().contains("EBADF"), e.getMessage());
    }
}
