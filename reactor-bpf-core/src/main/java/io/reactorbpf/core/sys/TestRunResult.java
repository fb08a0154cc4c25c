package io.reactorbpf.core.sys;

/**
 * What BPF_PROG_TEST_RUN reports for one run of a program: its return value, the packet data it left (for
 * programs that take packets) and how long the run took in the kernel.
 *
 * @param retval        the program's return value (r0)
 * @param dataOut       the output data, at most as long as the caller allowed
 * @param durationNanos the kernel's measured run time, averaged over the repetitions
 * @since 0.1
 */
public record TestRunResult(int retval, byte[] dataOut, long durationNanos) {
}
