// Browser tests of the issue views: headless Debian Chromium driven by playwright-core
// against the real binary with the sample corpus (PRs, issues, VISION.md) scanned. The
// Issues page, an issue with duplicates, a PR with linked issues and a scope verdict,
// and the Scope page, checked against the corpus truth. Screenshots go to
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
const issueFile = (n) => JSON.parse(readFileSync(join(root, "corpus", "acme", "webapp", "issues", `${n}.json`), "utf8"));

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

/** A page whose local storage already holds the dashboard token; fails on page errors. */
async function authedPage(viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript((token) => localStorage.setItem("clawtriage.token", token), DASHBOARD_TOKEN);
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (err) => page.errors.push(String(err)));
  page.on("dialog", (dialog) => {
    page.errors.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function showAll(page, button, items) {
  while (await page.getByRole("button", { name: button }).count()) {
    const before = await page.locator(items).count();
    await page.getByRole("button", { name: button }).click();
    await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length > n, [items, before]);
  }
}

/** Issue numbers of each duplicate group card on the page. */
async function groupsOnPage(page) {
  return page.locator(".issue-group").evaluateAll((cards) =>
    cards.map((card) =>
      Array.from(card.querySelectorAll(".members li > a:first-child")).map((a) => Number(a.textContent.slice(1))),
    ),
  );
}

test("the Issues page shows duplicate groups first, and filters", async () => {
  const page = await authedPage();
  await page.goto(stack.base + "/");
  await page.getByRole("link", { name: "Issues" }).click();
  await page.getByRole("heading", { name: "Issues", level: 1 }).waitFor();
  await page.locator(".issue-group").first().waitFor();
  await shot(page, "11-issues");
  assert.match(page.url(), new RegExp(`/repos/${stack.repoId}/issues$`));
  // Groups come before the other issues.
  const order = await page.evaluate(() => {
    const groups = document.querySelector("#dup-groups");
    const others = document.querySelector("#other-issues");
    return groups && others ? groups.compareDocumentPosition(others) & Node.DOCUMENT_POSITION_FOLLOWING : -1;
  });
  assert.ok(order > 0, "duplicate groups first");

  // All issues, every page: the truth's duplicate clusters are shown together.
  const allLoaded = page.waitForResponse((r) => r.url().includes("/issues?state=all") && r.ok());
  await page.getByLabel("Issues", { exact: true }).selectOption("ALL");
  await allLoaded;
  await page.getByRole("button", { name: "Show more issues" }).waitFor();
  await showAll(page, "Show more issues", ".issue-group .members li, .issue-table tbody tr");
  const groups = await groupsOnPage(page);
  const home = new Map();
  groups.forEach((members, i) => members.forEach((m) => home.set(m, i)));
  let together = 0;
  for (const cluster of truth.issue_clusters) {
    const homes = new Set(cluster.members.map((m) => home.get(m)));
    if (homes.size === 1 && !homes.has(undefined)) together += 1;
  }
  console.log(`issue clusters shown together: ${together}/${truth.issue_clusters.length}; ${groups.length} groups`);
  assert.ok(together >= 5, `only ${together} duplicate clusters shown as one group`);
  assert.ok(await page.locator(".issue-group .state-closed, .issue-table .state-closed").count(), "closed issues listed");

  // Duplicates only: no table of other issues.
  const duplicatesLoaded = page.waitForResponse((r) => r.url().includes("duplicates=true") && r.ok());
  await page.getByLabel("Only issues with duplicates").check();
  await duplicatesLoaded;
  await page.waitForFunction(() => !document.querySelector(".issue-table"));
  assert.ok((await page.locator(".issue-group").count()) > 0);
  await shot(page, "12-issues-duplicates-only");
  assert.deepEqual(page.errors, []);
});

test("an issue with duplicates shows its text safely and the evidence", async () => {
  const page = await authedPage();
  const cluster = truth.issue_clusters[0];
  const number = cluster.members[0];
  await page.goto(`${stack.base}/repos/${stack.repoId}/issues/${number}`);
  await page.getByRole("heading", { name: "Duplicates" }).waitFor();
  const evidence = page.locator(".relations .issue-evidence").first();
  await evidence.waitFor();
  assert.match(await evidence.innerText(), /Shared error lines|Shared stack frames|Error messages|Identifiers/i);
  assert.match(await evidence.innerText(), /Title similarity: \d+%/);
  assert.ok(await page.locator(".relations .scores meter").first().isVisible(), "score bars");
  const listed = await page
    .locator(".relations > li header .link-button")
    .evaluateAll((bs) => bs.map((b) => Number(b.textContent.match(/^#(\d+)/)[1])));
  const others = cluster.members.filter((m) => m !== number);
  assert.ok(
    others.some((m) => listed.includes(m)),
    `#${number} lists one of its truth duplicates ${others}: ${listed}`,
  );
  // The report is the author's text, shown as text.
  const body = issueFile(number).issue.body;
  const firstLine = body.split("\n").find((l) => l.trim().length > 0).trim();
  assert.ok((await page.locator(".issue-body pre").innerText()).includes(firstLine));
  assert.equal(await page.locator(".issue-body pre *").count(), 0, "no markup inside the text");
  await shot(page, "13-issue");

  // A deep link reloads; the other duplicate's page lists this one back.
  const response = await page.reload();
  assert.equal(response.status(), 200);
  await page.getByRole("heading", { name: "Duplicates" }).waitFor();
  await page.locator(".relations > li").first().getByRole("link", { name: "open" }).click();
  await page.getByRole("heading", { name: "Duplicates" }).waitFor();
  await page.locator(".relations .link-button").first().waitFor();
  const back = await page.locator(".relations .link-button").allInnerTexts();
  assert.ok(back.some((t) => t.startsWith(`#${number} `)), `symmetric: ${back}`);
  assert.deepEqual(page.errors, []);
});

test("a PR page shows its linked issues and its scope verdict, marked assist-only", async () => {
  const page = await authedPage();
  const link = truth.pr_issue_links.find((l) => l.kind === "explicit");
  await page.goto(`${stack.base}/repos/${stack.repoId}/prs/${link.pr}`);
  const panel = page.locator(".linked-issues");
  await panel.getByRole("heading", { name: "Linked issues" }).waitFor();
  const card = panel.locator(".link-card").filter({ hasText: `#${link.issue} ` });
  await card.waitFor();
  const toggle = card.locator("header .link-button");
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  assert.equal(await card.locator(".link-explicit").innerText(), "Closes");
  assert.match(await card.locator(".link-evidence").innerText(), new RegExp(`#${link.issue}`));
  const scope = page.locator(".scope-panel");
  assert.match(await scope.getByRole("note").innerText(), /Assist only/);
  assert.match(await scope.locator("header .badge").innerText(), /^(In scope|Out of scope|Uncertain)$/);
  assert.ok((await scope.locator(".reasons li").count()) > 0, "reasons shown");
  assert.match(await scope.locator(".reasons li").first().innerText(), /Source: /);
  await shot(page, "14-pr-issues-scope");

  // The issue's page lists the PR back.
  await card.getByRole("link", { name: "open" }).click();
  await page.getByRole("heading", { name: "Linked PRs" }).waitFor();
  const prs = await page.locator(".links .link-button").allInnerTexts();
  assert.ok(prs.some((t) => t.startsWith(`#${link.pr} `)), `#${link.issue} lists #${link.pr}: ${prs}`);
  assert.deepEqual(page.errors, []);
});

test("the Scope page lists out-of-scope and uncertain PRs with their reasons", async () => {
  const page = await authedPage();
  await page.goto(stack.base + "/");
  await page.getByRole("link", { name: "Scope" }).click();
  await page.getByRole("heading", { name: "Scope", level: 1 }).waitFor();
  await page.locator(".scope-item").first().waitFor();
  await shot(page, "15-scope");
  assert.match(await page.locator(".vision").innerText(), /Judged by VISION\.md/);
  await showAll(page, "Show more PRs", ".scope-item");
  const verdicts = await page.locator(".scope-item header .badge").allInnerTexts();
  assert.ok(verdicts.every((v) => v === "Out of scope" || v === "Uncertain"), verdicts.join());
  assert.deepEqual(verdicts, [...verdicts].sort((a, b) => (a === b ? 0 : a === "Out of scope" ? -1 : 1)), "out of scope first");
  const listed = await page
    .locator(".scope-item h2 a")
    .evaluateAll((as) => as.map((a) => Number(a.textContent.match(/^#(\d+)/)[1])));
  const out = truth.scope.filter((s) => s.expected === "OUT_OF_SCOPE").map((s) => s.pr);
  const missing = out.filter((n) => !listed.includes(n));
  assert.deepEqual(missing, [], "every out-of-scope PR of the truth is listed for a look");
  for (const s of truth.scope.filter((x) => x.expected === "IN_SCOPE")) {
    const item = page.locator(".scope-item").filter({ has: page.locator(`h2 a[href$="/prs/${s.pr}"]`) });
    if (await item.count()) assert.notEqual(await item.locator("header .badge").innerText(), "Out of scope", `#${s.pr}`);
  }
  assert.ok((await page.locator(".scope-item .reasons li").count()) >= listed.length, "each PR has a reason");

  // The first one opens on its PR page, with the same verdict.
  const first = page.locator(".scope-item").first();
  const verdict = await first.locator("header .badge").innerText();
  await first.locator("h2 a").click();
  await page.locator(".scope-panel header .badge").waitFor();
  assert.equal(await page.locator(".scope-panel header .badge").innerText(), verdict);
  assert.deepEqual(page.errors, []);
});

test("the issue views are usable on a phone", async () => {
  const page = await authedPage({ width: 390, height: 844 });
  for (const [path, ready, name] of [
    [`/repos/${stack.repoId}/issues`, ".issue-group", "16-phone-issues"],
    [`/repos/${stack.repoId}/issues/${truth.issue_clusters[0].members[0]}`, ".issue-evidence", "17-phone-issue"],
    [`/repos/${stack.repoId}/scope`, ".scope-item", "18-phone-scope"],
  ]) {
    await page.goto(stack.base + path);
    await page.locator(ready).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${path} scrolls sideways by ${overflow}px on a phone`);
    await shot(page, name);
  }
  assert.deepEqual(page.errors, []);
});
