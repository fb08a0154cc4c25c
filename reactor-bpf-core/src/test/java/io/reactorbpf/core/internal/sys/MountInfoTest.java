package io.reactorbpf.core.internal.sys;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountInfoTest {

    private static final String SAMPLE = String.join("\n",
            "22 1 253:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "25 22 0:6 / /sys rw,nosuid shared:2 - sysfs sysfs rw",
            "36 25 0:11 / /sys/kernel/tracing rw,nosuid,nodev - tracefs tracefs rw",
            "37 25 0:30 / /sys/fs/bpf rw,nosuid shared:9 master:3 - bpf bpf rw,mode=700",
            "40 22 0:40 / /mnt/with\\040space rw - tmpfs tmp\\040fs rw",
            "garbage line");

    @Test
    void findsMountsByFilesystemType() {
        MountInfo m = MountInfo.parse(SAMPLE);
        assertEquals(Path.of("/sys/kernel/tracing"), m.ofType("tracefs").get(0).mountPoint());
        assertEquals(Path.of("/sys/fs/bpf"), m.ofType("bpf").get(0).mountPoint());
        assertTrue(m.ofType("debugfs").isEmpty());
    }

    @Test
    void optionalFieldsBeforeTheSeparatorAreSkipped() {
        MountInfo.Mount bpf = MountInfo.parse(SAMPLE).ofType("bpf").get(0);
        assertEquals("bpf", bpf.source());
    }

    @Test
    void octalEscapesAreDecoded() {
        MountInfo.Mount tmp = MountInfo.parse(SAMPLE).ofType("tmpfs").get(0);
        assertEquals(Path.of("/mnt/with space"), tmp.mountPoint());
        assertEquals("tmp fs", tmp.source());
    }

    @Test
    void tracefsIsNotFoundWhereNothingUsableIsMounted() {
        MountInfo none = MountInfo.parse("22 1 253:0 / / rw - ext4 /dev/vda rw");
        assertNull(PseudoFs.TRACEFS.find(none));
        assertNull(PseudoFs.BPFFS.find(none));
    }
}
