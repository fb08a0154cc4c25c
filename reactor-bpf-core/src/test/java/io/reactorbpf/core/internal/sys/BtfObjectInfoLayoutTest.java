package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.UapiProbe;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BtfObjectInfo} reads {@code struct bpf_btf_info} at the offsets the installed linux/bpf.h gives. */
class BtfObjectInfoLayoutTest {

    @Test
    void itsOffsetsAreThoseOfTheUapiHeader() {
        String out = UapiProbe.run("""
                #include <stddef.h>
                #include <stdio.h>
                #include <linux/bpf.h>
                int main(void) {
                    printf("%zu %zu %zu %zu %zu\\n", offsetof(struct bpf_btf_info, id),
                           offsetof(struct bpf_btf_info, name), offsetof(struct bpf_btf_info, name_len),
                           offsetof(struct bpf_btf_info, kernel_btf), sizeof(struct bpf_btf_info));
                    return 0;
                }
                """);
        String[] parts = out.strip().split(" ");
        assertEquals(BtfObjectInfo.ID + " " + BtfObjectInfo.NAME + " " + BtfObjectInfo.NAME_LEN + " "
                + BtfObjectInfo.KERNEL_BTF, String.join(" ", parts[0], parts[1], parts[2], parts[3]));
        assertTrue(Integer.parseInt(parts[4]) >= BtfObjectInfo.SIZE, "the info read is a prefix of the struct");
    }
}
