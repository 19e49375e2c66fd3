// The edge gate's JavaScript shim: it starts the Go module (gate.wasm,
// built with GOOS=js GOARCH=wasm from main.go) and does the HTTP around
// its decisions. The logic is all in Go; see docs/edge.md.
import "./wasm_exec.js"; // Go's, copied from $(go env GOROOT)/lib/wasm
import module from "./gate.wasm";

// The settings the Go module reads (gate.FromEnv), from the bindings.
const settings = [
  "KEYSEAL_KEYRING", "KEYSEAL_GATE_SECRET", "KEYSEAL_COOKIE_NAME",
  "KEYSEAL_LOGIN_PATH", "KEYSEAL_PUBLIC_PATHS",
  "KEYSEAL_ABSOLUTE_LIFETIME", "KEYSEAL_INSECURE_DEV_MODE",
];

let ready = null;

// start runs the Go module once per isolate, on its first request:
// bindings (secrets included) reach a module Worker only there. Go's main
// registers globalThis.keysealGate and then waits for calls. Requests that
// arrive meanwhile wait for the same start.
function start(env) {
  ready ??= (async () => {
    const go = new Go();
    for (const name of settings) {
      if (typeof env[name] === "string") go.env[name] = env[name];
    }
    const instance = await WebAssembly.instantiate(module, go.importObject);
    go.run(instance); // returns once main blocks, after the registration
  })();
  return ready;
}

export default {
  async fetch(request, env) {
    await start(env);
    const url = new URL(request.url);
    // One string in, JSON out (see main.go); URL parts and header values
    // hold no newline.
    const plan = JSON.parse(globalThis.keysealGate(
      [url.pathname, url.search.slice(1), request.headers.get("Cookie") ?? ""].join("\n")));

    if (plan.status === 401 || plan.status === 500) {
      return new Response(plan.status === 401 ? "unauthorized\n" : "gate misconfigured\n", {
        status: plan.status,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
      });
    }
    if (plan.status === 302) {
      return new Response(null, {
        status: 302,
        headers: { "Location": plan.location, "Cache-Control": "no-store" },
      });
    }

    // Forward: no client-sent identity survives, then the gate's own.
    const headers = new Headers(request.headers);
    headers.delete(plan.userHeader);
    headers.delete(plan.secretHeader);
    headers.set(plan.secretHeader, plan.secret);
    if (plan.user) headers.set(plan.userHeader, plan.user);
    const forward = new Request(request, { headers, redirect: "manual" });
    const response = await (env.ORIGIN ? env.ORIGIN.fetch(forward) : fetch(forward));

    // A session sealed under an old key goes back re-sealed, unless the
    // origin wrote the session cookie itself.
    if (!plan.setCookie ||
        response.headers.getSetCookie().some((c) => c.startsWith(plan.cookieName + "="))) {
      return response;
    }
    const out = new Response(response.body, response);
    out.headers.append("Set-Cookie", plan.setCookie);
    out.headers.set("Cache-Control", "private, no-store");
    out.headers.append("Vary", "Cookie");
    return out;
  },
};
