package org.alongside.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * Character rules for request bodies that HAPI's parsers do not enforce. HAPI decodes a body leniently (invalid
 * bytes become U+FFFD, so what is stored is not what was sent), and its JSON parser accepts escaped control
 * characters ({@code \u0000}, {@code \u001b}) that FHIR strings may not contain (XML already refuses them).
 * Both are refused with 400 before HAPI parses. Pure: no server needed to test it.
 */
final class BodyText {

    private static final JsonFactory JSON = new JsonFactory();

    private BodyText() {
    }

    /** Refuses a body that is not valid in its declared charset (UTF-8 unless the Content-Type names another). */
    static void requireValidEncoding(byte[] body, Charset charset) {
        try {
            charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("The request body is not valid " + charset.name()
                    + "; send FHIR resources encoded in UTF-8");
        }
    }

    /**
     * Refuses JSON whose names or string values contain a control character other than tab, carriage return and
     * line feed (FHIR's string type: {@code [ \r\n\t\S]+}). Syntax errors are left to HAPI, which reports them
     * in full.
     */
    static void requireNoControlCharacters(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
                    check(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                }
            }
        } catch (IOException e) {
            // not well-formed JSON: HAPI's parser answers 400 with the details
        }
    }

    private static void check(char[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
                throw new InvalidRequestException(String.format("A string in the request contains the control"
                        + " character U+%04X; FHIR strings may contain no control characters but tab, carriage"
                        + " return and line feed", (int) c));
            }
        }
    }
}
