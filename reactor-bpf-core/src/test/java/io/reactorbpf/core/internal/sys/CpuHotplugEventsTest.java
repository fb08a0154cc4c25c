package io.reactorbpf.core.internal.sys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CpuHotplugEventsTest {

    private static byte[] uevent(String... lines) {
        return String.join("\0", lines).concat("\0").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void cpuOfflineAndOnlineNoticesAreRead() {
        assertEquals(new CpuHotplugEvents.Change(3, false),
                CpuHotplugEvents.parse(uevent("offline@/devices/system/cpu/cpu3", "ACTION=offline", "SEQNUM=1")));
        assertEquals(new CpuHotplugEvents.Change(12, true),
                CpuHotplugEvents.parse(uevent("online@/devices/system/cpu/cpu12", "ACTION=online")));
    }

    @Test
    void otherDevicesAndActionsAreIgnored() {
        assertNull(CpuHotplugEvents.parse(uevent("add@/devices/virtual/net/veth0")));
        assertNull(CpuHotplugEvents.parse(uevent("change@/devices/system/cpu/cpu1")));
        assertNull(CpuHotplugEvents.parse(uevent("online@/devices/system/cpu/cpufreq")));
        assertNull(CpuHotplugEvents.parse(uevent("libudev")));
        assertNull(CpuHotplugEvents.parse(new byte[0]));
    }
}
