// Starts walkerd from its built jar as a child process on a free port and stops it at the end of a test file.
// WALKERD_JAR names the jar (default: ../../walkers/target/walkerd.jar, as `mvn package` leaves it).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));
export const JAR = resolve(process.env.WALKERD_JAR ?? resolve(here, "../../../../walkers/target/walkerd.jar"));

/** A port nobody listens on now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the jar with `env` added to a test configuration (in-memory store, fixed token secret); resolves once
 * /healthz answers 200. `stop()` ends the process and waits for it.
 */
export async function startServer(env = {}, { timeoutMs = 60_000 } = {}) {
  if (!existsSync(JAR)) throw new Error(JAR + " is missing: build it with `mvn -o -q -DskipTests -pl walkers -am package`");
  const port = await freePort();
  const java = process.env.JAVA_HOME ? resolve(process.env.JAVA_HOME, "bin/java") : "java";
  const child = spawn(java, ["-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR], {
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_PATH: ":memory:",
      TOKEN_SECRET: randomBytes(24).toString("hex"),
      SHUTDOWN_GRACE_MS: "2000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk) => { log = (log + chunk).slice(-20_000); };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal })));
  const baseUrl = "http://127.0.0.1:" + port;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = await Promise.race([exited, new Promise((r) => setTimeout(r, 100, null))]);
    if (gone) throw new Error("walkerd exited (" + JSON.stringify(gone) + ") before it was ready; its log:\n" + log);
    try {
      const r = await fetch(baseUrl + "/healthz");
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("walkerd did not answer /healthz within " + timeoutMs + " ms; its log:\n" + log);
    }
  }
  return {
    port,
    baseUrl,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

let users = 0;

/** Registers and logs in a fresh user over REST; resolves with {email, password, token, rootId}. */
export async function newUser(baseUrl, name = "user") {
  const email = `${name}-${process.pid}-${++users}-${Date.now()}@example.com`;
  const password = "pw-" + randomBytes(6).toString("hex");
  const post = async (path, body, token) => {
    const r = await fetch(baseUrl + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: "Bearer " + token } : {}) },
      body: JSON.stringify(body),
    });
    const json = await r.json();
    if (!r.ok) throw new Error(path + " answered " + r.status + ": " + JSON.stringify(json));
    return json;
  };
  await post("/user/register", { email, password });
  const login = await post("/user/login", { email, password });
  return { email, password, token: login.token, rootId: "n::" + login.user.root_id, post };
}
