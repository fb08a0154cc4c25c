package io.reactorbpf.core.map;

/**
 * One key and its value as read from a map; for per-CPU maps the value holds every CPU's slot. The arrays are
 * the caller's own copies.
 *
 * @since 0.1
 */
public record MapEntry(byte[] key, byte[] value) {
}
