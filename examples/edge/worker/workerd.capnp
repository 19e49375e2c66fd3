# workerd configuration of the edge gate: the gate listens on
# 127.0.0.1:8787 and forwards to the origin at 127.0.0.1:8080.
#
#   ./build.sh                      # build/gate.wasm and build/wasm_exec.js
#   export KEYSEAL_KEYRING="$(cat keyring.json)"   # the origin's keyring file
#   export KEYSEAL_GATE_SECRET="$(head -c 32 /dev/urandom | base64)"  # also given to the origin
#   npx workerd serve workerd.capnp
#
# The secrets come from workerd's environment here (fromEnvironment); on
# Cloudflare they are Worker secrets (wrangler secret put KEYSEAL_KEYRING).
# Other addresses: workerd serve --socket-addr http=HOST:PORT
# --external-addr origin=HOST:PORT workerd.capnp. See docs/edge.md.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "gate", worker = .gate),
    (name = "origin", external = (address = "127.0.0.1:8080", http = ())),
  ],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "gate")],
);

const gate :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "wasm_exec.js", esModule = embed "build/wasm_exec.js"),
    (name = "gate.wasm", wasm = embed "build/gate.wasm"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "ORIGIN", service = "origin"),
    (name = "KEYSEAL_KEYRING", fromEnvironment = "KEYSEAL_KEYRING"),
    (name = "KEYSEAL_GATE_SECRET", fromEnvironment = "KEYSEAL_GATE_SECRET"),
    # Plain http on loopback for trying it out: the origin runs
    # cookiesession with InsecureDevMode (cookie "session", not Secure).
    # Remove both in production.
    (name = "KEYSEAL_INSECURE_DEV_MODE", text = "1"),
    (name = "KEYSEAL_PUBLIC_PATHS", text = "/static/"),
  ],
);
