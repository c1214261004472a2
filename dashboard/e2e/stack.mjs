// Starts the real stack for browser tests: the fake GitHub serving the sample corpus,
// and `clawtriage serve` (embedded Postgres and Redis in a temporary DATA_ROOT) with the
// built dashboard; then scans the corpus so the views have real data.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

export const OPS_TOKEN = "e2e-ops-token";
export const DASHBOARD_TOKEN = "e2e-dashboard-token";

function binary() {
  const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
  return process.env.CLAWTRIAGE_BIN ?? join(target, "debug", "clawtriage");
}

async function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

function start(name, args, env) {
  const child = spawn(binary(), args, {
    cwd: root,
    env: { ...process.env, RUST_LOG: "warn", LOG_FORMAT: "pretty", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines = [];
  const keep = (chunk) => {
    lines.push(...chunk.toString().split("\n"));
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.name = name;
  child.output = () => lines.join("\n");
  return child;
}

async function waitFor(url, child, limitMs) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.name} exited (${child.exitCode}):\n${child.output()}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${child.name} not ready at ${url} after ${limitMs} ms:\n${child.output()}`);
}

async function stop(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 20000);
  await exited;
  clearTimeout(timer);
}

/** Starts everything and scans the corpus; returns the base URL, repo id and a stop function. */
export async function startStack() {
  const dataRoot = mkdtempSync(join(tmpdir(), "clawtriage-e2e-"));
  const githubPort = await freePort();
  const port = await freePort();
  const github = start("fake-github", ["fake-github", "--corpus", "corpus", "--port", String(githubPort)], {});
  let serve;
  const cleanup = async () => {
    await stop(serve);
    await stop(github);
    rmSync(dataRoot, { recursive: true, force: true });
  };
  try {
    await waitFor(`http://127.0.0.1:${githubPort}/rate_limit`, github, 30000);
    serve = start("clawtriage serve", ["serve"], {
      PORT: String(port),
      BIND_ADDR: "127.0.0.1",
      DATA_ROOT: dataRoot,
      EMBEDDED_PG_PORT: String(await freePort()),
      EMBEDDED_REDIS_PORT: String(await freePort()),
      GITHUB_API_URL: `http://127.0.0.1:${githubPort}`,
      OPS_TRIGGER_TOKEN: OPS_TOKEN,
      PUBLIC_SCAN_ALLOWED_REPOS: "acme/webapp",
      LANDED_WINDOW_DAYS: "3650",
      DASHBOARD_TOKEN,
      DASHBOARD_AUTH_MODE: "required",
      DASHBOARD_DIR: join(root, "dashboard", "dist"),
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, serve, 60000);
    const trigger = await fetch(`${base}/api/ops/public-scan`, {
      method: "POST",
      headers: { Authorization: `Bearer ${OPS_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ owner: "acme", repo: "webapp", snapshot: "browser-tests" }),
    });
    if (!trigger.ok) throw new Error(`trigger: ${trigger.status} ${await trigger.text()}`);
    const { jobId } = await trigger.json();
    const started = Date.now();
    let scan;
    for (;;) {
      const r = await fetch(`${base}/api/ops/scans/${jobId}`, {
        headers: { Authorization: `Bearer ${DASHBOARD_TOKEN}` },
      });
      scan = await r.json();
      if (["done", "partial", "failed"].includes(scan.status)) break;
      if (Date.now() - started > 240000) throw new Error(`scan not finished: ${JSON.stringify(scan)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    if (scan.status !== "done") throw new Error(`scan ended ${scan.status}: ${JSON.stringify(scan)}\n${serve.output()}`);
    return { base, repoId: scan.repoId, scan, stop: cleanup, logs: () => serve.output() };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
