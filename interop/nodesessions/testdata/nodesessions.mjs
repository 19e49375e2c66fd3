// Test driver: reads a JSON array of tasks on stdin, runs each with the real
// iron-session or cookie-session (pinned in package-lock.json), and prints a
// JSON array of results. Run by the Go tests of this module.
import http from "node:http";
import { getIronSession, sealData, unsealData } from "iron-session";
import cookieSession from "cookie-session";

// A Node request and response pair for iron-session's nodeCookies jar.
function ironJar(cookie) {
  const headers = {};
  const req = { headers: { cookie: cookie ?? "" } };
  const res = {
    headersSent: false,
    getHeader: (k) => headers[k.toLowerCase()],
    setHeader: (k, v) => { headers[k.toLowerCase()] = v; },
  };
  return { req, res, setCookies: () => headers["set-cookie"] ?? [] };
}

const ironOptions = (t) => ({
  cookieName: t.cookieName ?? "app-session",
  password: t.passwords,
  ...(t.ttl !== undefined ? { ttl: t.ttl } : {}),
  ...(t.chunk ? { chunk: true } : {}),
});

// cookie-session runs as Express runs it: middleware in a real HTTP server
// on loopback, driven by fetch.
let server, base;
async function expressServer() {
  if (server) return;
  server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const opts = JSON.parse(url.searchParams.get("opts"));
    cookieSession(opts)(req, res, () => {
      if (url.pathname === "/set") {
        req.session = JSON.parse(url.searchParams.get("data"));
        res.end("{}");
      } else {
        res.setHeader("content-type", "application/json");
        const s = req.session;
        res.end(JSON.stringify({ isNew: s.isNew, data: { ...s } }));
      }
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
}

async function run(t) {
  switch (t.op) {
    case "iron-seal": // sealData, as a custom login route would
      return { token: await sealData(t.data, { password: t.passwords, ttl: t.ttl }) };
    case "iron-save": { // getIronSession + save, as an app does
      const jar = ironJar("");
      const session = await getIronSession(jar.req, jar.res, ironOptions(t));
      Object.assign(session, t.data);
      await session.save();
      return { setCookies: jar.setCookies() };
    }
    case "iron-read": { // getIronSession on a request's Cookie header
      const jar = ironJar(t.cookie);
      let why = "";
      const session = await getIronSession(jar.req, jar.res, {
        ...ironOptions(t), onUnsealError: (reason) => { why = reason; },
      });
      return { data: { ...session }, error: why };
    }
    case "iron-unseal": {
      let why = "";
      const data = await unsealData(t.token, {
        password: t.passwords, ttl: t.ttl, onUnsealError: (reason) => { why = reason; },
      });
      return { data, error: why };
    }
    case "express-set":
    case "express-read": {
      await expressServer();
      const q = new URLSearchParams({ opts: JSON.stringify(t.opts), data: JSON.stringify(t.data ?? null) });
      const path = t.op === "express-set" ? "/set" : "/read";
      const resp = await fetch(`${base}${path}?${q}`, { headers: t.cookie ? { cookie: t.cookie } : {} });
      const body = await resp.json();
      return { setCookies: resp.headers.getSetCookie(), data: body.data, isNew: body.isNew };
    }
    default:
      throw new Error("unknown op " + t.op);
  }
}

const input = JSON.parse(await new Promise((resolve) => {
  let s = "";
  process.stdin.on("data", (d) => (s += d));
  process.stdin.on("end", () => resolve(s));
}));
const out = [];
for (const t of input) {
  try {
    out.push(await run(t));
  } catch (e) {
    out.push({ error: "throw: " + e.message });
  }
}
server?.close();
process.stdout.write(JSON.stringify(out));
