package io.tagpipe.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a test once per ClickHouse: Debian's {@code clickhouse-server} 18.16 (legacy dialect) and the
 * current engine (ClickHouse 26.7, chDB). The test takes a {@link ClickHouse} parameter. The system
 * property {@code tagpipe.clickhouse} ({@code both}, the default, {@code legacy} or {@code current})
 * narrows a local run; {@code ./tagpipe test} runs both.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith({RealServices.class, EachClickHouse.Engines.class})
public @interface EachClickHouse {

    enum Kind {
        LEGACY, CURRENT;

        static List<Kind> selected() {
            String p = System.getProperty("tagpipe.clickhouse", "both").trim().toLowerCase(Locale.ROOT);
            return switch (p) {
                case "both", "" -> List.of(values());
                case "legacy" -> List.of(LEGACY);
                case "current" -> List.of(CURRENT);
                default -> throw new IllegalArgumentException("tagpipe.clickhouse must be both, legacy or current, not '"
                        + p + "'");
            };
        }
    }

    /** One invocation per selected kind, each resolving {@link ClickHouse} to that kind's shared instance. */
    final class Engines implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return context.getTestMethod().map(m -> m.isAnnotationPresent(EachClickHouse.class)).orElse(false);
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return Kind.selected().stream().map(Invocation::new);
        }
    }

    /** The invocation of one kind. */
    final class Invocation implements TestTemplateInvocationContext, ParameterResolver {
        private final Kind kind;

        Invocation(Kind kind) {
            this.kind = kind;
        }

        @Override
        public String getDisplayName(int index) {
            return kind == Kind.CURRENT ? "[ClickHouse 26.7 engine (chDB)]" : "[clickhouse-server 18.16]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == ClickHouse.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return RealServices.clickhouse(e, kind);
        }
    }
}
