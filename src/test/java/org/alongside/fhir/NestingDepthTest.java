package org.alongside.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NestingDepthTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonCountsObjectsAndArraysButNotBracketsInStrings() {
        assertThat(NestingDepth.json(bytes("{\"a\":[{\"b\":1}]}"))).isEqualTo(3);
        assertThat(NestingDepth.json(bytes("{\"a\":\"[[[[{{{{\"}"))).isEqualTo(1);
        assertThat(NestingDepth.json(bytes("{\"a\":\"quote \\\" [[[\"}"))).isEqualTo(1);
        assertThat(NestingDepth.json(bytes("[".repeat(5000)))).isEqualTo(5000);
    }

    @Test
    void xmlCountsElementsAndSkipsSelfClosingCommentsAndAttributes() {
        assertThat(NestingDepth.xml(bytes("<?xml version=\"1.0\"?><Patient><name><family value=\"x\"/></name>"
                + "</Patient>"))).isEqualTo(3);
        assertThat(NestingDepth.xml(bytes("<a><!-- <b><c><d> --><e attr=\"x > <y\"/></a>"))).isEqualTo(2);
        assertThat(NestingDepth.xml(bytes("<a>" .repeat(4000) + "</a>".repeat(4000)))).isEqualTo(4000);
        assertThat(NestingDepth.xml(bytes("<a/><b/><c/>"))).isEqualTo(1);
    }
}
