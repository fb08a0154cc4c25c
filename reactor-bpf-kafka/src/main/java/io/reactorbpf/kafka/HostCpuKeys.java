package io.reactorbpf.kafka;

import io.reactorbpf.perf.RingBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The record keys of one host: {@code HOST/CPU} in UTF-8, {@code HOST/all} for a BPF ring buffer, made once per
 * CPU. Used on the stream's thread only.
 */
final class HostCpuKeys {

    private final String host;
    private final byte[] all;
    private byte[][] byCpu = new byte[0][];

    HostCpuKeys(String host) {
        this.host = host;
        this.all = (host + "/all").getBytes(StandardCharsets.UTF_8);
    }

    byte[] key(int cpu) {
        if (cpu == RingBuf.NO_CPU || cpu < 0) {
            return all;
        }
        if (cpu >= byCpu.length) {
            byCpu = Arrays.copyOf(byCpu, Math.max(cpu + 1, 2 * byCpu.length));
        }
        byte[] key = byCpu[cpu];
        if (key == null) {
            key = (host + "/" + cpu).getBytes(StandardCharsets.UTF_8);
            byCpu[cpu] = key;
        }
        return key;
    }
}
