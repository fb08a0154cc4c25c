package io.reactorbpf.examples.run;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A {@code /usr/bin/python3} child that waits for a line on its stdin, then makes one write(2) of each given size
 * to /dev/null and exits: write calls of known sizes, from a known process, when the test says. Python runs
 * isolated and without bytecode files ({@code -I -B}), so it makes no other write. Not thread-safe; closing kills
 * it if it still runs.
 */
final class WriterProcess implements AutoCloseable {

    private final Process process;

    private WriterProcess(Process process) {
        this.process = process;
    }

    static WriterProcess start(int... sizes) throws IOException {
        String list = Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String script = "import os, sys\n"
                + "sys.stdin.readline()\n"
                + "fd = os.open('/dev/null', os.O_WRONLY)\n"
                + "for n in (" + list + ",):\n"
                + "    os.write(fd, b'x' * n)\n"
                + "os.close(fd)\n";
        return new WriterProcess(new ProcessBuilder("/usr/bin/python3", "-I", "-B", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start());
    }

    long pid() {
        return process.pid();
    }

    /** Lets it write, and waits until it has written everything and exited. */
    void writeAndExit(Duration timeout) throws IOException, InterruptedException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the python writer did not exit within " + timeout);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the python writer failed with exit code " + process.exitValue());
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
