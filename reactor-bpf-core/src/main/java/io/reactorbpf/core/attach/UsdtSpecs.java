package io.reactorbpf.core.attach;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.MapType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * The {@code __bpf_usdt_specs} map of a loaded object, as libbpf's {@code bpf/usdt.bpf.h} declares it (an ARRAY
 * of {@code struct __bpf_usdt_spec} indexed by spec id), and which of its ids are in use; with it, the
 * {@code __bpf_usdt_ip_to_spec_id} map (a HASH from a site's address in the traced process to its spec id), which
 * programs read on kernels without BPF cookies. {@link Usdt#attach} writes one spec per distinct argument layout of
 * a probe and passes its id to the program as the BPF cookie, or, without cookies, by the site's address; closing
 * the link gives the ids and addresses back. Thread-safe. Does not own the map: the object that defines it does, and
 * the table is useless once that object is closed.
 *
 * @since 0.1
 */
public final class UsdtSpecs {

    /** The map's name in usdt.bpf.h. */
    public static final String MAP = "__bpf_usdt_specs";
    /** The address map's name in usdt.bpf.h. */
    public static final String IP_MAP = "__bpf_usdt_ip_to_spec_id";

    private final BpfMap map;
    /** The address map, or null when the object has none. */
    private final BpfMap ips;
    /** Ids in use; guarded by this. */
    private final BitSet used = new BitSet();

    private UsdtSpecs(BpfMap map, BpfMap ips) {
        this.map = map;
        this.ips = ips;
    }

    /**
     * The table over {@code map}, which must be usdt.bpf.h's spec array: an ARRAY with 4-byte keys and
     * {@code struct __bpf_usdt_spec} (208-byte) values.
     *
     * @param map the object's {@value #MAP} map, still owned by the object
     * @return a table with every id free
     * @throws AttachException naming the map when its type or sizes are not usdt.bpf.h's
     */
    public static UsdtSpecs of(BpfMap map) {
        return of(map, null);
    }

    /**
     * The table over {@code map} and the address map {@code ips} of usdt.bpf.h: a HASH from 8-byte addresses to
     * 4-byte spec ids.
     *
     * @param map the object's {@value #MAP} map, still owned by the object
     * @param ips the object's {@value #IP_MAP} map, still owned by the object, or null when it has none
     * @return a table with every id free
     * @throws AttachException naming a map whose type or sizes are not usdt.bpf.h's
     */
    public static UsdtSpecs of(BpfMap map, BpfMap ips) {
        if (map.type() != MapType.ARRAY || map.keySize() != 4 || map.valueSize() != UsdtSpec.SIZE) {
            throw new AttachException("map '" + map.name() + "' {type=" + map.type() + ", key_size=" + map.keySize()
                    + ", value_size=" + map.valueSize() + "} is not the USDT spec array of bpf/usdt.bpf.h {type=ARRAY,"
                    + " key_size=4, value_size=" + UsdtSpec.SIZE + "}");
        }
        if (ips != null && (ips.type() != MapType.HASH || ips.keySize() != 8 || ips.valueSize() != 4)) {
            throw new AttachException("map '" + ips.name() + "' {type=" + ips.type() + ", key_size=" + ips.keySize()
                    + ", value_size=" + ips.valueSize() + "} is not the USDT address map of bpf/usdt.bpf.h"
                    + " {type=HASH, key_size=8, value_size=4}");
        }
        return new UsdtSpecs(map, ips);
    }

    /**
     * Maps a site's address in the traced process to spec {@code id}, for programs without BPF cookies; throws
     * naming the address when another attachment maps it, or the object has no address map.
     */
    synchronized void mapAddress(long address, int id, String probe) {
        if (ips == null) {
            throw new UnsupportedAttachException("USDT " + probe + ": without BPF cookies (Linux 5.15) a USDT program"
                    + " finds its spec by the site's address in map " + IP_MAP + ", which this object lacks");
        }
        byte[] key = address(address);
        if (ips.lookup(key).isPresent()) {
            throw new AttachException("USDT " + probe + ": its site at 0x" + Long.toHexString(address)
                    + " is attached already (without BPF cookies each address has one spec); detach that first");
        }
        ips.update(key, key(id));
    }

    /** Forgets an address {@link #mapAddress} mapped. */
    synchronized void unmapAddress(long address) {
        ips.delete(address(address));
    }

    private static byte[] address(long address) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, address).array();
    }

    /** Writes {@code spec} at a free id and returns the id; throws naming the map when every id is taken. */
    synchronized int add(UsdtSpec spec, String probe) {
        int id = used.nextClearBit(0);
        if (id >= map.maxEntries()) {
            throw new AttachException("USDT " + probe + ": all " + map.maxEntries() + " entries of map '" + map.name()
                    + "' hold the specs of attached probes; detach some, or build the program with a larger"
                    + " BPF_USDT_MAX_SPEC_CNT");
        }
        map.update(key(id), spec.bytes());
        used.set(id);
        return id;
    }

    /** Gives {@code id} back; its value stays until the id is used again, as nothing attached refers to it. */
    synchronized void remove(int id) {
        used.clear(id);
    }

    /**
     * How many ids are in use: one per distinct argument layout of every attached probe.
     *
     * @return the count, at most the map's max_entries
     */
    public synchronized int inUse() {
        return used.cardinality();
    }

    private static byte[] key(int id) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, id).array();
    }
}
