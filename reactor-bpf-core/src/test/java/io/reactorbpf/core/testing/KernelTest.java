package io.reactorbpf.core.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that runs against the real kernel: it creates maps, loads programs or opens perf events.
 * Tagged {@code kernel}. Without the privileges it needs, the test skips, unless the environment variable
 * {@code REACTOR_BPF_KERNEL_TESTS=required} is set (CI sets it): then it fails.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(KernelTestExtension.class)
public @interface KernelTest {
}
