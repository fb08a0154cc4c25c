package io.reactorbpf.core.sys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KernelFactsTest {

    @Test
    void versionCodePacksMajorMinorPatch() {
        assertEquals((6 << 16) + (18 << 8) + 44, Kernel.versionCode("6.18.44-fc-v657"));
        assertEquals((5 << 16) + (15 << 8), Kernel.versionCode("5.15"));
        assertEquals((4 << 16) + (19 << 8) + 255, Kernel.versionCode("4.19.300"));
    }

    @Test
    void pageSizeIsAPowerOfTwo() {
        int page = Kernel.pageSize();
        assertEquals(0, page & (page - 1));
    }
}
