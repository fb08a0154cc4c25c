package io.reactorbpf.core.symbol;

import java.util.Objects;

/**
 * One address of a stack trace, resolved: the function it lies in, how far into it, and the kernel module or file
 * that holds it.
 *
 * @param address the instruction address, as the stack trace holds it
 * @param function the function's symbol name, or null when no symbol covers the address
 * @param offset bytes from the function's start; from the file's start (a file offset) when {@code function} is null
 * @param object {@code [kernel]} or a module's name in brackets for kernel addresses, the mapped file's path for user
 *     ones, or {@code [unknown]} when the address lies in no known mapping
 * @since 0.1
 */
public record StackFrame(long address, String function, long offset, String object) {

    /**
     * Checks the object is named.
     *
     * @param address the instruction address
     * @param function the function's name, or null
     * @param offset bytes from the function's (or file's) start
     * @param object what holds the address
     * @throws NullPointerException when {@code object} is null
     */
    public StackFrame {
        Objects.requireNonNull(object, "object");
    }

    /**
     * How folded stacks (flame-graph input) and the real tools name the frame: the function, else the file with the
     * offset ({@code libc.so.6+0x2a1b0}), else {@code [unknown]}.
     *
     * @return the frame's name
     */
    public String name() {
        if (function != null) {
            return function;
        }
        if (object.startsWith("[")) {
            return "[unknown]";
        }
        return object.substring(object.lastIndexOf('/') + 1) + "+0x" + Long.toHexString(offset);
    }

    /**
     * The frame as {@code function+0xOFFSET [object]}.
     *
     * @return the frame for people
     */
    @Override
    public String toString() {
        return (function == null ? "[unknown]" : function + "+0x" + Long.toHexString(offset)) + " " + object;
    }
}
