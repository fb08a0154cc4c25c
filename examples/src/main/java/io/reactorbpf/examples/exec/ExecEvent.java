package io.reactorbpf.examples.exec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One exec as execsnoop.bpf.c sends it ({@code struct exec_event}): pid, parent pid, uid, the comm of the
 * process that called execve, and the file name followed by argv[1..]. Immutable.
 */
public record ExecEvent(int cpu, int pid, int ppid, int uid, String comm, List<String> args) implements ExecSignal {

    private static final int PID = 0;
    private static final int PPID = 4;
    private static final int UID = 8;
    private static final int ARGS_COUNT = 12;
    private static final int ARGS_SIZE = 16;
    private static final int COMM = 20;
    private static final int COMM_LEN = 16;
    private static final int ARGS = COMM + COMM_LEN;

    /** Decodes a sample in place; the program sends only the filled part of {@code args}. */
    public static ExecEvent decode(int cpu, ByteBuffer data, int offset, int length) {
        if (length < ARGS) {
            throw new IllegalArgumentException("exec sample of " + length + " bytes is shorter than its " + ARGS
                    + "-byte header");
        }
        int count = data.getInt(offset + ARGS_COUNT);
        int size = Math.min(data.getInt(offset + ARGS_SIZE), length - ARGS);
        List<String> args = new ArrayList<>(Math.max(0, count));
        int at = offset + ARGS;
        int end = at + Math.max(0, size);
        while (at < end && args.size() < count) {
            int nul = at;
            while (nul < end && data.get(nul) != 0) {
                nul++;
            }
            args.add(string(data, at, nul - at));
            at = nul + 1;
        }
        int commLen = 0;
        while (commLen < COMM_LEN && data.get(offset + COMM + commLen) != 0) {
            commLen++;
        }
        return new ExecEvent(cpu, data.getInt(offset + PID), data.getInt(offset + PPID), data.getInt(offset + UID),
                string(data, offset + COMM, commLen), List.copyOf(args));
    }

    /** The program exec'd: the file name's last component, or the caller's comm when the name was not read. */
    public String command() {
        if (args.isEmpty() || args.get(0).isEmpty()) {
            return comm;
        }
        String file = args.get(0);
        return file.substring(file.lastIndexOf('/') + 1);
    }

    private static String string(ByteBuffer data, int at, int length) {
        byte[] bytes = new byte[length];
        data.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
