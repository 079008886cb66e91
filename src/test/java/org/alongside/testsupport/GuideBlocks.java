package org.alongside.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a guide that a test runs or installs: each is marked in the Markdown by an HTML comment
 * {@code <!-- name -->} (invisible when rendered) on the line before its fence. Reading them from the guide itself is
 * what keeps the guide from going stale.
 */
public final class GuideBlocks {

    private final String text;
    private final Path guide;

    private GuideBlocks(Path guide, String text) {
        this.guide = guide;
        this.text = text;
    }

    public static GuideBlocks of(Path guide) {
        try {
            return new GuideBlocks(guide, Files.readString(guide, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body of the one fenced block marked {@code <!-- marker -->}; fails when there is none, or more than one. */
    public String block(String marker) {
        Matcher m = Pattern.compile("<!-- " + Pattern.quote(marker) + " -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL)
                .matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(guide + " has no code block marked <!-- " + marker + " -->");
        }
        String body = m.group(1);
        if (m.find()) {
            throw new IllegalStateException(guide + " marks two code blocks <!-- " + marker + " -->");
        }
        return body;
    }
}
