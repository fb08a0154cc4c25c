package io.reactorbpf.core.symbol;

/** Binary search over addresses sorted as unsigned numbers, which kernel addresses need. */
final class Addresses {

    private Addresses() {
    }

    /** The index of the highest address at or below {@code address}, or -1 when every one is above it. */
    static int floor(long[] sorted, long address) {
        int lo = 0;
        int hi = sorted.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
