package io.reactorbpf.core;

import io.reactorbpf.core.testing.ApiBaseline;
import io.reactorbpf.core.testing.ApiBaselines;
import io.reactorbpf.core.testing.ModuleApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core module's API is its committed baseline, and the baseline check catches what it exists to catch. */
class ApiBaselineTest {

    private static final List<String> API = List.of("a.A public final class a.A", "a.A public int a.A.size()",
            "a.A public void a.A.close()");

    @Test
    void theBuiltApiIsTheBaselineOfTheProjectVersion() {
        assertEquals(List.of(), ApiBaselines.check("reactor-bpf-core", ModuleApi.of(BpfException.class)));
    }

    @Test
    void aChangedSignatureFailsTheCheckNamingBothSides(@TempDir Path dir) {
        ApiBaseline baseline = new ApiBaseline(dir);
        baseline.write("0.1.0-SNAPSHOT", "m", API);
        List<String> changed = new ArrayList<>(API);
        changed.set(1, "a.A public long a.A.size()");
        List<String> problems = baseline.check("0.1.0-SNAPSHOT", changed);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("+ a.A public long a.A.size()")
                && problems.get(0).contains("- a.A public int a.A.size()"), problems.get(0));
        assertEquals(List.of(), baseline.check("0.1.0-SNAPSHOT", API));
    }

    @Test
    void aVersionWithoutABaselineFailsNamingTheFileToWrite(@TempDir Path dir) {
        ApiBaseline baseline = new ApiBaseline(dir);
        baseline.write("0.1.0", "m", API);
        List<String> problems = baseline.check("0.2.0-SNAPSHOT", API);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("0.2.txt does not exist"), problems.get(0));
    }

    @Test
    void editingAnEarlierVersionsBaselineFails(@TempDir Path dir) throws IOException {
        ApiBaseline baseline = new ApiBaseline(dir);
        baseline.write("0.1.0", "m", API);
        baseline.write("0.2.0-SNAPSHOT", "m", API);
        assertEquals(List.of(), baseline.check("0.2.0-SNAPSHOT", API));
        Files.writeString(dir.resolve("0.1.txt"), "a.A public void a.A.open()\n", java.nio.file.StandardOpenOption.APPEND);
        List<String> problems = baseline.check("0.2.0-SNAPSHOT", API);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("baseline 0.1 changed"), problems.get(0));
    }

    @Test
    void fromOneOnDroppingAMemberNeedsANewMajorVersion(@TempDir Path dir) {
        ApiBaseline baseline = new ApiBaseline(dir);
        baseline.write("1.0.0", "m", API);
        List<String> smaller = API.subList(0, 2);
        baseline.write("1.1.0-SNAPSHOT", "m", smaller);
        List<String> problems = baseline.check("1.1.0-SNAPSHOT", smaller);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("drops or changes members of 1.0") && problems.get(0).contains("close()"),
                problems.get(0));
        Path minor = dir.resolve("1.1.txt");
        assertTrue(minor.toFile().delete());
        baseline.write("2.0.0-SNAPSHOT", "m", smaller);
        assertEquals(List.of(), baseline.check("2.0.0-SNAPSHOT", smaller));
    }

    @Test
    void aBaselineNewerThanTheProjectFails(@TempDir Path dir) {
        ApiBaseline baseline = new ApiBaseline(dir);
        baseline.write("0.1.0", "m", API);
        baseline.write("0.2.0", "m", API);
        List<String> problems = baseline.check("0.1.0", API);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("baseline 0.2 is newer"), problems.get(0));
    }
}
