package io.reactorbpf.core.testing;

import com.sun.source.doctree.BlockTagTree;
import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The block tags of every type's own Javadoc comment in a source tree, parsed by javac: the comment directly before
 * the type's declaration, a nested type's included, so that a tag in the enclosing type's comment, a member's or
 * a string does not count for it. Parses the whole tree once when made; immutable afterwards.
 */
public final class SourceJavadoc {

    private final Path root;
    // canonical type name -> its own comment's block tags as written ("@since 0.1"), empty without a comment
    private final Map<String, List<String>> tags;

    private SourceJavadoc(Path root, Map<String, List<String>> tags) {
        this.root = root;
        this.tags = Map.copyOf(tags);
    }

    /**
     * Parses every {@code .java} file under {@code root} (a module's {@code src/main/java}).
     *
     * @param root the source tree, such as {@code Path.of("src/main/java")} in a test run from its module's directory
     * @return the tags of every type declared there
     * @throws IllegalArgumentException when {@code root} holds no Java source, as when a test runs elsewhere
     * @throws IllegalStateException when a file does not parse
     */
    public static SourceJavadoc read(Path root) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the sources under " + root.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no Java sources under " + root.toAbsolutePath());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            JavacTask task = (JavacTask) javac.getTask(null, fileManager, diagnostics, List.of("-proc:none"), null,
                    fileManager.getJavaFileObjectsFromPaths(files));
            Iterable<? extends CompilationUnitTree> units = task.parse();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR).map(d -> d.toString()).toList();
            if (!errors.isEmpty()) {
                throw new IllegalStateException("the sources under " + root + " do not parse: " + errors);
            }
            DocTrees docs = DocTrees.instance(task);
            Map<String, List<String>> tags = new HashMap<>();
            for (CompilationUnitTree unit : units) {
                String pkg = unit.getPackageName() == null ? "" : unit.getPackageName() + ".";
                for (Tree type : unit.getTypeDecls()) {
                    if (type instanceof ClassTree c) {
                        collect(docs, new TreePath(new TreePath(unit), c), pkg, tags);
                    }
                }
            }
            return new SourceJavadoc(root, tags);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(DocTrees docs, TreePath path, String prefix, Map<String, List<String>> tags) {
        ClassTree type = (ClassTree) path.getLeaf();
        String name = prefix + type.getSimpleName();
        DocCommentTree comment = docs.getDocCommentTree(path);
        tags.put(name, comment == null ? List.of() : comment.getBlockTags().stream()
                .filter(BlockTagTree.class::isInstance).map(Object::toString).toList());
        for (Tree member : type.getMembers()) {
            if (member instanceof ClassTree nested) {
                collect(docs, new TreePath(path, nested), name + ".", tags);
            }
        }
    }

    /**
     * The block tags of a type's own Javadoc comment, each as written ({@code "@param size the size"}), in order.
     *
     * @param canonicalName the type's name as {@link Class#getCanonicalName()} gives it
     * @return the tags; empty when the comment has none or there is no comment
     * @throws IllegalArgumentException when no source under the root declares the type
     */
    public List<String> blockTags(String canonicalName) {
        List<String> found = tags.get(canonicalName);
        if (found == null) {
            throw new IllegalArgumentException("no source under " + root.toAbsolutePath() + " declares "
                    + canonicalName);
        }
        return found;
    }

    /**
     * The types among {@code canonicalNames} whose own comment lacks block tag {@code tag}, or has it with nothing
     * after it: every one, so that a check names all offenders at once.
     *
     * @param tag            the tag's name without {@code @} ({@code "since"})
     * @param canonicalNames the types to look at
     * @return the offenders' names, sorted
     * @throws IllegalArgumentException when no source under the root declares one of the types
     */
    public List<String> lacking(String tag, Collection<String> canonicalNames) {
        String written = "@" + tag;
        return canonicalNames.stream()
                .filter(name -> blockTags(name).stream().noneMatch(t -> t.startsWith(written + " ")
                        && !t.substring(written.length()).isBlank()))
                .sorted().collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "SourceJavadoc[" + root + ", " + tags.size() + " types]";
    }
}
