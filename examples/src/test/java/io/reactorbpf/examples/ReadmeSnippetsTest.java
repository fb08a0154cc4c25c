package io.reactorbpf.examples;

import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code java} block of the README, verbatim: compiled as the body of a {@code main} method (with the
 * library's packages imported) and run as a child process from the repository's root, as a user who copied it
 * would run it, while this test makes root exec {@code /bin/true} every 50 ms.
 */
@KernelTest
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final List<String> IMPORTS = List.of(
            "io.reactorbpf.core.map.*", "io.reactorbpf.core.object.*", "io.reactorbpf.perf.*",
            "io.reactorbpf.perf.maps.*", "reactor.core.publisher.*", "java.nio.file.*", "java.time.*", "java.util.*");

    @Test
    void everyJavaSnippetCompilesAndRunsToTheEnd(@TempDir Path work) throws Exception {
        List<String> snippets = snippets(Files.readString(ROOT.resolve("README.md")));
        assertFalse(snippets.isEmpty(), "the README has Java snippets");
        for (int i = 0; i < snippets.size(); i++) {
            String name = "ReadmeSnippet" + i;
            compile(work, name, snippets.get(i));
            run(work, name, snippets.get(i));
        }
    }

    static List<String> snippets(String readme) {
        List<String> found = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(readme);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static void compile(Path work, String name, String snippet) throws IOException {
        StringBuilder source = new StringBuilder();
        for (String i : IMPORTS) {
            source.append("import ").append(i).append(";\n");
        }
        source.append("public class ").append(name).append(" {\n")
                .append("    public static void main(String[] args) throws Exception {\n")
                .append(snippet)
                .append("    }\n}\n");
        Path file = work.resolve(name + ".java");
        Files.writeString(file, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", work.toString()), null,
                    files.getJavaFileObjects(file)).call();
            assertTrue(ok, "README snippet does not compile:\n" + snippet + "\n" + diagnostics.getDiagnostics());
        }
    }

    private static void run(Path work, String name, String snippet) throws Exception {
        Path out = work.resolve(name + ".out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", work + File.pathSeparator + System.getProperty("java.class.path"), name)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        Disposable execs = Flux.interval(Duration.ofMillis(200), Duration.ofMillis(50), Schedulers.boundedElastic())
                .subscribe(i -> exec());
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "README snippet still runs after 60 s:\n" + snippet);
        } finally {
            execs.dispose();
            p.destroyForcibly();
        }
        String printed = Files.readString(out);
        assertEquals(0, p.exitValue(), "README snippet failed:\n" + snippet + "\n" + printed);
        if (snippet.contains("signals.take(3)")) {
            List<String> lines = printed.lines().toList();
            assertEquals(4, lines.size(), "three signal lines and the counts:\n" + printed);
            assertTrue(lines.subList(0, 3).stream().allMatch(l -> l.equals("SIGCHLD event")
                    || l.endsWith(" signals did not fit in the ring")), printed);
            long sigchld = lines.stream().filter(l -> l.equals("SIGCHLD event")).count();
            assertTrue(lines.get(3).matches(sigchld + " delivered, \\d+ lost"), printed);
        }
        if (snippet.contains("slots.histogram(")) {
            // the main thread's four writes: 1 byte in slot 0, 100 in slot 6, 1000 twice in slot 9
            assertTrue(printed.contains("""
                    {"comm":"java"}
                         bytes               : count    distribution
                             0 -> 1          : 1        |********************                    |
                             2 -> 3          : 0        |                                        |
                             4 -> 7          : 0        |                                        |
                             8 -> 15         : 0        |                                        |
                            16 -> 31         : 0        |                                        |
                            32 -> 63         : 0        |                                        |
                            64 -> 127        : 1        |********************                    |
                           128 -> 255        : 0        |                                        |
                           256 -> 511        : 0        |                                        |
                           512 -> 1023       : 2        |****************************************|
                    """), "the snippet printed a histogram of its own writes:\n" + printed);
        }
        if (snippet.contains("execs.take(5)")) {
            long lines = printed.lines().filter(l -> l.contains("exec event from CPU")).count();
            assertEquals(5, lines, "the snippet printed five exec events:\n" + printed);
        }
    }

    private static void exec() {
        try {
            new ProcessBuilder("/bin/true", "readme").start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
