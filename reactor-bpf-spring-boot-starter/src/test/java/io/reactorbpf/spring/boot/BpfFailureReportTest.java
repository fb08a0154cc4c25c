package io.reactorbpf.spring.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring Boot application with a bad {@code reactorbpf.*} property stops with Spring Boot's failure report, whose
 * description is one line naming the property: the starter's analyzer is registered in META-INF/spring.factories,
 * and binding errors get Spring Boot's own report naming the stream.
 */
@ExtendWith(OutputCaptureExtension.class)
class BpfFailureReportTest {

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
    }

    private static void run(String... properties) {
        SpringApplication app = new SpringApplication(Application.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setRegisterShutdownHook(false);
        String[] args = Stream.concat(Arrays.stream(Execs.PROPERTIES), Arrays.stream(properties))
                .map(p -> "--" + p).toArray(String[]::new);
        assertThrows(RuntimeException.class, () -> app.run(args).close());
    }

    @Test
    void anUnknownGlobalFailsTheStartWithAReportWhoseDescriptionIsOneLineNamingTheProperty(CapturedOutput output) {
        run("reactorbpf.objects.execs.globals.target_uid=1000");
        assertTrue(output.getAll().contains("APPLICATION FAILED TO START"), output.getAll());
        assertTrue(output.getAll().contains("Description:\n\nreactorbpf.objects.execs.globals.target_uid: object 'execs'"
                + " has no global variable 'target_uid'; it has [target_ppid]\n\nAction:\n\nChange"
                + " reactorbpf.objects.execs.globals.target_uid"), output.getAll());
    }

    @Test
    void aMalformedWakeupFailsTheStartWithSpringBootsBindingReportNamingTheStream(CapturedOutput output) {
        run("reactorbpf.objects.execs.streams.perf_events.wakeup=sometimes");
        // Spring Boot prints a name in its uniform form, without the map key's '_'
        assertTrue(output.getAll().contains("Failed to bind properties under"
                + " 'reactorbpf.objects.execs.streams.perfevents' to " + BpfStreamProperties.class.getName()),
                output.getAll());
        assertTrue(output.getAll().contains("wakeup 'sometimes' is none of adaptive, every-sample, quarter-ring,"
                + " events:N, watermark:SIZE"), output.getAll());
    }
}
