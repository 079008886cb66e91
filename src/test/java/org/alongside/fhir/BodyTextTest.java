package org.alongside.fhir;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BodyTextTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validUtf8PassesAndBrokenSequencesAreRefused() {
        assertThatCode(() -> BodyText.requireValidEncoding(utf8("{\"family\":\"Müller 日本\"}"), StandardCharsets.UTF_8))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> BodyText.requireValidEncoding(new byte[] {'"', (byte) 0xff, (byte) 0xfe, '"'},
                StandardCharsets.UTF_8)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("UTF-8");
        // a truncated two-byte sequence, and an overlong encoding of '/'
        assertThatThrownBy(() -> BodyText.requireValidEncoding(new byte[] {'a', (byte) 0xc3}, StandardCharsets.UTF_8))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> BodyText.requireValidEncoding(new byte[] {(byte) 0xc0, (byte) 0xaf},
                StandardCharsets.UTF_8)).isInstanceOf(InvalidRequestException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u001b", "\\u001B", "\\u0007", "\\u001f", "\\b", "\\f"})
    void escapedControlCharactersInValuesAreRefused(String escape) {
        assertThatThrownBy(() -> BodyText.requireNoControlCharacters(utf8("{\"name\":[{\"family\":\"a" + escape
                + "b\"}]}"))).isInstanceOf(InvalidRequestException.class).hasMessageContaining("control character");
    }

    @Test
    void controlCharactersInNamesAreRefusedToo() {
        assertThatThrownBy(() -> BodyText.requireNoControlCharacters(utf8("{\"fam\\u0000ily\":\"x\"}")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void tabsLineBreaksAndEscapedBackslashesAreFine() {
        assertThatCode(() -> BodyText.requireNoControlCharacters(utf8(
                "{\"text\":\"one\\ttwo\\r\\nthree \\\\u0000 is text \\u00e9 \\u2028\",\"n\":[1,true,null]}")))
                .doesNotThrowAnyException();
    }

    @Test
    void malformedJsonIsLeftToHapi() {
        assertThatCode(() -> BodyText.requireNoControlCharacters(utf8("{\"a\":\"\\u0000"))).as("unterminated")
                .doesNotThrowAnyException();
        assertThatCode(() -> BodyText.requireNoControlCharacters(utf8("{\"a\": nope}"))).doesNotThrowAnyException();
    }
}
