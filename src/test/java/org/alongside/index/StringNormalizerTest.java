package org.alongside.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringNormalizerTest {

    @Test
    void foldsCaseAndAccents() {
        assertThat(StringNormalizer.normalize("José")).isEqualTo("jose");
        assertThat(StringNormalizer.normalize("ÅNGSTRÖM")).isEqualTo("angstrom");
        // decomposed input folds the same as precomposed
        assertThat(StringNormalizer.normalize("Jose\u0301")).isEqualTo("jose");
    }

    @Test
    void keepsOtherCharacters() {
        assertThat(StringNormalizer.normalize("O'Brien-Smith 2")).isEqualTo("o'brien-smith 2");
    }

    @Test
    void truncatesToMaxLength() {
        String longText = "A".repeat(StringNormalizer.MAX_LENGTH + 10);
        assertThat(StringNormalizer.truncate(longText)).hasSize(StringNormalizer.MAX_LENGTH);
        assertThat(StringNormalizer.normalize(longText)).isEqualTo("a".repeat(StringNormalizer.MAX_LENGTH));
        assertThat(StringNormalizer.truncate("short")).isEqualTo("short");
    }
}
