// The device's encrypted store: drafts and records waiting to be sent. Each value is encrypted with AES-GCM
// (256-bit, fresh 96-bit IV per write) under a key made once per browser profile with WebCrypto as
// non-extractable, and kept in IndexedDB beside the data: the raw key bytes can never be read out by script or
// copied from the disk as plain text, and no value is stored in the clear. Only the record's kind, owner
// (the signed-in user's reference) and timestamps are stored unencrypted, to find records.
const DB_NAME = "alongside-vault";
const DB_VERSION = 1;
const KEY_ID = "aes-gcm-main";

let dbPromise;
let keyPromise;

function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        db.createObjectStore("keys");
        const records = db.createObjectStore("records", { keyPath: "id" });
        records.createIndex("kind", "kind");
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }
  return dbPromise;
}

function tx(store, mode, fn) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const transaction = db.transaction(store, mode);
    const result = fn(transaction.objectStore(store));
    transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  }));
}

async function key() {
  if (!keyPromise) {
    keyPromise = (async () => {
      const existing = await tx("keys", "readonly", (s) => s.get(KEY_ID));
      if (existing) return existing;
      const fresh = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      // add() fails if another tab stored a key first: then use that one
      try {
        await tx("keys", "readwrite", (s) => s.add(fresh, KEY_ID));
        return fresh;
      } catch (_) {
        return tx("keys", "readonly", (s) => s.get(KEY_ID));
      }
    })();
  }
  return keyPromise;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function encrypt(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await key(), encoder.encode(JSON.stringify(value)));
  return { iv, data };
}

async function decrypt(record) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, await key(), record.data);
  return JSON.parse(decoder.decode(plain));
}

/** Stores value (any JSON) encrypted under id. */
export async function put(id, kind, owner, value) {
  const { iv, data } = await encrypt(value);
  const now = Date.now();
  await tx("records", "readwrite", (s) => s.put({ id, kind, owner, iv, data, updated: now }));
}

export async function get(id) {
  const record = await tx("records", "readonly", (s) => s.get(id));
  if (!record) return undefined;
  return decrypt(record);
}

export async function remove(id) {
  await tx("records", "readwrite", (s) => s.delete(id));
}

/** Every record of a kind that belongs to owner, decrypted, oldest first: [{id, updated, value}]. */
export async function list(kind, owner) {
  const records = await tx("records", "readonly", (s) => s.index("kind").getAll(kind));
  const mine = records.filter((r) => r.owner === owner).sort((a, b) => a.updated - b.updated);
  const out = [];
  for (const r of mine) {
    out.push({ id: r.id, updated: r.updated, value: await decrypt(r) });
  }
  return out;
}

/** The raw stored form, for tests that check nothing is kept in the clear. */
export async function rawRecords() {
  return tx("records", "readonly", (s) => s.getAll());
}
