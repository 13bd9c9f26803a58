package io.walkerd.index;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes two files at compile time, so that the runtime needs neither a classpath scan nor a hand-kept list:
 * {@code META-INF/walkerd/index}, every concrete walker, node, edge and savable object class of the module; and
 * {@code META-INF/walkerd/abilities}, the abilities of every class that declares some, in declaration order (which
 * reflection does not keep), one class a line: {@code binary.Name ability(param.Type) other()}.
 */
@SupportedAnnotationTypes("*")
public final class WalkerIndexProcessor extends AbstractProcessor {
    public static final String INDEX = "META-INF/walkerd/index";
    public static final String ABILITIES = "META-INF/walkerd/abilities";
    private static final String[] BASES = {"io.walkerd.walker.Walker", "io.walkerd.graph.Node", "io.walkerd.graph.Edge",
            "io.walkerd.graph.Obj"};
    private static final Set<String> ABILITY_ANNOTATIONS = Set.of("io.walkerd.walker.OnEntry", "io.walkerd.walker.OnExit");
    private final Set<String> found = new TreeSet<>();
    private final Map<String, List<String>> abilities = new TreeMap<>();

    @Override
    public SourceVersion getSupportedSourceVersion() { return SourceVersion.latestSupported(); }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (round.processingOver()) {
            write();
            return false;
        }
        for (Element e : round.getRootElements()) visit(e);
        return false;
    }

    private void visit(Element e) {
        if (e.getKind() != ElementKind.CLASS) return;
        TypeElement type = (TypeElement) e;
        String binaryName = processingEnv.getElementUtils().getBinaryName(type).toString();
        if (!type.getModifiers().contains(Modifier.ABSTRACT) && isArchetype(type.asType())) found.add(binaryName);
        List<String> declared = new ArrayList<>();
        // the compiler lists a class's members in the order of its source
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() == ElementKind.METHOD && isAbility(member)) declared.add(signature((ExecutableElement) member));
        }
        if (!declared.isEmpty()) abilities.put(binaryName, declared);
        for (Element inner : type.getEnclosedElements()) {
            if (inner.getKind() == ElementKind.CLASS) visit(inner);
        }
    }

    private static boolean isAbility(Element method) {
        for (AnnotationMirror a : method.getAnnotationMirrors()) {
            Element annotation = a.getAnnotationType().asElement();
            if (annotation instanceof TypeElement t && ABILITY_ANNOTATIONS.contains(t.getQualifiedName().toString())) return true;
        }
        return false;
    }

    /** {@code name(param.Binary.Name)}: how the runtime matches a reflected method to its place. */
    private String signature(ExecutableElement m) {
        StringBuilder b = new StringBuilder(m.getSimpleName()).append('(');
        boolean first = true;
        for (VariableElement p : m.getParameters()) {
            if (!first) b.append(',');
            first = false;
            b.append(binaryName(processingEnv.getTypeUtils().erasure(p.asType())));
        }
        return b.append(')').toString();
    }

    private String binaryName(TypeMirror t) {
        if (t.getKind() == TypeKind.DECLARED) {
            return processingEnv.getElementUtils().getBinaryName((TypeElement) ((DeclaredType) t).asElement()).toString();
        }
        return t.toString();
    }

    private boolean isArchetype(TypeMirror type) {
        for (String base : BASES) {
            TypeElement b = processingEnv.getElementUtils().getTypeElement(base);
            if (b != null && processingEnv.getTypeUtils().isSubtype(type, processingEnv.getTypeUtils().erasure(b.asType()))) return true;
        }
        return false;
    }

    private void write() {
        if (!found.isEmpty()) {
            writeResource(INDEX, found.stream().map(name -> name + "\n").toList());
        }
        if (!abilities.isEmpty()) {
            List<String> lines = new ArrayList<>();
            abilities.forEach((type, methods) -> lines.add(type + " " + String.join(" ", methods) + "\n"));
            writeResource(ABILITIES, lines);
        }
    }

    private void writeResource(String name, List<String> lines) {
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", name);
            try (Writer w = file.openWriter()) {
                for (String line : lines) w.write(line);
            }
        } catch (IOException ex) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + name + ": " + ex.getMessage());
        }
    }
}
