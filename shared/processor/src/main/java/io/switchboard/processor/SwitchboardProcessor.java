package io.switchboard.processor;

import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates Switchboard plugins and generates their registry. Every mistake is a compile error on the user's
 * element, annotation or annotation value: a wrong signature or return type, a pattern that breaks the channel
 * grammar or leaves its namespace, a duplicate pattern, a class the runtime cannot instantiate, a second
 * {@code @Authorizer}. Without errors, each round that found plugins gets one
 * {@code io.switchboard.generated.SwitchboardPlugins_<hash>}; the last round lists them in
 * {@code META-INF/services/io.switchboard.api.spi.PluginRegistry}.
 */
public final class SwitchboardProcessor extends AbstractProcessor {
    static final String API = "io.switchboard.api.";
    static final String CHANNEL_NAMESPACE = API + "ChannelNamespace";
    static final String ON_PUBLISH = API + "OnPublish";
    static final String ON_SUBSCRIBE = API + "OnSubscribe";
    static final String AUTHORIZER = API + "Authorizer";
    static final String SERVICE_FILE = "META-INF/services/io.switchboard.api.spi.PluginRegistry";
    static final List<String> AUTH_MODES =
        List.of("API_KEY", "AWS_IAM", "AMAZON_COGNITO_USER_POOLS", "OPENID_CONNECT", "AWS_LAMBDA");

    private Messager messager;
    private Filer filer;
    private Elements elements;
    private Types types;

