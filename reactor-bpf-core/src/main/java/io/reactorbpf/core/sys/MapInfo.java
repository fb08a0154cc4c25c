package io.reactorbpf.core.sys;

import io.reactorbpf.core.internal.sys.Bpf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The kernel's description of a map ({@code struct bpf_map_info}), read with BPF_OBJ_GET_INFO_BY_FD. */
public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int mapFlags, String name,
                      int btfId, int btfKeyTypeId, int btfValueTypeId) {

    static final int SIZE = 88;

    /** Asks the kernel about the map behind {@code map}. */
    public static MapInfo of(FileDescriptor map) {
        ByteBuffer b = Bpf.objGetInfoByFd(map, SIZE);
        int n = 0;
        while (n < 16 && b.get(24 + n) != 0) {
            n++;
        }
        byte[] name = new byte[n];
        b.get(24, name);
        return new MapInfo(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
                new String(name, StandardCharsets.UTF_8), b.getInt(64), b.getInt(68), b.getInt(72));
    }

    /** The map type, or null when this library does not know its number. */
    public MapType mapType() {
        return MapType.of(type);
    }
}
