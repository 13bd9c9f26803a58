package io.walkerd.index;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.Writer;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes {@code META-INF/walkerd/index}: every concrete walker, node and edge class of the module being compiled,
 * so that the runtime finds them without a classpath scan and without a hand-kept list.
 */
@SupportedAnnotationTypes("*")
public final class WalkerIndexProcessor extends AbstractProcessor {
    public static final String INDEX = "META-INF/walkerd/index";
    private static final String[] BASES = {"io.walkerd.walker.Walker", "io.walkerd.graph.Node", "io.walkerd.graph.Edge"};
    private final Set<String> found = new TreeSet<>();

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
        if (!type.getModifiers().contains(Modifier.ABSTRACT) && isArchetype(type.asType())) {
            found.add(processingEnv.getElementUtils().getBinaryName(type).toString());
        }
        for (Element inner : type.getEnclosedElements()) {
            if (inner.getKind() == ElementKind.CLASS && inner.getModifiers().contains(Modifier.STATIC)) visit(inner);
        }
    }

    private boolean isArchetype(TypeMirror type) {
        for (String base : BASES) {
            TypeElement b = processingEnv.getElementUtils().getTypeElement(base);
            if (b != null && processingEnv.getTypeUtils().isSubtype(type, processingEnv.getTypeUtils().erasure(b.asType()))) return true;
        }
        return false;
    }

    private void write() {
        if (found.isEmpty()) return;
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", INDEX);
            try (Writer w = file.openWriter()) {
                for (String name : found) w.write(name + "\n");
            }
        } catch (IOException ex) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + INDEX + ": " + ex.getMessage());
        }
    }
}
