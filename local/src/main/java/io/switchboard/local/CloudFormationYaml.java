package io.switchboard.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation / SAM template into plain maps and lists. The short-form intrinsic
 * tags ({@code !Ref X}, {@code !Sub '...'}, {@code !GetAtt A.B}, ...) become their long form
 * ({@code {Ref: X}}, {@code {Fn::Sub: ...}}, {@code {Fn::GetAtt: [A, B]}}), so the rest of the
 * gateway only ever sees one shape. Public for the template checks of the tests module, which read
 * {@code template.yaml} exactly as the gateway does.
 */
public final class CloudFormationYaml {

    private static final List<String> FUNCTION_TAGS = List.of(
            "Base64", "Cidr", "FindInMap", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
            "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length", "ForEach");

    private CloudFormationYaml() {
    }

    /** The template at {@code path}; an IOException also when it is not a YAML mapping. */
    public static Map<String, Object> read(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new IntrinsicConstructor()).load(reader);
            if (!(root instanceof Map<?, ?> map)) {
                throw new IOException(path + " is not a YAML mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return typed;
        }
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor() {
            super(loaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
            for (String name : FUNCTION_TAGS) {
                yamlConstructors.put(new Tag("!" + name), new LongForm("Fn::" + name));
            }
        }

        private static LoaderOptions loaderOptions() {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return options;
        }

        private Object constructAny(Node node) {
            if (node instanceof ScalarNode scalar) {
                return constructScalar(scalar);
            }
            if (node instanceof SequenceNode sequence) {
                return constructSequence(sequence);
            }
            return constructMapping((MappingNode) node);
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                return Map.of(key, constructAny(node));
            }
        }

        private final class GetAtt extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                Object value = constructAny(node);
                if (value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    value = dot < 0 ? List.of(dotted) : List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
                }
                return Map.of("Fn::GetAtt", value);
            }
        }
    }
}
