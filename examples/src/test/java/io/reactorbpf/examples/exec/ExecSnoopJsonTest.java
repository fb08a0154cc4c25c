package io.reactorbpf.examples.exec;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code execsnoop --json} as a real child process, watching this test run /bin/true. */
@KernelTest
class ExecSnoopJsonTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void everyExecIsOneJsonLineWithPidParentUidCommAndArgs() throws Exception {
        String marker = "reactor-bpf-" + UUID.randomUUID();
        try (CommandProcess snoop = CommandProcess.start("execsnoop", "--json")) {
            // run until the program is attached and the first of ours shows up
            snoop.pokeUntil(() -> trueWith(marker + "-ready"), line -> line.contains(marker + "-ready"), TIMEOUT);

            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                pids.add(trueWith(marker + "-" + i));
            }
            List<JsonNode> ours = new ArrayList<>();
            while (ours.size() < 3) {
                String line = snoop.nextLine(TIMEOUT);
                if (line == null) {
                    throw new AssertionError("only " + ours.size() + " of 3 execs arrived: " + ours);
                }
                JsonNode event = JSON.readTree(line);
                if (event.has("args") && event.get("args").size() == 2
                        && event.get("args").get(1).asString().startsWith(marker + "-")
                        && !event.get("args").get(1).asString().endsWith("-ready")) {
                    ours.add(event);
                }
            }
            for (int i = 0; i < 3; i++) {
                JsonNode event = ours.get(i);
                assertEquals(pids.get(i), event.get("pid").asLong());
                assertEquals(ProcessHandle.current().pid(), event.get("ppid").asLong());
                assertEquals(ownUid(), event.get("uid").asLong());
                assertFalse(event.get("comm").asString().isEmpty());
                assertEquals(List.of("/bin/true", marker + "-" + i),
                        List.of(event.get("args").get(0).asString(), event.get("args").get(1).asString()));
                assertEquals(List.of("args", "comm", "cpu", "pid", "ppid", "uid"), sortedNames(event));
            }
        }
    }

    /** Runs /bin/true ARG to its end; returns its pid. */
    static long trueWith(String arg) {
        try {
            Process p = new ProcessBuilder("/bin/true", arg).start();
            p.waitFor();
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long ownUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Long.parseLong(line.split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("no Uid in /proc/self/status");
    }

    private static List<String> sortedNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        names.sort(null);
        return names;
    }
}
