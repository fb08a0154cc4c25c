package io.reactorbpf.core.internal.sys;

/** Kernel object names (map_name, prog_name): at most 15 bytes of [A-Za-z0-9_.], as the kernel accepts. */
final class ObjectName {

    private ObjectName() {
    }

    static String sanitize(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(name.length(), 15));
        for (int i = 0; i < name.length() && sb.length() < 15; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }
}
