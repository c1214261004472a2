// Browser tests: headless Debian Chromium driven by playwright-core against the real
// binary with the sample corpus scanned. Screenshots of every view go to
// dashboard/test-output/. Run with `npm run test:browser` after `cargo build` and
// `npm run build`.

import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { DASHBOARD_TOKEN, startStack } from "./stack.mjs";

const root = resolve(import.meta.dirname, "..", "..");
const shots = resolve(import.meta.dirname, "..", "test-output");
mkdirSync(shots, { recursive: true });
const truth = JSON.parse(readFileSync(join(root, "corpus", "acme", "webapp", "truth.json"), "utf8"));

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page whose local storage already holds the dashboard token. */
async function authedPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript((token) => localStorage.setItem("clawtriage.token", token), DASHBOARD_TOKEN);
  return context.newPage();
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

test("a wrong token gets a clear message, the right one opens the sets", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.base + "/");
  await page.getByRole("heading", { name: "This dashboard needs a token" }).waitFor();
  await shot(page, "01-token-needed");
  await page.getByLabel("Dashboard token").fill("not-the-token");
  await page.getByRole("button", { name: "Use token" }).click();
  await page.getByRole("heading", { name: "That token was not accepted" }).waitFor();
  assert.match(await page.getByRole("alert").first().innerText(), /refused/i);
  await shot(page, "02-token-rejected");
  await page.getByLabel("Dashboard token").fill(DASHBOARD_TOKEN);
  await page.getByRole("button", { name: "Use token" }).click();
  await page.getByRole("heading", { name: "Duplicate sets" }).waitFor();
  await page.locator(".set-card").first().waitFor();
  await context.close();
});

test("the sets list renders the known clusters, strongest first", async () => {
  const page = await authedPage();
  const started = Date.now();
  await page.goto(stack.base + "/");
  await page.locator(".set-card").first().waitFor();
  const firstRender = Date.now() - started;
  const navigation = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType("navigation");
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    return { domContentLoaded: nav?.domContentLoadedEventEnd, firstContentfulPaint: paint?.startTime };
  });
  console.log(
    `time to first set card: ${firstRender} ms (first contentful paint ${Math.round(navigation.firstContentfulPaint ?? -1)} ms)`,
  );
  await shot(page, "03-sets");
  // Load every page of sets, then check the clusters against the truth.
  while (await page.getByRole("button", { name: "Show more sets" }).count()) {
    const before = await page.locator(".set-card").count();
    await page.getByRole("button", { name: "Show more sets" }).click();
    await page.waitForFunction((n) => document.querySelectorAll(".set-card").length > n, before);
  }
  const cards = await page.locator(".set-card").evaluateAll((nodes) =>
    nodes.map((n) => Array.from(n.querySelectorAll(".members li a")).map((a) => Number(a.textContent.slice(1)))),
  );
  const setOf = new Map();
  cards.forEach((members, i) => members.forEach((m) => setOf.set(m, i)));
  const scores = await page.locator(".set-card .score").allInnerTexts();
  const numeric = scores.map((s) => Number(s.replace("%", "")));
  assert.deepEqual(numeric, [...numeric].sort((a, b) => b - a), "strongest first");
  let together = 0;
  let clusters = 0;
  for (const cluster of truth.clusters) {
    const present = cluster.members.filter((m) => setOf.has(m));
    if (present.length < 2) continue;
    clusters += 1;
    if (new Set(present.map((m) => setOf.get(m))).size === 1) together += 1;
  }
  assert.ok(clusters >= truth.clusters.length * 0.8, `only ${clusters} of ${truth.clusters.length} clusters shown`);
  assert.ok(together >= clusters * 0.95, `${together}/${clusters} clusters shown together`);
  for (const negative of truth.negatives) {
    const homes = negative.members.filter((m) => setOf.has(m)).map((m) => setOf.get(m));
    assert.equal(new Set(homes).size, homes.length, `look-alikes ${negative.id} share a set`);
  }
});

