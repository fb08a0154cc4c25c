package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;

/**
 * A choice made on an {@link ObjectSpec}, {@link ProgramSpec} or {@link MapSpec} before load that the object or the
 * kernel cannot take: a map size of 0, a value size for a map type whose values the kernel sizes itself, an attach
 * kind the program's type does not fit, a malformed attach target. Thrown by the setter, before anything is loaded;
 * the message names the program or map, the value refused and what would be accepted.
 *
 * @since 0.1
 */
public final class InvalidSpecException extends BpfException {

    /**
     * A refused choice.
     *
     * @param message the program or map, the value refused and what would be accepted
     */
    public InvalidSpecException(String message) {
        super(message);
    }

    /**
     * A refused choice, found refused through another failure.
     *
     * @param message the program or map, the value refused and what would be accepted
     * @param cause the underlying failure, such as a malformed attach target
     */
    public InvalidSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
