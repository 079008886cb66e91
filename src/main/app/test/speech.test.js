// Dictation's pure parts (src/speech.js): feature detection and how what was said joins the typed text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { recognitionApi, withDictated } from "../src/speech.js";

test("without speech recognition there is nothing to dictate with; the prefixed API counts", () => {
  assert.equal(recognitionApi({}), null);
  function Webkit() {}
  assert.equal(recognitionApi({ webkitSpeechRecognition: Webkit }), Webkit);
});

test("what was said starts a sentence in an empty field and follows typed words after a space", () => {
  assert.equal(withDictated("", "talked about work"), "Talked about work");
  assert.equal(withDictated("We walked.", "she smiled"), "We walked. She smiled");
  assert.equal(withDictated("We walked and", "talked"), "We walked and talked");
  assert.equal(withDictated("Typed ", "  "), "Typed ");
});
