package io.reactorbpf.core.internal.btf;

/**
 * One meaningful step of a CO-RE access path: member {@code index}, named {@code name}, of the struct or
 * union {@code typeId}; or, when {@code name} is null, element {@code index} of an array whose element type is
 * {@code typeId} (the first step indexes the root type itself); or enumerator {@code index} of enum {@code typeId}.
 */
record CoreAccessor(int typeId, int index, String name) {

    boolean isArrayIndex() {
        return name == null;
    }
}
