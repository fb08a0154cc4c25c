package io.reactorbpf.examples;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.kafka.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code java} block of the README, verbatim: a block that declares a module is compiled as a user's
 * module-info on the module path, with a class of that module that loads an object through the library's API,
 * and run; a block that declares a class (the Spring Boot controller) is compiled as a file of its own and served
 * by a Spring Boot application with the README's {@code properties} block, and a client reads what it maps;
 * every other block is compiled as the body of a {@code main} method (with the library's packages
 * imported) and run as a child process from the repository's root, as a user who copied it would run it,
 * while this test makes root exec {@code /bin/true} every 50 ms.
 */
@KernelTest
class ReadmeSnippetsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("(?m)^module ([\\w.]+) \\{");
    private static final String LOADABLE = "examples/src/test/resources/bpf/getpgid_probe.bpf.o";
    // the library's two modules (built classes or installed jars, not test classes) and what they require, no Jackson
    private static final Pattern LIBRARY_MODULES = Pattern.compile("reactor-bpf-(core|perf)/target/classes$"
            + "|reactor-bpf-(core|perf)-[^/]*(?<!-tests)\\.jar$|/(reactor-core|reactive-streams|jffi)-[^/]*\\.jar$");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern PROPERTIES_BLOCK = Pattern.compile("(?m)^```properties\\n(.*?)^```",
            Pattern.DOTALL);
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(@\\w+|((public|final|abstract) )*(class|record) )");
    private static final Pattern CLASS_NAME = Pattern.compile("(?m)^(?:(?:public|final) )*class (\\w+)");
    private static final Pattern GET_PATH = Pattern.compile("@GetMapping\\(path = \"(/[^\"]*)\"");
    private static final List<String> IMPORTS = List.of(
            "io.reactorbpf.core.map.*", "io.reactorbpf.core.object.*", "io.reactorbpf.perf.*",
            "io.reactorbpf.perf.maps.*", "reactor.core.publisher.*", "java.nio.file.*", "java.time.*", "java.util.*");

    @Test
    void everyJavaSnippetCompilesAndRunsToTheEnd(@TempDir Path work) throws Exception {
        List<String> snippets = snippets(Files.readString(ROOT.resolve("README.md"))).stream()
                .filter(b -> !MODULE.matcher(b).find() && !declaresAType(b)).toList();
        assertFalse(snippets.isEmpty(), "the README has Java snippets");
        // the Kafka snippet ships to a real broker, whose address it reads from kafka.bootstrap
        KafkaBroker broker = KafkaBroker.start();
        try {
            broker.topic("execs", 1);
            for (int i = 0; i < snippets.size(); i++) {
                String name = "ReadmeSnippet" + i;
                compile(work, name, snippets.get(i));
                run(work, name, snippets.get(i), broker.bootstrapServers());
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void theModuleSnippetRequiresEnoughToLoadAnObjectOnTheModulePathAndNothingInternal(@TempDir Path work)
            throws Exception {
        List<String> modules = snippets(Files.readString(ROOT.resolve("README.md"))).stream()
                .filter(b -> MODULE.matcher(b).find()).toList();
        assertEquals(1, modules.size(), "the README shows one module declaration");
        Matcher name = MODULE.matcher(modules.get(0));
        assertTrue(name.find());
        String module = name.group(1);
        Path src = work.resolve("src");
        Path pkg = Files.createDirectories(src.resolve(module.replace('.', '/')));
        Files.writeString(src.resolve("module-info.java"), modules.get(0));
        Files.writeString(pkg.resolve("Main.java"), "package " + module + ";\n"
                + "import io.reactorbpf.core.object.BpfObject;\n"
                + "import io.reactorbpf.perf.PerfStream;\n"
                + "public class Main {\n"
                + "    public static void main(String[] args) throws Exception {\n"
                + "        try (BpfObject o = BpfObject.open(java.nio.file.Path.of(\"" + LOADABLE + "\")).load()) {\n"
                + "            System.out.println(Main.class.getModule().getName() + \" loaded \" + o.maps().size()\n"
                + "                    + \" maps through \" + BpfObject.class.getModule().getName() + \" and reads \"\n"
                + "                    + PerfStream.class.getModule().getName());\n"
                + "        }\n    }\n}\n");
        String modulePath = libraryModulePath();
        Path classes = work.resolve("classes");
        List<String> errors = javac(modulePath, classes, src.resolve("module-info.java"), pkg.resolve("Main.java"));
        assertEquals(List.of(), errors, "the README's module does not compile:\n" + modules.get(0));

        Path out = work.resolve("module.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", classes + File.pathSeparator + modulePath, "-m", module + "/" + module + ".Main")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the module's main still runs after 60 s");
        } finally {
            p.destroyForcibly();
        }
        String printed = Files.readString(out);
        assertEquals(0, p.exitValue(), printed);
        assertTrue(printed.matches("(?s)" + Pattern.quote(module) + " loaded \\d+ maps through io.reactorbpf.core"
                + " and reads io.reactorbpf.perf\\s*"), printed);

        Files.writeString(pkg.resolve("Main.java"), "package " + module + ";\n"
                + "public class Main { int pid = io.reactorbpf.core.internal.sys.Native.getpid(); }\n");
        List<String> internal = javac(modulePath, work.resolve("internal"), src.resolve("module-info.java"),
                pkg.resolve("Main.java"));
        assertTrue(internal.stream().anyMatch(e -> e.contains("io.reactorbpf.core.internal.sys")
                && e.contains("does not export")), "an internal package is visible to a user's module: " + internal);
    }

    @Test
    void theSpringBootControllerCompilesAndServesTheStreamWithTheReadmesPropertiesUntilTheApplicationCloses(
            @TempDir Path work) throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> controllers = snippets(readme).stream().filter(ReadmeSnippetsTest::declaresAType).toList();
        assertEquals(1, controllers.size(), "the README shows one controller");
        String controller = controllers.get(0);
        Matcher name = CLASS_NAME.matcher(controller);
        assertTrue(name.find(), "the controller snippet declares a class:\n" + controller);
        Matcher path = GET_PATH.matcher(controller);
        assertTrue(path.find(), "the controller maps a GET path:\n" + controller);
        Path src = Files.createDirectories(work.resolve("src"));
        Path classes = Files.createDirectories(work.resolve("classes"));
        Files.writeString(src.resolve(name.group(1) + ".java"), controller);
        Files.writeString(src.resolve("ReadmeApplication.java"), """
                @org.springframework.boot.SpringBootConfiguration(proxyBeanMethods = false)
                @org.springframework.boot.autoconfigure.EnableAutoConfiguration
                @org.springframework.context.annotation.Import(%s.class)
                public class ReadmeApplication {
                }
                """.formatted(name.group(1)));
        List<String> errors = InProcessJavac.errors(List.of("-classpath", System.getProperty("java.class.path"),
                "-parameters", "-d", classes.toString()), src.resolve(name.group(1) + ".java"),
                src.resolve("ReadmeApplication.java"));
        assertTrue(errors.isEmpty(), "the README's controller does not compile:\n" + controller + "\n" + errors);

        List<String> args = new ArrayList<>();
        properties(readme).forEach(p -> args.add("--" + p));
        args.addAll(List.of("--server.address=127.0.0.1", "--server.port=0"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            SpringApplication app = new SpringApplication(new DefaultResourceLoader(loader),
                    loader.loadClass("ReadmeApplication"));
            app.setRegisterShutdownHook(false);
            ConfigurableApplicationContext context = app.run(args.toArray(String[]::new));
            Disposable execs = Flux.interval(Duration.ZERO, Duration.ofMillis(50), Schedulers.boundedElastic())
                    .subscribe(i -> exec());
            try {
                String port = context.getEnvironment().getProperty("local.server.port");
                CountDownLatch first = new CountDownLatch(1);
                CountDownLatch ended = new CountDownLatch(1);
                List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
                Disposable client = WebClient.create("http://127.0.0.1:" + port).get().uri(path.group(1))
                        .accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(String.class)
                        .subscribe(line -> {
                            lines.add(line);
                            if (line.matches("\\d+-byte exec event from CPU \\d+")) {
                                first.countDown();
                            }
                        }, e -> ended.countDown(), ended::countDown);
                try {
                    assertTrue(first.await(30, TimeUnit.SECONDS), "no exec event from " + path.group(1) + ": "
                            + lines);
                    context.close();
                    assertTrue(ended.await(5, TimeUnit.SECONDS), "the client's stream ended with the application");
                } finally {
                    client.dispose();
                }
            } finally {
                execs.dispose();
                context.close();
            }
        }
    }

    /** Whether a block is a compilation unit of its own: after its imports, a type declaration. */
    private static boolean declaresAType(String block) {
        return block.lines().filter(l -> !l.isBlank() && !l.startsWith("import ")).findFirst()
                .map(l -> TYPE_DECLARATION.matcher(l).find()).orElse(false);
    }

    /** The {@code KEY=VALUE} lines of the README's {@code properties} blocks. */
    private static List<String> properties(String readme) {
        List<String> found = new ArrayList<>();
        Matcher m = PROPERTIES_BLOCK.matcher(readme);
        while (m.find()) {
            m.group(1).lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(found::add);
        }
        assertFalse(found.isEmpty(), "the README shows the starter's properties");
        return found;
    }

    /** The library's modules and what they require, from this test's class path. */
    private static String libraryModulePath() {
        return Pattern.compile(Pattern.quote(File.pathSeparator)).splitAsStream(System.getProperty("java.class.path"))
                .filter(e -> LIBRARY_MODULES.matcher(Path.of(e).toString()).find())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    private static List<String> javac(String modulePath, Path classes, Path... sources) {
        // the class path is set so that this JVM's own (the compiler's default) does not leak in
        return InProcessJavac.errors(List.of("--module-path", modulePath, "-classpath", classes.toString(),
                "-d", classes.toString()), sources);
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
        // a snippet's own imports lead it, as in a file; the rest is the body of main
        List<String> lines = snippet.lines().toList();
        int body = 0;
        while (body < lines.size() && (lines.get(body).startsWith("import ") || lines.get(body).isBlank())) {
            source.append(lines.get(body++)).append('\n');
        }
        source.append("public class ").append(name).append(" {\n")
                .append("    public static void main(String[] args) throws Exception {\n")
                .append(String.join("\n", lines.subList(body, lines.size()))).append('\n')
                .append("    }\n}\n");
        Path file = work.resolve(name + ".java");
        Files.writeString(file, source);
        List<String> errors = InProcessJavac.errors(
                List.of("-classpath", System.getProperty("java.class.path"), "-d", work.toString()), file);
        assertTrue(errors.isEmpty(), "README snippet does not compile:\n" + snippet + "\n" + errors);
    }

    private static void run(Path work, String name, String snippet, String kafka) throws Exception {
        Path out = work.resolve(name + ".out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dkafka.bootstrap=" + kafka,
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
        if (snippet.contains("KafkaSink")) {
            Matcher totals = Pattern.compile("(?m)^(\\d+) acknowledged, 0 failed, (\\d+) lost$").matcher(printed);
            assertTrue(totals.find() && Long.parseLong(totals.group(1)) > 0,
                    "the execs of the last 2 s reached the broker:\n" + printed);
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
