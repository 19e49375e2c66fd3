// A Worker for bench_test.go: it loads the gate's own module, like
// worker.mjs, and calls it n times per request (?n=) as worker.mjs does
// once per request, each call opening and verifying the session cookie.
import "./wasm_exec.js";
import module from "./gate.wasm";

let started = false;

export default {
  async fetch(request, env) {
    if (!started) {
      const go = new Go();
      go.env = { KEYSEAL_KEYRING: env.KEYSEAL_KEYRING, KEYSEAL_GATE_SECRET: env.KEYSEAL_GATE_SECRET, KEYSEAL_INSECURE_DEV_MODE: "1" };
      go.run(await WebAssembly.instantiate(module, go.importObject));
      started = true;
    }
    const n = Number(new URL(request.url).searchParams.get("n") ?? "0");
    const cookie = request.headers.get("Cookie") ?? "";
    for (let i = 0; i < n; i++) {
      const plan = JSON.parse(globalThis.keysealGate("/account\n\n" + cookie));
      if (plan.status !== 0 || plan.user !== "ada") {
        return new Response("refused: " + JSON.stringify(plan), { status: 500 });
      }
    }
    return new Response("ok\n");
  },
};