test("a set opens with its evidence, and a deep link reloads", async () => {
  const page = await authedPage();
  await page.goto(stack.base + "/");
  const first = page.locator(".set-card h2 a").first();
  await first.waitFor();
  await first.click();
  await page.getByRole("heading", { name: "Why these are duplicates" }).waitFor();
  await page.locator(".edge .evidence").first().waitFor();
  assert.ok(await page.locator(".edge .scores").first().isVisible());
  const evidenceText = await page.locator(".edge .evidence").first().innerText();
  assert.match(evidenceText, /Production files in both|Matching lines|Test names|Doc headings/i);
  assert.ok((await page.locator(".edge .diff mark").count()) > 0, "matching diff lines are highlighted");
  await shot(page, "04-set");
  const url = page.url();
  assert.match(url, /\/repos\/\d+\/sets\/\d+$/);
  const reloaded = await page.goto(url);
  assert.equal(reloaded.status(), 200);
  await page.getByRole("heading", { name: "Why these are duplicates" }).waitFor();
  const direct = await authedPage();
  const response = await direct.goto(url);
  assert.equal(response.status(), 200, "deep link served by the SPA fallback");
  await direct.getByRole("heading", { name: "Why these are duplicates" }).waitFor();
});

test("feedback round-trips and shows at once and after a reload", async () => {
  const page = await authedPage();
  await page.goto(stack.base + "/");
  await page.locator(".set-card h2 a").nth(1).click();
  const edge = page.locator(".edge").first();
  await edge.waitFor();
  const pair = await edge.locator("h3").innerText();
  await edge.getByRole("button", { name: "Confirm duplicate" }).click();
  await edge.getByRole("status").filter({ hasText: "are duplicates" }).waitFor();
  await page.getByRole("heading", { name: "Decisions" }).waitFor();
  await shot(page, "05-feedback");
  await page.reload();
  await page.getByRole("heading", { name: "Decisions" }).waitFor();
  const decisions = await page.locator(".decisions").innerText();
  const [a, b] = pair.match(/#\d+/g);
  assert.ok(decisions.includes(`${a} ↔ ${b}: confirmed duplicate`), decisions);
  // Picking a base shows on the set at once.
  await page.locator(".edge").first().getByRole("button", { name: `Keep ${b} as base` }).click();
  await page.getByText("picked by a maintainer").waitFor();
  assert.match(await page.locator("p.base").innerText(), new RegExp(`Suggested base: ${b}`));
});

test("PR page, triage queue and scan status render", async () => {
  const page = await authedPage();
  const cluster = truth.clusters.find((c) => c.kind === "SAME_CHANGE");
  await page.goto(`${stack.base}/repos/${stack.repoId}/prs/${cluster.members[0]}`);
  await page.getByRole("heading", { name: "Candidates" }).waitFor();
  await page.locator(".candidates .evidence").first().waitFor();
  await shot(page, "06-pr");
  await page.getByRole("link", { name: "Triage queue" }).click();
  await page.getByRole("heading", { name: "Triage queue" }).waitFor();
  await page.locator("table tbody tr").first().waitFor();
  await shot(page, "07-queue");
  await page.getByRole("link", { name: "Scans" }).click();
  await page.getByRole("heading", { name: "Scans" }).waitFor();
  assert.match(await page.locator(".scans").innerText(), /done/);
  assert.equal(await page.locator("progress").first().getAttribute("value"), "100");
  await shot(page, "08-scans");
  const landed = truth.landed[0];
  await page.goto(`${stack.base}/repos/${stack.repoId}/prs/${landed.open}`);
  await page.getByRole("note").filter({ hasText: `Already landed: merged PR #${landed.merged}` }).waitFor();
  const unknown = await page.goto(`${stack.base}/no/such/page`);
  assert.equal(unknown.status(), 200);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
});

test("usable on a phone", async () => {
  const page = await authedPage({ width: 390, height: 844 });
  await page.goto(stack.base + "/");
  await page.locator(".set-card").first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px on a phone`);
  await shot(page, "09-phone-sets");
  await page.locator(".set-card h2 a").first().click();
  await page.getByRole("heading", { name: "Why these are duplicates" }).waitFor();
  await shot(page, "10-phone-set");
});
