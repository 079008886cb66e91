import { test } from "node:test";
import assert from "node:assert/strict";
import { route, shellFor } from "../sw/route.js";

const scope = "https://clinic.example/alongside/app/";

test("the build's hashed scripts and styles are answered from the cache first", () => {
  assert.equal(route("https://clinic.example/alongside/app/assets/index-AbC123.js", scope), "cache-first");
  assert.equal(route("https://clinic.example/alongside/app/assets/style-9f8e.css", scope), "cache-first");
});

test("the pages go to the network first, with the kept copy for a start without signal", () => {
  assert.equal(route("https://clinic.example/alongside/app/", scope), "network-first");
  assert.equal(route("https://clinic.example/alongside/app/index.html?code=x&state=y", scope), "network-first");
  assert.equal(route("https://clinic.example/alongside/app/launch.html?launch=abc&iss=z", scope), "network-first");
});

test("the FHIR API, sign-in and tokens are never answered by the worker", () => {
  assert.equal(route("https://clinic.example/alongside/fhir/metadata", scope), "never");
  assert.equal(route("https://clinic.example/alongside/fhir/Patient?_count=10", scope), "never");
  assert.equal(route("https://clinic.example/alongside/auth/token", scope), "never");
  assert.equal(route("https://clinic.example/alongside/auth/authorize?client_id=alongside-app", scope), "never");
});

test("the settings, other servers and anything but a read are never answered by the worker", () => {
  assert.equal(route("https://clinic.example/alongside/app/config.json", scope), "never");
  assert.equal(route("https://clinic.example/alongside/app/sw.js", scope), "never");
  assert.equal(route("https://idp.example/alongside/app/assets/index-AbC123.js", scope), "never");
  assert.equal(route("https://clinic.example/alongside/app/assets/index-AbC123.js", scope, "POST"), "never");
  assert.equal(route("https://clinic.example/other/app/assets/x.js", scope), "never");
});

test("a page under another path that merely starts like the scope is not the app's", () => {
  assert.equal(route("https://clinic.example/alongside/application/index.html", scope), "never");
});

test("offline, the sign-in page falls back to its own copy and every other page to the app's shell", () => {
  assert.equal(shellFor("https://clinic.example/alongside/app/launch.html?launch=abc", scope), "launch.html");
  assert.equal(shellFor("https://clinic.example/alongside/app/", scope), "index.html");
  assert.equal(shellFor("https://clinic.example/alongside/app/index.html?code=x", scope), "index.html");
});
