package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code sh} blocks of a guide in docs/, in order, with bash and curl against the server under test, so the
 * guide's examples cannot go stale. The script stops at the first failing command ({@code set -e}, {@code curl -f},
 * {@code test}); the output is handed back for the test to check what the guide says the reader will see.
 */
final class GuideScript {

    private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    private GuideScript() {
    }

    /** The text of a guide, or of one of its sections: from its {@code ## heading} line to the next {@code ## }. */
    static String read(String doc, String heading) throws IOException {
        String text = Files.readString(Path.of(doc), StandardCharsets.UTF_8);
        if (heading == null) {
            return text;
        }
        int start = text.indexOf("\n## " + heading + "\n");
        assertThat(start).as(doc + " has a section " + heading).isGreaterThanOrEqualTo(0);
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    static List<String> blocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Runs the blocks with {@code BASE} (this server's FHIR base) and {@code RUN} set; fails unless every block ran. */
    static String run(List<String> blocks, String run) throws IOException, InterruptedException {
        return run(blocks, run, java.util.Map.of());
    }

    /** The same, with more variables for the script (e.g. a receiver's URL the guide leaves to the reader). */
    static String run(List<String> blocks, String run, java.util.Map<String, String> variables)
            throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            script.append("echo '### block ").append(i).append("'\n").append(blocks.get(i)).append('\n');
        }
        Path file = Files.createTempFile("guide", ".sh");
        Files.writeString(file, script);
        ProcessBuilder bash = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
        bash.environment().put("BASE", FhirServer.fhirBase());
        bash.environment().put("RUN", run);
        bash.environment().putAll(variables);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("guide script output:\n" + output).isZero();
        assertThat(output).as("every block ran").contains("### block " + (blocks.size() - 1));
        return output;
    }
}
