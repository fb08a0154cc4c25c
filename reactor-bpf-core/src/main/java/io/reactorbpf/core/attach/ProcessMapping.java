package io.reactorbpf.core.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a process maps a file's code, from {@code /proc/PID/maps}: turns a file offset of a binary into the
 * instruction address it has in that process, as a USDT program without BPF cookies sees it ({@code PT_REGS_IP}).
 * Stateless.
 */
final class ProcessMapping {

    private ProcessMapping() {
    }

    /**
     * The address of {@code fileOffset} of {@code binary} in process {@code pid}: the start of the executable mapping
     * of the file that covers the offset, plus the offset's distance from the mapping's own.
     *
     * @throws AttachTargetNotFoundException when the process is gone or maps no executable part of the file there
     */
    static long address(int pid, Path binary, long fileOffset) {
        Path maps = Path.of("/proc", Integer.toString(pid), "maps");
        List<String> lines;
        String file;
        try {
            file = binary.toRealPath().toString();
            lines = Files.readAllLines(maps);
        } catch (NoSuchFileException e) {
            throw new AttachTargetNotFoundException("no process " + pid + " (" + maps + " is not there) or no file "
                    + binary);
        } catch (IOException e) {
            throw new AttachException("cannot read " + maps + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            // START-END PERMS OFFSET DEV INODE PATH
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 6 || f[1].length() < 3 || f[1].charAt(2) != 'x' || !f[5].equals(file)) {
                continue;
            }
            int dash = f[0].indexOf('-');
            long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
            long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            long offset = Long.parseUnsignedLong(f[2], 16);
            if (fileOffset >= offset && fileOffset - offset < end - start) {
                return start + (fileOffset - offset);
            }
        }
        throw new AttachTargetNotFoundException("process " + pid + " maps no code of " + file + " at file offset 0x"
                + Long.toHexString(fileOffset) + " (see " + maps + ")");
    }
}
