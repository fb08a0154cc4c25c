package io.reactorbpf.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A module's committed API baselines, the counterpart of libbpf's version script: one file per API version in
 * the module's {@code api/} directory, {@code MAJOR.MINOR.txt}, listing every exported type and member of that
 * version one per line ({@link ModuleApi#signatures()}). The rules {@link #check} enforces:
 * <ul>
 *   <li>the project's version has a baseline, and no baseline is newer than the project;</li>
 *   <li>the API as built is exactly the project version's baseline, so a change to the API fails until the
 *       baseline says it;</li>
 *   <li>an earlier version's baseline is frozen: each baseline after the first records the SHA-256 of the one
 *       before ({@code # previous MAJOR.MINOR sha256 HEX}), so editing a released baseline fails;</li>
 *   <li>from 1.0 on, a version that drops or changes a member of the version before it must have a new major
 *       number (semantic versioning; 0.x versions may break on a minor bump).</li>
 * </ul>
 * Immutable; reads files only.
 */
public final class ApiBaseline {

    private static final Pattern FILE = Pattern.compile("(\\d+)\\.(\\d+)\\.txt");
    private static final Pattern PREVIOUS = Pattern.compile("# previous (\\d+\\.\\d+) sha256 ([0-9a-f]{64})");

    private final Path directory;

    /** The baselines in {@code directory}. */
    public ApiBaseline(Path directory) {
        this.directory = directory;
    }

    /**
     * What is wrong with {@code api} as the API of {@code projectVersion} against the baselines; empty when
     * nothing is. Each problem says how to put it right.
     */
    public List<String> check(String projectVersion, List<String> api) {
        List<String> problems = new ArrayList<>();
        Version current = Version.of(projectVersion);
        TreeMap<Version, Path> files = files();
        Path own = files.get(current);
        if (own == null) {
            problems.add("the project is at version " + projectVersion + " but " + directory.resolve(current + ".txt")
                    + " does not exist: write it with -Dapi.baseline.write=true");
        }
        files.tailMap(current, false).keySet().forEach(v -> problems.add("baseline " + v
                + " is newer than the project's version " + projectVersion + ": remove it or raise the version"));
        Version previous = null;
        for (var e : files.headMap(current, true).entrySet()) {
            if (previous != null) {
                problems.addAll(chained(previous, files.get(previous), e.getKey(), e.getValue()));
            }
            previous = e.getKey();
        }
        if (own != null) {
            Set<String> wanted = new LinkedHashSet<>(members(own));
            Set<String> built = new LinkedHashSet<>(api);
            List<String> added = built.stream().filter(s -> !wanted.contains(s)).toList();
            List<String> removed = wanted.stream().filter(s -> !built.contains(s)).toList();
            if (!added.isEmpty() || !removed.isEmpty()) {
                StringBuilder b = new StringBuilder("the API differs from baseline " + current + " ("
                        + directory.resolve(current + ".txt") + "): if the change is meant, rewrite the baseline with"
                        + " -Dapi.baseline.write=true (after a release, raise the project's version first)");
                added.forEach(s -> b.append("\n  + ").append(s));
                removed.forEach(s -> b.append("\n  - ").append(s));
                problems.add(b.toString());
            }
        }
        return problems;
    }

    /** Writes {@code api} as the baseline of {@code projectVersion}, chained to the version before it. */
    public Path write(String projectVersion, String module, List<String> api) {
        Version current = Version.of(projectVersion);
        StringBuilder b = new StringBuilder("# " + module + " API " + current
                + ": every exported type and member, one per line\n");
        var before = files().headMap(current, false).lastEntry();
        if (before != null) {
            b.append("# previous ").append(before.getKey()).append(" sha256 ").append(sha256(before.getValue())).append('\n');
        }
        api.forEach(s -> b.append(s).append('\n'));
        Path file = directory.resolve(current + ".txt");
        try {
            Files.createDirectories(directory);
            Files.writeString(file, b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private List<String> chained(Version before, Path beforeFile, Version after, Path afterFile) {
        List<String> problems = new ArrayList<>();
        String header = lines(afterFile).stream().filter(l -> l.startsWith("# previous ")).findFirst().orElse("");
        Matcher m = PREVIOUS.matcher(header);
        if (!m.matches() || !m.group(1).equals(before.toString())) {
            problems.add("baseline " + after + " does not name its previous version " + before
                    + " (a line '# previous " + before + " sha256 ...')");
        } else if (!m.group(2).equals(sha256(beforeFile))) {
            problems.add("baseline " + before + " changed after version " + after + " was started: a released"
                    + " version's API is frozen; restore " + beforeFile);
        }
        if (after.major() == before.major() && after.major() >= 1) {
            Set<String> kept = new LinkedHashSet<>(members(afterFile));
            List<String> dropped = members(beforeFile).stream().filter(s -> !kept.contains(s)).toList();
            if (!dropped.isEmpty()) {
                problems.add("version " + after + " drops or changes members of " + before
                        + " without a new major version:\n  - " + String.join("\n  - ", dropped));
            }
        }
        return problems;
    }

    private TreeMap<Version, Path> files() {
        TreeMap<Version, Path> out = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        try (Stream<Path> list = Files.list(directory)) {
            list.forEach(p -> {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.put(new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))), p);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> members(Path file) {
        return lines(file).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An API version: the major and minor numbers of a project version. */
    record Version(int major, int minor) implements Comparable<Version> {

        static Version of(String projectVersion) {
            Matcher m = Pattern.compile("(\\d+)\\.(\\d+)(\\.\\d+)?(-SNAPSHOT)?").matcher(projectVersion);
            if (!m.matches()) {
                throw new IllegalArgumentException("version " + projectVersion + " is not MAJOR.MINOR.PATCH[-SNAPSHOT]");
            }
            return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }

        @Override
        public int compareTo(Version o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }
}
