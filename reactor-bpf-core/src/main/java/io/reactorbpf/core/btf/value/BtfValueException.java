package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.BpfException;

/**
 * A BTF value decoder cannot be built or used: the named type does not exist or is not a struct or union, a
 * record component has no matching member or a Java type the member cannot convert to, or a sample region
 * lies outside its buffer. The message names the type, member or component and how to fix it.
 *
 * @since 0.1
 */
public final class BtfValueException extends BpfException {

    /**
     * A decoder that cannot be built or used.
     *
     * @param message the type, member or component concerned and how to fix it
     */
    public BtfValueException(String message) {
        super(message);
    }
}
