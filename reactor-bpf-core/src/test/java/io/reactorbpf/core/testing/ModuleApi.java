package io.reactorbpf.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a named module as its descriptor declares it: the packages it exports to everyone, the
 * public types in them and their public and protected members, each rendered as one line, and the members whose
 * signature names a type that no one outside its module may see. Reads the module through reflection on the
 * module path; immutable.
 */
public final class ModuleApi {

    private final Module module;
    private final java.net.URL location;
    private final Set<String> exported;
    private final List<Class<?>> types;

    private ModuleApi(Module module, java.net.URL location) {
        if (!module.isNamed()) {
            throw new IllegalStateException(module + " is not a named module: run the tests on the module path");
        }
        this.module = module;
        this.location = location;
        this.exported = module.getDescriptor().exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        this.types = classes().filter(ModuleApi::isApi).toList();
    }

    /** The module {@code member} belongs to, as built: the classes that come from where {@code member} comes from. */
    public static ModuleApi of(Class<?> member) {
        return new ModuleApi(member.getModule(), member.getProtectionDomain().getCodeSource().getLocation());
    }

    /** The packages exported to every module. */
    public Set<String> exportedPackages() {
        return exported;
    }

    /** Each qualified export as "package to module, module...". */
    public Set<String> qualifiedExports() {
        return module.getDescriptor().exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .map(e -> e.source() + " to " + String.join(", ", new TreeSet<>(e.targets())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every exported type, top-level and nested, as {@code Class} objects. */
    public List<Class<?>> types() {
        return types;
    }

    /** The exported top-level types, as {@code Class} objects. */
    public List<Class<?>> topLevelTypes() {
        return types.stream().filter(t -> t.getDeclaringClass() == null).toList();
    }

    /** Every exported type and member, one line each, sorted: the module's API as a baseline records it. */
    public List<String> signatures() {
        TreeSet<String> lines = new TreeSet<>();
        for (Class<?> t : types) {
            lines.add(t.getName() + " " + header(t));
            for (Member m : members(t)) {
                lines.add(t.getName() + " " + render(m));
            }
        }
        return List.copyOf(lines);
    }

    /** Every exported member (or type) whose signature names a type its module does not export (this one's or another's). */
    public List<String> leaks() {
        List<String> out = new ArrayList<>();
        for (Class<?> t : types) {
            List<Type> supers = new ArrayList<>(Arrays.asList(t.getGenericInterfaces()));
            if (t.getGenericSuperclass() != null) {
                supers.add(t.getGenericSuperclass());
            }
            hidden(supers).forEach(h -> out.add(t.getName() + " extends or implements " + h));
            for (Member m : members(t)) {
                hidden(referencedTypes(m)).forEach(h -> out.add(t.getName() + " " + render(m) + " names " + h));
            }
        }
        return out;
    }

    private Stream<Class<?>> classes() {
        ResolvedModule resolved = module.getLayer().configuration().findModule(module.getName()).orElseThrow();
        try (ModuleReader reader = resolved.reference().open()) {
            List<String> names = reader.list().filter(n -> n.endsWith(".class") && !n.equals("module-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
            // tests patched into the module are not its API
            return names.stream().map(this::load)
                    .filter(c -> location.equals(c.getProtectionDomain().getCodeSource().getLocation()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, module.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isApi(Class<?> t) {
        for (Class<?> c = t; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isSynthetic()) {
                return false;
            }
        }
        return t.getModule().isExported(t.getPackageName());
    }

    private static List<Member> members(Class<?> t) {
        List<Member> out = new ArrayList<>();
        for (Constructor<?> c : t.getDeclaredConstructors()) {
            if (visible(c.getModifiers()) && !c.isSynthetic() && !(t.isEnum())) {
                out.add(c);
            }
        }
        for (Method m : t.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                out.add(m);
            }
        }
        for (Field f : t.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                out.add(f);
            }
        }
        return out;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String header(Class<?> t) {
        StringBuilder b = new StringBuilder(t.toGenericString());
        Type sup = t.getGenericSuperclass();
        if (sup != null && sup != Object.class && !t.isEnum() && !t.isRecord()) {
            b.append(" extends ").append(sup.getTypeName());
        }
        Type[] interfaces = t.getGenericInterfaces();
        if (interfaces.length > 0) {
            b.append(t.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (t.isSealed()) {
            b.append(" permits ").append(Arrays.stream(t.getPermittedSubclasses()).map(Class::getName).sorted()
                    .collect(Collectors.joining(", ")));
        }
        return b.toString();
    }

    private static String render(Member m) {
        if (m instanceof Field f) {
            return f.toGenericString();
        }
        return ((Executable) m).toGenericString();
    }

    private static List<Type> referencedTypes(Member m) {
        List<Type> out = new ArrayList<>();
        if (m instanceof Field f) {
            out.add(f.getGenericType());
        } else if (m instanceof Executable e) {
            out.addAll(Arrays.asList(e.getGenericParameterTypes()));
            out.addAll(Arrays.asList(e.getGenericExceptionTypes()));
            out.addAll(Arrays.asList(e.getTypeParameters()));
            if (e instanceof Method method) {
                out.add(method.getGenericReturnType());
            }
        }
        return out;
    }

    private Set<String> hidden(List<Type> referenced) {
        Set<String> out = new TreeSet<>();
        List<Type> work = new ArrayList<>(referenced);
        Set<Type> seen = new java.util.HashSet<>();
        while (!work.isEmpty()) {
            Type t = work.remove(work.size() - 1);
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof Class<?> c) {
                while (c.isArray()) {
                    c = c.getComponentType();
                }
                if (c.getModule().isNamed() && !isApi(c)) {
                    out.add(c.getName());
                }
            } else if (t instanceof ParameterizedType p) {
                work.add(p.getRawType());
                work.addAll(Arrays.asList(p.getActualTypeArguments()));
            } else if (t instanceof GenericArrayType g) {
                work.add(g.getGenericComponentType());
            } else if (t instanceof WildcardType w) {
                work.addAll(Arrays.asList(w.getUpperBounds()));
                work.addAll(Arrays.asList(w.getLowerBounds()));
            } else if (t instanceof TypeVariable<?> v) {
                work.addAll(Arrays.asList(v.getBounds()));
            }
        }
        return out;
    }
}
