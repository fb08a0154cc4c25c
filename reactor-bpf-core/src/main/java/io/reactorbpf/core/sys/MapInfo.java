package io.reactorbpf.core.sys;

import io.reactorbpf.core.internal.sys.Bpf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's description of a map ({@code struct bpf_map_info}), read with BPF_OBJ_GET_INFO_BY_FD. A snapshot:
 * immutable.
 *
 * @param type the map type's number, see {@link #mapType()}
 * @param id the map's id, unique on this machine while the map exists
 * @param keySize bytes in a key
 * @param valueSize bytes in a value (one CPU's value for per-CPU maps)
 * @param maxEntries entries the map holds, bytes for a ring buffer
 * @param mapFlags the {@code BPF_F_} flags it was created with
 * @param name the map's name as the kernel keeps it, at most 15 bytes
 * @param btfId the id of the BTF object typing the map, or 0
 * @param btfKeyTypeId the key's type id in that BTF, or 0
 * @param btfValueTypeId the value's type id in that BTF, or 0
 * @since 0.1
 */
public record MapInfo(int type, int id, int keySize, int valueSize, int maxEntries, int mapFlags, String name,
                      int btfId, int btfKeyTypeId, int btfValueTypeId) {

    static final int SIZE = 88;

    /**
     * Asks the kernel about the map behind {@code map}.
     *
     * @param map an open map file descriptor, still owned by the caller
     * @return the kernel's description now
     * @throws SyscallException when the descriptor is closed or is not a map (EBADF, EINVAL)
     */
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

    /**
     * The map type, or null when this library does not know its number.
     *
     * @return the type named by {@link #type()}, or null
     */
    public MapType mapType() {
        return MapType.of(type);
    }
}
