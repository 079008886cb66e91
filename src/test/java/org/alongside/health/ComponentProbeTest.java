package org.alongside.health;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;
import jakarta.servlet.http.HttpFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.alongside.testsupport.GuideBlocks;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ComponentProbeTest {

    /** Stands for an API whose feature the server lacks (issue 16: MicroProfile JWT's JsonWebToken). */
    public interface MissingApi {
    }

    public static class FilterNeedingAMissingApi extends HttpFilter {
        private static final long serialVersionUID = 1L;
        @Inject
        transient MissingApi caller;
    }

    public static class FilterWithAnInjection extends HttpFilter {
        private static final long serialVersionUID = 1L;
        @Inject
        transient Runnable verifier;
        transient Object notInjected;
    }

    @Test
    void aFilterWhoseFieldTypeTheServerLacksCannotBeMade() {
        ClassLoader server = new HidingLoader(MissingApi.class.getName(), FilterNeedingAMissingApi.class.getName());

        Optional<String> problem = ComponentProbe.problemOf(FilterNeedingAMissingApi.class.getName(), server,
                field -> { });

        assertThat(problem).hasValueSatisfying(text -> assertThat(text)
                .startsWith("NoClassDefFoundError").contains("MissingApi"));
    }

    @Test
    void aFilterWhoseInjectionPointCannotBeSatisfiedCannotBeMade() {
        Optional<String> problem = ComponentProbe.problemOf(FilterWithAnInjection.class.getName(),
                getClass().getClassLoader(), field -> {
                    throw new IllegalStateException("Unsatisfied dependencies for type " + field.getType().getName());
                });

        assertThat(problem).hasValue("IllegalStateException: Unsatisfied dependencies for type java.lang.Runnable");
    }

    @Test
    void aFilterThatLinksAndInjectsCanBeMadeAndOnlyItsInjectedFieldsAreChecked() {
        StringBuilder checked = new StringBuilder();

        Optional<String> problem = ComponentProbe.problemOf(FilterWithAnInjection.class.getName(),
                getClass().getClassLoader(), field -> checked.append(field.getName()));

        assertThat(problem).isEmpty();
        assertThat(checked).hasToString("verifier");
    }

    @Test
    void aComponentClassThatIsNotThereCannotBeMade() {
        assertThat(ComponentProbe.problemOf("org.alongside.NoSuchFilter", getClass().getClassLoader(), field -> { }))
                .hasValueSatisfying(text -> assertThat(text).startsWith("ClassNotFoundException"));
    }

    @Test
    void aPlatformApiTheApplicationCannotSeeNamesTheFeatureToAdd() {
        ClassLoader withoutJsonP = new HidingLoader("jakarta.json.", null);

        assertThat(ComponentProbe.missingFeatures(withoutJsonP)).containsExactly("jsonp-2.1");
        assertThat(ComponentProbe.missingFeatures(getClass().getClassLoader())).isEmpty();
    }

    @Test
    void readinessIsDownUntilTheProbeRanAndWhileAnythingCannotBeMade() {
        HealthCheckResponse starting = WebReadiness.responseFor(null);
        HealthCheckResponse broken = WebReadiness.responseFor(Map.of("filter authentication",
                "NoClassDefFoundError: org/eclipse/microprofile/jwt/JsonWebToken"));
        HealthCheckResponse ready = WebReadiness.responseFor(Map.of());

        assertThat(starting.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(broken.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(broken.getData()).hasValueSatisfying(data -> assertThat(data)
                .containsEntry("filter authentication", "NoClassDefFoundError: org/eclipse/microprofile/jwt/JsonWebToken"));
        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ready.getName()).isEqualTo("web");
    }

    @Test
    void theEmbeddingGuideEnablesEveryFeatureWhoseApiTheApplicationUses() {
        String dropIn = GuideBlocks.of(Path.of("docs/operations.md")).block("embedding:alongside.xml");
        Matcher feature = Pattern.compile("<feature>([^<]+)</feature>").matcher(dropIn);
        java.util.Set<String> features = new java.util.HashSet<>();
        while (feature.find()) {
            features.add(feature.group(1));
        }

        assertThat(features).containsAll(ComponentProbe.PLATFORM_APIS.values().stream().collect(Collectors.toSet()))
                .contains("jdbc-4.3");
    }

    /**
     * A server's view of the application: classes named by {@code hidden} (a name, or a package prefix ending in a
     * dot) are not there, and {@code definedHere} is defined by this loader, so its references resolve through it.
     */
    private static final class HidingLoader extends ClassLoader {
        private final String hidden;
        private final String definedHere;

        HidingLoader(String hidden, String definedHere) {
            super(ComponentProbeTest.class.getClassLoader());
            this.hidden = hidden;
            this.definedHere = definedHere;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (hidden.endsWith(".") ? name.startsWith(hidden) : name.equals(hidden)) {
                throw new ClassNotFoundException(name);
            }
            if (!name.equals(definedHere)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
