package io.reactorbpf.core.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Javadoc check judges each type by its own comment only, and names every type that fails it. */
class SourceJavadocTest {

    private static final String SOURCE = """
            package a;

            /**
             * Has the tag.
             *
             * @since 0.1
             */
            public class A {

                /** Nested in a type that has the tag. */
                public static class Nested {
                }

                /**
                 * Has the tag too.
                 *
                 * @param <T> a parameter
                 * @since 0.2
                 */
                @Deprecated
                public sealed interface Tagged<T> permits Tagged.Deeper {

                    /** Only mentions {@code @since} in its text; @since 0.1 mid-line is no tag either. */
                    record Deeper() implements Tagged<String> {
                    }
                }

                /**
                 * A field's comment, not the next type's.
                 *
                 * @since 0.1
                 */
                int field;

                enum AfterAField { X }

                String text = "/** @since 0.1 */";

                class AfterAString {
                }

                /**
                 * Has the tag with no version.
                 *
                 * @since
                 */
                interface Empty {
                }
            }
            """;

    @Test
    void aTypeIsJudgedByItsOwnCommentNotByItsEnclosingTypesOrItsNeighbours(@TempDir Path root) throws IOException {
        SourceJavadoc sources = read(root);
        assertEquals(List.of("a.A.AfterAField", "a.A.AfterAString", "a.A.Nested", "a.A.Tagged.Deeper"),
                sources.lacking("since", List.of("a.A", "a.A.Nested", "a.A.Tagged", "a.A.Tagged.Deeper",
                        "a.A.AfterAField", "a.A.AfterAString")));
    }

    @Test
    void aTagWithoutAVersionCountsAsMissing(@TempDir Path root) throws IOException {
        assertEquals(List.of("a.A.Empty"), read(root).lacking("since", List.of("a.A.Empty")));
    }

    @Test
    void aTypeTheSourcesDoNotDeclareIsAnErrorNotAPass(@TempDir Path root) throws IOException {
        SourceJavadoc sources = read(root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sources.lacking("since", List.of("a.A", "a.Missing")));
        assertTrue(e.getMessage().contains("declares a.Missing"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutSourcesIsAnError(@TempDir Path root) {
        assertThrows(IllegalArgumentException.class, () -> SourceJavadoc.read(root));
    }

    private static SourceJavadoc read(Path root) throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/A.java"), SOURCE);
        return SourceJavadoc.read(root);
    }
}