    /** kind|namespace|canonical pattern → the method that declared it, across rounds. */
    private final Map<String, String> routes = new HashMap<>();
    private String authorizerClass;
    private final List<String> registries = new ArrayList<>();
    private int round;
    private boolean failed;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        messager = env.getMessager();
        filer = env.getFiler();
        elements = env.getElementUtils();
        types = env.getTypeUtils();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(CHANNEL_NAMESPACE, ON_PUBLISH, ON_SUBSCRIBE, AUTHORIZER);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment env) {
        if (env.processingOver()) {
            if (!failed && !registries.isEmpty()) {
                writeServiceFile();
            }
            return false;
        }
        round++;
        if (annotations.isEmpty()) {
            return false;
        }
        ApiTypes api = ApiTypes.find(elements, types);
        if (api == null) {
            error(annotations.iterator().next(), null, null,
                "switchboard-api is not on the compile class path: the Switchboard processor needs io.switchboard.api");
            return false;
        }
        boolean before = failed;
        List<Model.Namespace> namespaces = namespaces(env, api);
        orphanMethods(env, ON_PUBLISH);
        orphanMethods(env, ON_SUBSCRIBE);
        Model.Authorizer authorizer = authorizer(env, api);
        if (failed != before || (namespaces.isEmpty() && authorizer == null)) {
            return false;
        }
        generate(namespaces, authorizer);
        return false;
    }

    // ------------------------------------------------------------------ @ChannelNamespace and its methods

    private List<Model.Namespace> namespaces(RoundEnvironment env, ApiTypes api) {
        List<TypeElement> classes = new ArrayList<>();
        TypeElement annotation = elements.getTypeElement(CHANNEL_NAMESPACE);
        for (Element e : env.getElementsAnnotatedWith(annotation)) {
            classes.add((TypeElement) e);
        }
        classes.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        List<Model.Namespace> result = new ArrayList<>();
        for (TypeElement type : classes) {
            AnnotationMirror mirror = mirror(type, CHANNEL_NAMESPACE);
            checkClass(type, mirror, "@ChannelNamespace");
            String name = String.valueOf(value(mirror, "value").getValue());
            if (!ChannelPatterns.NAMESPACE.matcher(name).matches()) {
                error(type, mirror, value(mirror, "value"), "Invalid namespace name '" + name
                    + "': use 1 to 50 letters, digits or '-', not starting or ending with '-'");
            }
            Model.Namespace ns = new Model.Namespace(type.getQualifiedName().toString(), name,
                authModes(type, mirror, "publishAuthModes"), authModes(type, mirror, "subscribeAuthModes"));
            for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
                AnnotationMirror publish = mirror(method, ON_PUBLISH);
                AnnotationMirror subscribe = mirror(method, ON_SUBSCRIBE);
                if (publish != null) {
                    route(ns, method, publish, api, true);
                }
                if (subscribe != null) {
                    route(ns, method, subscribe, api, false);
                }
            }
            result.add(ns);
        }
        return result;
    }

    private List<String> authModes(TypeElement type, AnnotationMirror mirror, String attribute) {
        AnnotationValue value = explicitValue(mirror, attribute);
        List<String> modes = new ArrayList<>();
        if (value == null) {
            return modes;
        }
        if (!(value.getValue() instanceof List<?> items)) {
            return modes;
        }
        for (Object element : items) {
            AnnotationValue item = (AnnotationValue) element;
            String mode = String.valueOf(item.getValue());
            if (!AUTH_MODES.contains(mode)) {
                error(type, mirror, value, "Unknown auth mode '" + mode + "' in " + attribute + " (expected one of "
                    + String.join(", ", AUTH_MODES) + ")");
            } else if (!modes.contains(mode)) {
                modes.add(mode);
            }
        }
        return modes;
    }

    private void route(Model.Namespace ns, ExecutableElement method, AnnotationMirror mirror, ApiTypes api, boolean publish) {
        String label = publish ? "@OnPublish" : "@OnSubscribe";
        AnnotationValue aggregateValue = publish ? explicitValue(mirror, "aggregate") : null;
        boolean aggregate = aggregateValue != null && Boolean.TRUE.equals(aggregateValue.getValue());
        String methodName = method.getSimpleName().toString();
        String source = ns.className() + "#" + methodName;

        boolean ok = true;
        if (!method.getModifiers().contains(Modifier.PUBLIC)) {
            error(method, mirror, null, label + " method " + methodName + " must be public");
            ok = false;
        }
        if (!method.getTypeParameters().isEmpty()) {
            error(method, mirror, null, label + " method " + methodName + " must not declare type parameters");
            ok = false;
        }

        Model.Kind kind;
        List<String> arguments = new ArrayList<>();
        boolean returnsVoid = method.getReturnType().getKind() == TypeKind.VOID;
        List<? extends VariableElement> params = method.getParameters();
        if (!publish) {
            kind = Model.Kind.SUBSCRIBE;
            boolean paramsOk = params.size() == 1 && types.isSameType(params.get(0).asType(), api.subscribeContext);
            boolean returnOk = returnsVoid || types.isSameType(method.getReturnType(), api.subscribeDecision);
            if (!paramsOk || !returnOk) {
                error(method, mirror, null, "@OnSubscribe method " + methodName
                    + " must take (SubscribeContext) and return SubscribeDecision or void");
                ok = false;
            }
        } else if (aggregate) {
            kind = Model.Kind.AGGREGATE;
            boolean paramsOk = params.size() == 1 && types.isSameType(params.get(0).asType(), api.publishContext);
            boolean returnOk = !returnsVoid && types.isAssignable(method.getReturnType(), api.outgoingEvents);
            if (!paramsOk || !returnOk) {
                error(method, mirror, null, "@OnPublish(aggregate = true) method " + methodName
                    + " must take (PublishContext) and return List<OutgoingEvent>");
                ok = false;
            }
        } else {
            kind = Model.Kind.PER_EVENT;
            boolean paramsOk = !params.isEmpty() && params.size() <= 2;
            for (VariableElement p : params) {
                String argument = types.isSameType(p.asType(), api.incomingEvent) ? "event"
                    : types.isSameType(p.asType(), api.publishContext) ? "context" : null;
                if (argument == null || arguments.contains(argument)) {
                    paramsOk = false;
                } else {
                    arguments.add(argument);
                }
            }
            paramsOk &= arguments.contains("event");
            if (!paramsOk || returnsVoid) {
                error(method, mirror, null, "@OnPublish method " + methodName + " must take (IncomingEvent) or "
                    + "(IncomingEvent, PublishContext) and return the payload to broadcast, OutgoingEvent.drop() or "
                    + "OutgoingEvent.error(id, message); use aggregate = true to handle the whole batch");
                ok = false;
            }
        }

        AnnotationValue patternValue = value(mirror, "value");
        String raw = String.valueOf(patternValue.getValue());
        ChannelPatterns.Parsed parsed;
        try {
            parsed = ChannelPatterns.parse(raw);
        } catch (ChannelPatterns.Invalid e) {
            error(method, mirror, patternValue, "Invalid channel pattern '" + raw + "': " + e.getMessage());
            return;
        }
        if (!parsed.namespace().equals(ns.name())) {
            error(method, mirror, patternValue, "Channel pattern '" + raw + "' is outside namespace '" + ns.name()
                + "': it must start with /" + ns.name());
            return;
        }
        String key = (publish ? "publish|" : "subscribe|") + ns.name() + "|" + parsed.canonical();
        String previous = routes.putIfAbsent(key, source);
        if (previous != null) {
            error(method, mirror, patternValue, "Duplicate " + label + " pattern '" + parsed.canonical()
                + "' in namespace '" + ns.name() + "': already handled by " + previous);
            return;
        }
        if (ok) {
            ns.routes().add(new Model.Route(kind, parsed.canonical(), methodName,
                method.getModifiers().contains(Modifier.STATIC), List.copyOf(arguments), returnsVoid));
        }
    }

    /** Handler methods in classes that declare no namespace. */
    private void orphanMethods(RoundEnvironment env, String annotationName) {
        TypeElement annotation = elements.getTypeElement(annotationName);
        for (Element e : env.getElementsAnnotatedWith(annotation)) {
            Element owner = e.getEnclosingElement();
            if (mirror(owner, CHANNEL_NAMESPACE) == null) {
                String label = "@" + annotation.getSimpleName();
                error(e, mirror(e, annotationName), null, label + " method " + e.getSimpleName()
                    + " must be declared in a class annotated with @ChannelNamespace");
            }
        }
    }

    // ------------------------------------------------------------------ @Authorizer

    private Model.Authorizer authorizer(RoundEnvironment env, ApiTypes api) {
        List<TypeElement> classes = new ArrayList<>();
        for (Element e : env.getElementsAnnotatedWith(elements.getTypeElement(AUTHORIZER))) {
            classes.add((TypeElement) e);
        }
        classes.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        Model.Authorizer found = null;
        for (TypeElement type : classes) {
            AnnotationMirror mirror = mirror(type, AUTHORIZER);
            String className = type.getQualifiedName().toString();
            if (authorizerClass != null) {
                error(type, mirror, null, "Only one @Authorizer is allowed (AppSync Events allows one Lambda "
                    + "authorizer per API); " + authorizerClass + " is already one");
                continue;
            }
            authorizerClass = className;
            boolean ok = checkClass(type, mirror, "@Authorizer");
            ExecutableElement method = null;
            for (ExecutableElement m : ElementFilter.methodsIn(elements.getAllMembers(type))) {
                if (m.getSimpleName().contentEquals("authorize") && m.getModifiers().contains(Modifier.PUBLIC)
                    && m.getParameters().size() == 1
                    && types.isSameType(m.getParameters().get(0).asType(), api.authorizerRequest)
                    && types.isSameType(m.getReturnType(), api.authorizerResult)
                    && m.getTypeParameters().isEmpty()) {
                    method = m;
                }
            }
            if (method == null) {
                error(type, mirror, null, "@Authorizer class " + type.getSimpleName()
                    + " must have a method 'public AuthorizerResult authorize(AuthorizerRequest request)'");
                ok = false;
            }
            String regex = "";
            AnnotationValue regexValue = explicitValue(mirror, "identityValidationExpression");
            if (regexValue != null) {
                regex = String.valueOf(regexValue.getValue());
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    error(type, mirror, regexValue, "identityValidationExpression is not a valid regular expression: "
                        + e.getDescription());
                    ok = false;
                }
            }
            int ttl = 0;
            AnnotationValue ttlValue = explicitValue(mirror, "resultTtlSeconds");
            if (ttlValue != null) {
                ttl = ttlValue.getValue() instanceof Integer i ? i : 0;
                if (ttl < 0 || ttl > 3600) {
                    error(type, mirror, ttlValue, "resultTtlSeconds must be 0 to 3600, got " + ttl);
                    ok = false;
                }
            }
            if (ok) {
                found = new Model.Authorizer(className, method.getModifiers().contains(Modifier.STATIC), regex, ttl);
            }
        }
        return found;
    }

    // ------------------------------------------------------------------ shared checks

    /** The runtime must be able to write {@code new Type()} from another package. */
    private boolean checkClass(TypeElement type, AnnotationMirror mirror, String label) {
        if (type.getKind() != ElementKind.CLASS) {
            error(type, mirror, null, label + " must be placed on a class");
            return false;
        }
        boolean ok = true;
        if (!type.getModifiers().contains(Modifier.PUBLIC)) {
            error(type, mirror, null, label + " class " + type.getSimpleName() + " must be public");
            ok = false;
        }
        for (Element outer = type.getEnclosingElement(), inner = type; outer.getKind() != ElementKind.PACKAGE;
             inner = outer, outer = outer.getEnclosingElement()) {
            if (!inner.getModifiers().contains(Modifier.STATIC) || !outer.getModifiers().contains(Modifier.PUBLIC)
                || !(outer instanceof TypeElement)) {
                error(type, mirror, null, label + " class " + type.getSimpleName()
                    + " must be a top-level class or a public static nested class of a public class");
                ok = false;
                break;
            }
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            error(type, mirror, null, label + " class " + type.getSimpleName() + " must not be abstract");
            ok = false;
        }
        // a non-public class already has its error; its implicit constructor is not public either
        boolean constructor = !type.getModifiers().contains(Modifier.PUBLIC);
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (c.getParameters().isEmpty() && c.getModifiers().contains(Modifier.PUBLIC)) {
                constructor = true;
            }
        }
        if (!constructor) {
            error(type, mirror, null, label + " class " + type.getSimpleName()
                + " must have a public no-argument constructor");
            ok = false;
        }
        return ok;
    }

    private void error(Element element, AnnotationMirror mirror, AnnotationValue value, String message) {
        failed = true;
        messager.printMessage(Diagnostic.Kind.ERROR, message, element, mirror, value);
    }

    private static AnnotationMirror mirror(Element element, String annotation) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) m.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(annotation)) {
                return m;
            }
        }
        return null;
    }

    /** An attribute as written, or {@code null} when it takes its default. */
    private static AnnotationValue explicitValue(AnnotationMirror mirror, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** An attribute, written or defaulted. */
    private AnnotationValue value(AnnotationMirror mirror, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
            : elements.getElementValuesWithDefaults(mirror).entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(name)) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("annotation attribute " + name + " not found");
    }

    // ------------------------------------------------------------------ output

    private void generate(List<Model.Namespace> namespaces, Model.Authorizer authorizer) {
        List<String> classes = new ArrayList<>();
        namespaces.forEach(ns -> classes.add(ns.className()));
        if (authorizer != null) {
            classes.add(authorizer.className());
        }
        classes.sort(null);
        String simpleName = "SwitchboardPlugins_" + hash(String.join("\n", classes) + (round > 1 ? "\n#" + round : ""));
        String qualified = RegistryWriter.PACKAGE + "." + simpleName;
        String source = new RegistryWriter(elements).write(simpleName, namespaces, authorizer);
        List<Element> origins = new ArrayList<>();
        for (String c : classes) {
            origins.add(elements.getTypeElement(c));
        }
        try {
            JavaFileObject file = filer.createSourceFile(qualified, origins.toArray(new Element[0]));
            try (Writer w = file.openWriter()) {
                w.write(source);
            }
        } catch (IOException e) {
            messager.printMessage(Diagnostic.Kind.ERROR, "Could not write " + qualified + ": " + e.getMessage());
            failed = true;
            return;
        }
        registries.add(qualified);
    }

    private void writeServiceFile() {
        try {
            FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", SERVICE_FILE);
            try (Writer w = file.openWriter()) {
                for (String registry : registries) {
                    w.write(registry);
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            messager.printMessage(Diagnostic.Kind.ERROR, "Could not write " + SERVICE_FILE + ": " + e.getMessage());
        }
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** The API types signatures are checked against. */
    private record ApiTypes(TypeMirror incomingEvent, TypeMirror publishContext, TypeMirror subscribeContext,
                            TypeMirror subscribeDecision, TypeMirror outgoingEvents, TypeMirror authorizerRequest,
                            TypeMirror authorizerResult) {

        static ApiTypes find(Elements elements, Types types) {
            TypeElement incoming = elements.getTypeElement(API + "IncomingEvent");
            TypeElement outgoing = elements.getTypeElement(API + "OutgoingEvent");
            TypeElement collection = elements.getTypeElement("java.util.Collection");
            if (incoming == null || outgoing == null) {
                return null;
            }
            DeclaredType outgoingEvents = types.getDeclaredType(collection,
                types.getWildcardType(outgoing.asType(), null));
            return new ApiTypes(incoming.asType(), type(elements, "PublishContext"), type(elements, "SubscribeContext"),
                type(elements, "SubscribeDecision"), outgoingEvents, type(elements, "AuthorizerRequest"),
                type(elements, "AuthorizerResult"));
        }

        private static TypeMirror type(Elements elements, String simpleName) {
            return elements.getTypeElement(API + simpleName).asType();
        }
    }
}
