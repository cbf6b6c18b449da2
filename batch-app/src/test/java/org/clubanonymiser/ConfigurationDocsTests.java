package org.clubanonymiser;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md cannot drift from the code. The product's settings are found by reflection over its own main
 * classes (never test classes): every {@code @ConfigurationProperties} record under {@code anonymiser.*}, component
 * by component (nested records recursively, names in kebab case, defaults from {@code @DefaultValue}); every
 * {@code @Value("${anonymiser.…:default}")}; every {@code anonymiser.*} name a {@code @ConditionalOnProperty} tests;
 * and the prefix of every {@code @ConfigurationProperties} bean method (such as {@code anonymiser.datasource}, bound
 * to Spring's own {@code DataSourceProperties}). The page documents a property as a table row whose first cell is the
 * name in backticks and whose second cell holds the default in backticks.
 */
class ConfigurationDocsTests {

    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(anonymiser\\.[a-z0-9.-]+)(?::([^}]*))?}");

    @Test
    void everyPropertyOfTheProductIsDocumentedWithItsDefault() throws IOException {
        Settings settings = Settings.scan();
        Map<String, String> rows = documentedRows();
        List<String> problems = new ArrayList<>();
        settings.properties.forEach((name, property) -> {
            String defaultCell = rows.get(name);
            if (defaultCell == null) {
                problems.add("docs/configuration.md has no row for " + name + " (" + property.source + ")");
            }
            else if (property.defaultValue != null && !defaultCell.contains("`" + property.defaultValue + "`")) {
                problems.add("docs/configuration.md gives " + name + " the default " + defaultCell + ", the code `"
                        + property.defaultValue + "` (" + property.source + ")");
            }
        });
        settings.prefixes.forEach((prefix, source) -> {
            if (rows.keySet().stream().noneMatch(name -> name.startsWith(prefix + "."))) {
                problems.add("docs/configuration.md has no row for " + prefix + ".* (" + source + ")");
            }
        });
        assertThat(problems).as("properties missing from docs/configuration.md").isEmpty();
    }

    @Test
    void everyDocumentedAnonymiserPropertyExists() throws IOException {
        Settings settings = Settings.scan();
        List<String> unknown = documentedRows().keySet().stream()
            .filter(name -> name.startsWith("anonymiser."))
            .filter(name -> !settings.properties.containsKey(name))
            .filter(name -> settings.prefixes.keySet().stream().noneMatch(prefix -> name.startsWith(prefix + ".")))
            .map(name -> "docs/configuration.md documents " + name + ", which no part of the product reads")
            .toList();
        assertThat(unknown).as("properties in docs/configuration.md that do not exist").isEmpty();
    }

    /** The scan must see the product: a scan that found nothing would let every doc row pass unchecked. */
    @Test
    void theScanFindsTheProductsSettings() {
        Settings settings = Settings.scan();
        assertThat(settings.properties).containsKeys("anonymiser.storage-dir", "anonymiser.recovery.lease",
                "anonymiser.import.zip.min-inflate-ratio", "anonymiser.web.job-threads",
                "anonymiser.web.login-throttle.max-lock", "anonymiser.shutdown.stop-timeout", "anonymiser.mode");
        assertThat(settings.properties.get("anonymiser.schedule.export-purge").defaultValue).isEqualTo("0 30 3 * * *");
        assertThat(settings.properties.get("anonymiser.shutdown.stop-timeout").defaultValue).isEqualTo("25s");
        assertThat(settings.prefixes).containsKey("anonymiser.datasource");
        assertThat(settings.properties.keySet()).allMatch(name -> name.startsWith("anonymiser."));
    }

    /** Table rows of the page: the name in the first cell's backticks, mapped to the second cell. */
    private static Map<String, String> documentedRows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String name = cells[1].trim();
            if (name.startsWith("`") && name.indexOf('`', 1) == name.length() - 1) {
                rows.put(name.substring(1, name.length() - 1), cells.length > 2 ? cells[2].trim() : "");
            }
        }
        return rows;
    }

    private record Property(String defaultValue, String source) {
    }

    /** The product's settings: property name → default (or null) and where it is declared; bound prefixes. */
    private static final class Settings {

        private final Map<String, Property> properties = new LinkedHashMap<>();

        private final Map<String, String> prefixes = new LinkedHashMap<>();

        static Settings scan() {
            Settings settings = new Settings();
            mainClasses().forEach(type -> {
                ConfigurationProperties bound = type.getAnnotation(ConfigurationProperties.class);
                if (bound != null && type.isRecord() && prefix(bound).startsWith("anonymiser")) {
                    settings.record(prefix(bound), type, type.getSimpleName());
                }
                settings.conditions(type, type.getSimpleName());
                for (Method method : type.getDeclaredMethods()) {
                    ConfigurationProperties onBean = method.getAnnotation(ConfigurationProperties.class);
                    if (onBean != null && prefix(onBean).startsWith("anonymiser.")) {
                        settings.prefixes.put(prefix(onBean), type.getSimpleName() + "." + method.getName());
                    }
                    settings.conditions(method, type.getSimpleName() + "." + method.getName());
                    settings.values(method, type.getSimpleName() + "." + method.getName());
                }
                for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                    settings.values(constructor, type.getSimpleName());
                }
                Arrays.stream(type.getDeclaredFields())
                    .forEach(field -> settings.value(field.getAnnotation(Value.class), type.getSimpleName()));
            });
            return settings;
        }

        private void record(String prefix, Class<?> type, String source) {
            RecordComponent[] components = type.getRecordComponents();
            Parameter[] parameters = canonicalConstructor(type).getParameters();
            for (int i = 0; i < components.length; i++) {
                String name = prefix + "." + kebab(components[i].getName());
                Class<?> componentType = components[i].getType();
                if (componentType.isRecord() && componentType.getName().startsWith("org.clubanonymiser.")) {
                    record(name, componentType, source);
                    continue;
                }
                DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
                properties.put(name, new Property(
                        defaultValue == null || defaultValue.value().length == 0 ? null
                                : String.join(",", defaultValue.value()),
                        source));
            }
        }

        private void conditions(AnnotatedElement element, String source) {
            MergedAnnotations.from(element).stream(ConditionalOnProperty.class).forEach(condition -> {
                String prefix = condition.getString("prefix");
                Stream.concat(Arrays.stream(condition.getStringArray("name")),
                        Arrays.stream(condition.getStringArray("value")))
                    .map(name -> prefix.isEmpty() ? name : prefix + "." + name)
                    .filter(name -> name.startsWith("anonymiser."))
                    .forEach(name -> properties.putIfAbsent(name, new Property(null, source)));
            });
        }

        private void values(Executable executable, String source) {
            value(executable.getAnnotation(Value.class), source);
            for (Parameter parameter : executable.getParameters()) {
                value(parameter.getAnnotation(Value.class), source);
            }
        }

        private void value(Value value, String source) {
            if (value == null) {
                return;
            }
            Matcher matcher = PLACEHOLDER.matcher(value.value());
            while (matcher.find()) {
                properties.put(matcher.group(1), new Property(matcher.group(2), source));
            }
        }

        private static String prefix(ConfigurationProperties bound) {
            return bound.prefix().isEmpty() ? bound.value() : bound.prefix();
        }

        private static Constructor<?> canonicalConstructor(Class<?> record) {
            Class<?>[] types = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
            try {
                return record.getDeclaredConstructor(types);
            }
            catch (NoSuchMethodException ex) {
                throw new IllegalStateException("A record without its canonical constructor: " + record, ex);
            }
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }

        /** Every class of the product's main code (batch-jobs and batch-app), test classes left out. */
        private static List<Class<?>> mainClasses() {
            // Every class, whatever its conditions: the scanner would otherwise evaluate @ConditionalOnProperty and
            // leave out the classes a property switches on, the very ones whose properties are wanted here.
            ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(
                    false) {

                @Override
                protected boolean isCandidateComponent(MetadataReader reader) {
                    String location = reader.getResource().getDescription();
                    return !location.contains("test-classes") && !location.contains("-tests.jar");
                }

                @Override
                protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                    return true;
                }
            };
            TreeSet<String> names = new TreeSet<>();
            for (BeanDefinition candidate : scanner.findCandidateComponents("org.clubanonymiser")) {
                names.add(candidate.getBeanClassName());
            }
            ClassLoader loader = ConfigurationDocsTests.class.getClassLoader();
            return names.stream().<Class<?>>map(name -> ClassUtils.resolveClassName(name, loader)).toList();
        }
    }
}
