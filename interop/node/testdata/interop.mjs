// Test-only driver for keyseal's interop tests (interop/node/*_test.go).
// Reads a JSON array of tasks on stdin and writes a JSON array of results,
// one per task, on stdout. Each task runs an independent implementation:
// the npm "jose" package, or Auth.js (@auth/core) itself.
import * as jose from "jose";
import { encode as authEncode, decode as authDecode } from "@auth/core/jwt";
import { SessionStore } from "./node_modules/@auth/core/lib/utils/cookie.js";

const at = (t) => (t == null ? undefined : new Date(t * 1000));

async function run(task) {
  switch (task.op) {
    case "encrypt": {
      // jose encrypts a JWT with a JWK keyseal exported (or one it made),
      // under "alg" "dir" unless the task names another: "A256KW" wraps a
      // fresh content key with the JWK, "RSA-OAEP" with a new RSA key.
      const alg = task.alg || "dir";
      const { alg: _, ...bare } = task.jwk || {};
      const key =
        alg === "RSA-OAEP"
          ? (await jose.generateKeyPair("RSA-OAEP")).publicKey
          : await jose.importJWK(bare, alg);
      const jwt = new jose.EncryptJWT(task.claims).setProtectedHeader({
        alg,
        enc: task.enc,
        ...(task.kid === undefined ? {} : { kid: task.kid }),
      });
      if (task.iat != null) jwt.setIssuedAt(task.iat);
      if (task.exp != null) jwt.setExpirationTime(task.exp);
      if (task.nbf != null) jwt.setNotBefore(task.nbf);
      return { token: await jwt.encrypt(key) };
    }
    case "decrypt": {
      // jose decrypts a token keyseal sealed, checking its times at "now".
      const key = await jose.importJWK(task.jwk, "dir");
      try {
        const { payload, protectedHeader } = await jose.jwtDecrypt(task.token, key, {
          keyManagementAlgorithms: ["dir"],
          contentEncryptionAlgorithms: [task.enc],
          currentDate: at(task.now),
        });
        return { claims: payload, header: protectedHeader };
      } catch (e) {
        return { error: e.code || String(e) };
      }
    }
    case "generate": {
      // jose makes its own key, for keyseal to import.
      const key = await jose.generateSecret(task.enc, { extractable: true });
      return { jwk: { ...(await jose.exportJWK(key)), kid: task.kid } };
    }
    case "authjs-encode": {
      // Auth.js issues a session token, then chunks it into cookies the
      // way its SessionStore does.
      const token = await authEncode({ token: task.claims, secret: task.secret, salt: task.salt, maxAge: task.maxAge });
      const quiet = { debug() {}, warn() {}, error() {} };
      const store = new SessionStore({ name: task.salt, options: {} }, {}, quiet);
      const cookies = store.chunk(token, {}).map((c) => ({ name: c.name, value: c.value }));
      return { token, cookies };
    }
    case "authjs-decode": {
      try {
        const claims = await authDecode({ token: task.token, secret: task.secret, salt: task.salt });
        return { claims };
      } catch (e) {
        return { error: e.code || String(e) };
      }
    }
    default:
      return { error: "unknown op " + task.op };
  }
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const task of JSON.parse(input)) results.push(await run(task));
process.stdout.write(JSON.stringify(results));
