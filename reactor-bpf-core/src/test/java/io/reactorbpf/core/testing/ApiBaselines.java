package io.reactorbpf.core.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * A module test's entry to its API baseline: the baselines in the module's {@code api/} directory, the project
 * version Maven passes as the system property {@code project.version}, and {@code -Dapi.baseline.write=true}
 * to rewrite the project version's baseline from the API as built instead of checking it.
 */
public final class ApiBaselines {

    private ApiBaselines() {
    }

    /** The problems of {@code api} against the baselines of the module whose tests run in the working directory. */
    public static List<String> check(String module, ModuleApi api) {
        String version = System.getProperty("project.version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("the system property project.version is not set: run the tests with Maven");
        }
        ApiBaseline baseline = new ApiBaseline(Path.of("api"));
        if (Boolean.getBoolean("api.baseline.write")) {
            System.out.println("wrote " + baseline.write(version, module, api.signatures()).toAbsolutePath());
        }
        return baseline.check(version, api.signatures());
    }
}
