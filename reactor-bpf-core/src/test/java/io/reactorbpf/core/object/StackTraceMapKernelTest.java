package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.map.MapException;
import io.reactorbpf.core.map.StackTraceMap;
import io.reactorbpf.core.symbol.Kallsyms;
import io.reactorbpf.core.symbol.ProcessSymbols;
import io.reactorbpf.core.symbol.StackFrame;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * loader_stack in the kernel: its stack map, left unsized by the object, is created at the loader's default sizes
 * and holds what {@code bpf_get_stackid} records; the hash it leaves at max_entries 0 gets the size set before
 * load; its program on a tracepoint x86_64 lacks is what autoload off is for.
 */
@KernelTest
class StackTraceMapKernelTest {

    private static final int CALLS = 5;

    /** loader_stack for this process, its hash sized to {@code entries}. */
    private static ObjectSpec spec(int entries) {
        ObjectSpec spec = TestObjects.open("loader_stack");
        spec.variable("target_tgid").set(Native.getpid());
        spec.map("sized_later").maxEntries(entries);
        return spec;
    }

    private static void getpgid(int n) {
        for (int i = 0; i < n; i++) {
            Native.libc().getpgid(0);
        }
    }

    @Test
    void anUnsizedStackMapIsCreatedAtTheDefaultSizesAndHoldsTheStacksBpfGetStackidRecords() {
        ObjectSpec spec = spec(4);
        spec.program("on_sync_file_range2").autoload(false);
        try (BpfObject obj = spec.load()) {
            obj.attachAll();
            getpgid(CALLS);
            assertEquals(CALLS, obj.variable("recorded").getLong());
            long id = obj.variable("last_id").getLong();
            assertTrue(id >= 0, "bpf_get_stackid failed with " + id);
            MapInfo info = MapInfo.of(obj.map("stacks").fd());
            assertEquals(8 * StackTraceDefaults.maxStack(), info.valueSize());
            assertEquals(StackTraceDefaults.MAX_ENTRIES, info.maxEntries());
            byte[] frames = obj.map("stacks").lookup(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
                    .putInt((int) id).array()).orElseThrow(() -> new AssertionError("no stack under id " + id));
            assertEquals(info.valueSize(), frames.length);
            assertTrue(ByteBuffer.wrap(frames).order(ByteOrder.nativeOrder()).getLong(0) != 0,
                    "the innermost frame is a kernel address");
        }
    }

    @Test
    void theRecordedStacksResolveToTheSyscallPathInTheKernelAndGetpgidInLibc() {
        ObjectSpec spec = spec(4);
        spec.program("on_sync_file_range2").autoload(false);
        try (BpfObject obj = spec.load()) {
            obj.attachAll();
            getpgid(1);
            StackTraceMap stacks = new StackTraceMap(obj.map("stacks"));

            List<String> kernel = Arrays.stream(stacks.addresses((int) obj.variable("last_id").getLong()))
                    .mapToObj(a -> Kallsyms.read().resolve(a).name()).toList();
            assertTrue(kernel.contains("do_syscall_64"), "kernel stack " + kernel);
            long[] user = stacks.addresses((int) obj.variable("last_user_id").getLong());
            assertTrue(user.length > 0, "no user stack: " + obj.variable("last_user_id").getLong());
            StackFrame innermost = ProcessSymbols.of(Native.getpid()).resolve(user[0]);
            assertTrue(innermost.object().endsWith("/libc.so.6") && innermost.name().contains("getpgid"),
                    innermost.toString());
        }
    }

    @Test
    void aNegativeStackIdIsAnEmptyStack() {
        ObjectSpec spec = spec(4);
        spec.program("on_sync_file_range2").autoload(false);
        try (BpfObject obj = spec.load()) {
            assertEquals(0, new StackTraceMap(obj.map("stacks")).addresses(-14).length);
            assertEquals(0, new StackTraceMap(obj.map("stacks")).addresses(12345).length, "an id never recorded");
            MapException e = assertThrows(MapException.class, () -> new StackTraceMap(obj.map("sized_later")));
            assertEquals("map 'sized_later' is a HASH, not a STACK_TRACE map", e.getMessage());
        }
    }

    @Test
    void maxEntriesSetBeforeLoadIsTheKernelMapsMaxEntries() {
        ObjectSpec spec = spec(7);
        spec.program("on_sync_file_range2").autoload(false);
        try (BpfObject obj = spec.load()) {
            assertEquals(7, MapInfo.of(obj.map("sized_later").fd()).maxEntries());
            assertEquals(16 * 8, MapInfo.of(obj.map("sized_stacks").fd()).valueSize());
        }
    }

    @Test
    void aProgramOnATracepointTheKernelLacksFailsToAttachUnlessItsAutoloadIsOff() {
        try (BpfObject obj = spec(4).load()) {
            AttachException e = assertThrows(AttachException.class, obj::attachAll);
            assertTrue(e.getMessage().startsWith("program 'on_sync_file_range2' in section"
                    + " 'tracepoint/syscalls/sys_enter_sync_file_range2': "), e.getMessage());
            assertTrue(e.getMessage().contains("does not exist on this kernel"), e.getMessage());
        }
        ObjectSpec spec = spec(4);
        spec.program("on_sync_file_range2").autoload(false);
        try (BpfObject obj = spec.load()) {
            assertEquals(1, obj.attachAll().size());
            assertEquals(java.util.List.of("on_sync_file_range2"), obj.notLoaded());
        }
    }
}
