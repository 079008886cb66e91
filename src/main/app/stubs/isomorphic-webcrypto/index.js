// fhirclient uses globalThis.crypto (WebCrypto) whenever it exists; this stand-in only answers the same.
module.exports = { default: globalThis.crypto };
