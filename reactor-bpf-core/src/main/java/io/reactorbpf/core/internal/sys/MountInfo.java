package io.reactorbpf.core.internal.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mounts of this process's mount namespace, as /proc/self/mountinfo lists them. Immutable. */
public final class MountInfo {

    /** One mount: where it is and what filesystem type it has. */
    public record Mount(Path mountPoint, String fsType, String source) {
    }

    private final List<Mount> mounts;

    private MountInfo(List<Mount> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** Reads /proc/self/mountinfo now. */
    public static MountInfo current() {
        try {
            return parse(Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /**
     * Parses mountinfo lines: "36 25 0:11 / /sys/kernel/tracing rw,nosuid - tracefs tracefs rw". Lines that
     * do not have that shape are ignored.
     */
    public static MountInfo parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (f.length < 5 || dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            mounts.add(new Mount(Path.of(unescape(f[4])), f[dash + 1], unescape(f[dash + 2])));
        }
        return new MountInfo(mounts);
    }

    /** Every mount of filesystem type {@code fsType}, in mount order. */
    public List<Mount> ofType(String fsType) {
        List<Mount> out = new ArrayList<>();
        for (Mount m : mounts) {
            if (m.fsType().equals(fsType)) {
                out.add(m);
            }
        }
        return out;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040). */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }
}
