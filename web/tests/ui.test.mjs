// Browser tests of the war room's pages: one `warroom demo` process (seed 1, scale 3000) for
// the whole file, driven through Debian's Chromium by playwright-core (which never downloads a
// browser). Run with `cargo xtask browser-test`, or by hand after `cargo build -p warroom-cli`
// and `npm ci` in web/:
//
//     node --test --test-concurrency=1 web/tests/
//
// Environment: WARROOM_BIN (default target/debug/warroom), WARROOM_CHROMIUM (default
// /usr/bin/chromium), WARROOM_SCREENSHOTS (default target/browser-screenshots).
//
// Every test records each request its browser contexts make and fails if one went to another
// host than the demo's, or if a page threw (`pageerror`); each saves a full-page screenshot,
// also when it fails.
//
// The demo counts login attempts per client address (10 a minute), so a user logs in through
// the form once and later contexts of that user reuse the session (Playwright's storage state).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = process.env.WARROOM_BIN || join(ROOT, "target", "debug", "warroom");
const CHROMIUM = process.env.WARROOM_CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.WARROOM_SCREENSHOTS || join(ROOT, "target", "browser-screenshots");
// Without the background-networking flags Chromium calls Google's hosts at start.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// What graph.js draws inside div.wr-graph: one focusable <g> per node.
const GRAPH_NODE = "div.wr-graph svg g.wr-node";
const GRAPH_ENTITY = "div.wr-graph svg g.wr-node-entity";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The demo process and what it printed. */
const demo = {
  child: null,
  base: "",
  host: "",
  stdout: "",
  stderrTail: "",
  /** username -> { username, password, agency } */
  logins: new Map(),
  /** { report, owner: username, other: username } */
  red: null,
};
let browser = null;
/** username -> Playwright storage state holding that user's session cookie. */
const sessions = new Map();

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Polls `check` until it returns a truthy value or `ms` pass. */
async function until(what, ms, check) {
  const deadline = Date.now() + ms;
  let last = null;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

/** Reads the login table and the RED report of "three things to try". */
function parseIntro(out) {
  const lines = out.split("\n");
  const start = lines.findIndex((l) => l.startsWith("Logins ("));
  assert.ok(start >= 0, "the demo printed no login table");
  for (const line of lines.slice(start + 2)) {
    const m = /^ {2}(\S+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
    if (!m) break;
    demo.logins.set(m[1], { username: m[1], password: m[2], agency: m[3] });
  }
  const byAgency = (name) => [...demo.logins.values()].find((l) => l.agency === name);
  const i = lines.findIndex((l) => l.startsWith("3. A RED report of "));
  assert.ok(i >= 0, "the demo printed no RED report to try");
  const m = /^3\. A RED report of (.+): its owner reads it, (.+) gets a 404/.exec(lines[i]);
  const report = /\/api\/v1\/reports\/([0-9a-f-]{36})/.exec(lines[i + 1] || "");
  assert.ok(m && report, `cannot read the RED report line: ${lines[i]}`);
  const owner = byAgency(m[1]);
  const other = byAgency(m[2]);
  assert.ok(owner && other, "the RED report's agencies have no logins");
  demo.red = { report: report[1], owner: owner.username, other: other.username };
}

function stopDemo() {
  const child = demo.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      ok();
    });
    // Ctrl-C: the demo removes its temporary data directory on the way out.
    child.kill("SIGINT");
  });
}

process.on("exit", () => {
  if (demo.child && demo.child.exitCode === null && demo.child.signalCode === null) {
    demo.child.kill("SIGKILL");
  }
});

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  demo.host = `127.0.0.1:${port}`;
  demo.base = `http://${demo.host}`;
  const child = spawn(BIN, ["demo", "--listen", demo.host], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn" },
  });
  demo.child = child;
  // Both pipes are read to the end, or the demo would block on a full pipe.
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (s) => (demo.stdout += s));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s) => (demo.stderrTail = (demo.stderrTail + s).slice(-8000)));
  const exited = new Promise((_, fail) =>
    child.once("exit", (code, signal) =>
      fail(new Error(`${BIN} demo exited (${code ?? signal}) before it was ready:\n${demo.stderrTail}`)),
    ),
  );
  exited.catch(() => {});
  const spawned = new Promise((ok, fail) => {
    child.once("spawn", ok);
    child.once("error", (e) => fail(new Error(`cannot start ${BIN}: ${e.message}`)));
  });
  await Promise.race([spawned, exited]);
  await Promise.race([
    exited,
    until("the demo's logins on stdout", 300_000, () => demo.stdout.includes("Ctrl-C stops the demo.")),
  ]);
  parseIntro(demo.stdout);
  await Promise.race([
    exited,
    until("/healthz", 60_000, async () => {
      const r = await fetch(`${demo.base}/healthz`);
      return r.ok && (await r.text()) === "ok";
    }),
  ]);
  // The indexes (hits, search, risk) build after the server listens: wait for "ready".
  const admin = demo.logins.get("admin");
  assert.ok(admin, "no admin login printed");
  const login = await fetch(`${demo.base}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: admin.username, password: admin.password }),
  });
  assert.equal(login.status, 200, "the admin cannot log in through the API");
  const cookie = (login.headers.get("set-cookie") || "").split(";")[0];
  await Promise.race([
    exited,
    until("/api/v1/index to say ready", 300_000, async () => {
      const r = await fetch(`${demo.base}/api/v1/index`, { headers: { cookie } });
      return r.ok && (await r.json()).state === "ready";
    }),
  ]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a new, empty user-data directory and removes it at close.
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  await stopDemo();
});

/** One test's browser contexts, what they requested, and what their pages threw. */
class Scene {
  constructor(name) {
    this.name = name;
    this.contexts = [];
    this.requests = [];
    this.pageErrors = [];
    this.consoleErrors = [];
    /** The page the screenshot is taken of (the last one opened unless a test says). */
    this.shot = null;
  }

  async context(options = {}) {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 }, ...options });
    this.contexts.push(context);
    context.on("request", (r) => this.requests.push(r.url()));
    context.on("page", (page) => {
      page.on("pageerror", (e) => this.pageErrors.push(`${page.url()}: ${e.message}`));
      page.on("console", (m) => {
        // The 401 of a failed login and the 404 of a refused report are what the tests ask for.
        if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) {
          this.consoleErrors.push(`${page.url()}: ${m.text()}`);
        }
      });
    });
    return context;
  }

  async page(options) {
    const context = await this.context(options);
    const page = await context.newPage();
    this.shot = page;
    return page;
  }

  /** A page of `username`'s, logged in (through the form the first time), on the dashboard. */
  async loginAs(username) {
    const who = demo.logins.get(username);
    assert.ok(who, `no login printed for ${username}`);
    const saved = sessions.get(username);
    const page = await this.page(saved ? { storageState: saved } : {});
    await page.goto(`${demo.base}/`);
    if (new URL(page.url()).pathname === "/login") {
      await page.fill("#username", who.username);
      await page.fill("#password", who.password);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/"),
        page.click('form[action="/login"] button[type="submit"]'),
      ]);
      sessions.set(username, await page.context().storageState());
    }
    return page;
  }

  async screenshot() {
    if (!this.shot || this.shot.isClosed()) return;
    await this.shot.screenshot({ path: join(SHOTS, `${this.name}.png`), fullPage: true });
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
  }

  /** Nothing left the node's origin, and no page threw. */
  assertClean() {
    assert.ok(this.requests.length > 0, "no request was recorded: the host check would be empty");
    const foreign = this.requests.filter((u) => {
      if (u.startsWith("data:") || u.startsWith("blob:")) return false;
      try {
        return new URL(u).host !== demo.host;
      } catch {
        return true;
      }
    });
    assert.deepEqual(foreign, [], `requests went to other hosts than ${demo.host}`);
    assert.deepEqual(this.pageErrors, [], "pages threw");
    // A request the page's Content-Security-Policy blocked never shows as a request: Chromium
    // reports it on the console instead.
    const blocked = this.consoleErrors.filter((m) => /Content Security Policy/i.test(m));
    assert.deepEqual(blocked, [], "the Content-Security-Policy refused something a page wanted");
  }
}

/** A test with its own Scene: screenshot and context cleanup always, checks after success. */
function uiTest(name, title, fn) {
  test(title, { timeout: 180_000 }, async () => {
    const scene = new Scene(name);
    let failure = null;
    try {
      await fn(scene);
    } catch (e) {
      failure = e;
    }
    await scene.screenshot().catch((e) => console.error(`screenshot of ${name} failed: ${e.message}`));
    await scene.close();
    if (scene.consoleErrors.length) {
      console.error(`console errors during ${name}:\n  ${scene.consoleErrors.join("\n  ")}`);
    }
    if (failure) {
      if (scene.pageErrors.length) failure.message += `\npage errors:\n  ${scene.pageErrors.join("\n  ")}`;
      throw failure;
    }
    scene.assertClean();
  });
}

/** GET an API path with the page's session (page.request shares the context's cookies). */
async function api(page, path) {
  const r = await page.request.get(`${demo.base}${path}`, { headers: { accept: "application/json" } });
  assert.equal(r.status(), 200, `GET ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

function identifiers(report) {
  return ((report.body && report.body.entities) || []).filter((e) => e.type === "identifier");
}

const thai = () => [...demo.logins.values()].find((l) => l.username.startsWith("th-")).username;
/** A user of another agency and country than `username`'s (the FBI's when there is one). */
function foreign(username) {
  const users = [...demo.logins.keys()].filter((u) => u !== "admin" && u !== username);
  return users.find((u) => u.startsWith("us-fbi.")) || users.find((u) => !u.startsWith(username.slice(0, 3)));
}

uiTest("login", "login: a wrong password stays on /login with an error; the right one lands on the dashboard", async (s) => {
  const who = demo.logins.get(thai());
  const page = await s.page();
  await page.goto(`${demo.base}/`);
  assert.equal(new URL(page.url()).pathname, "/login", "an anonymous visit goes to the login form");
  await page.fill("#username", who.username);
  await page.fill("#password", `${who.password}-wrong`);
  await page.click('form[action="/login"] button[type="submit"]');
  await page.waitForSelector(".flash.error[role=alert]");
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.match(await page.textContent(".flash.error[role=alert]"), /Wrong username or password/);
  assert.equal(await page.inputValue("#username"), who.username, "the username is kept");

  await page.fill("#password", who.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/"),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
  sessions.set(who.username, await page.context().storageState());
  await page.waitForSelector("#hit-feed");
  assert.equal(await page.getAttribute("header.top .who span[title]", "title"), who.agency);
  const short = /\(([^()]+)\)\s*$/.exec(who.agency);
  assert.ok(
    (await page.textContent("header.top .who")).includes(short ? short[1] : who.agency),
    "the header names the user's agency",
  );
  assert.equal((await page.textContent('header.top nav a[aria-current="page"]')).trim(), "Dashboard");
});

/**
 * A Thai mobile number from `username`'s readable reports, written 0XX-XXX-XXXX, whose entity
 * page graph has another entity node that brings new nodes when expanded.
 */
async function thaiNumberWithGraph(page) {
  const listing = await api(page, "/api/v1/reports?limit=200");
  const seen = new Set();
  let tried = 0;
  for (const report of listing.reports) {
    for (const i of identifiers(report)) {
      const digits = i.raw.replace(/[^0-9]/g, "");
      if (i.kind !== "phone" || !i.raw.startsWith("0") || !/^\+66[689]\d{8}$/.test(i.canonical)) continue;
      if (digits.length !== 10 || seen.has(i.id) || tried >= 8) continue;
      seen.add(i.id);
      tried += 1;
      const entity = await api(page, `/api/v1/entities/${i.id}`);
      if (entity.noise) continue;
      const around = await api(page, `/api/v1/entities/${i.id}/neighbourhood`);
      const known = new Set([...around.entities.map((e) => e.id), ...around.reports.map((r) => r.id)]);
      // Identifiers first: a place or an organisation can be a hub.
      const others = around.entities
        .filter((e) => e.id !== i.id && e.value)
        .sort((a, b) => Number(a.kind === "location" || a.kind === "organisation") - Number(b.kind === "location" || b.kind === "organisation"))
        .slice(0, 6);
      for (const other of others) {
        const next = await api(page, `/api/v1/entities/${other.id}/neighbourhood`);
        if ([...next.entities, ...next.reports].some((x) => !known.has(x.id))) {
          return {
            written: `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`,
            canonical: i.canonical,
            id: i.id,
            expand: other,
          };
        }
      }
    }
  }
  throw new Error("no Thai mobile number in the readable reports has a graph to expand");
}

uiTest("search-entity-graph", "search: a Thai number written nationally finds its +66 identifier; its entity graph draws and expands", async (s) => {
  const page = await s.loginAs(thai());
  const pick = await thaiNumberWithGraph(page);

  await page.fill("#top-q", pick.written);
  await Promise.all([page.waitForURL((u) => u.pathname === "/search"), page.press("#top-q", "Enter")]);
  await page.waitForSelector("#entity-result");
  assert.equal(await page.textContent("#entity-result h2 code"), pick.canonical);
  assert.ok((await page.textContent("#entity-result")).includes(pick.canonical));

  await Promise.all([
    page.waitForURL((u) => u.pathname === `/entities/${pick.id}`),
    page.click(`#entity-result h2 a[href="/entities/${pick.id}"]`),
  ]);
  assert.equal(await page.textContent("#canonical"), pick.canonical);
  assert.ok(
    (await page.$$eval("code.raw-form", (cs) => cs.map((c) => c.textContent))).length > 0,
    "the entity page lists raw forms",
  );

  // The graph draws the centre and its neighbours.
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length > 1, GRAPH_ENTITY, { timeout: 30_000 });
  const before = await page.locator(GRAPH_NODE).count();
  const target = page.locator(`${GRAPH_ENTITY}[aria-label^=${JSON.stringify(`${pick.expand.kind} ${pick.expand.value}`)}]`).first();
  await target.waitFor();
  // Pressing Enter on a focused entity node expands it (the keyboard path; a click does the same).
  await target.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(
    ([sel, n]) => document.querySelectorAll(sel).length > n,
    [GRAPH_NODE, before],
    { timeout: 30_000 },
  );
  assert.ok((await page.locator(GRAPH_NODE).count()) > before, "expanding a node adds nodes");
  assert.equal(await page.isVisible("div.wr-graph .flash.error"), false, "the graph shows no error");
});

/**
 * An identifier that `page`'s agency holds in a report of its own with hit notices on, that is
 * not noise, and that a narrative can carry as text.
 */
async function heldIdentifier(page) {
  const me = await api(page, "/api/v1/me");
  const listing = await api(page, `/api/v1/reports?agency=${me.agency.id}&limit=200`);
  for (const kind of ["phone", "email", "crypto_wallet"]) {
    for (const report of listing.reports) {
      if (report.owner !== me.agency.id || !report.hit_notices) continue;
      for (const i of identifiers(report)) {
        if (i.kind !== kind || !i.valid || !i.canonical) continue;
        const entity = await api(page, `/api/v1/entities/${i.id}`);
        if (!entity.noise) return { kind, canonical: i.canonical, id: i.id };
      }
    }
  }
  throw new Error(`${me.user.username}'s agency holds no usable identifier`);
}

uiTest("live-hit", "live hits: a report submitted by one agency appears on another agency's open dashboard", async (s) => {
  const a = thai();
  const b = foreign(a);
  // B's dashboard is open and listening before A submits.
  const dashboard = await s.loginAs(b);
  const held = await heldIdentifier(dashboard);
  await dashboard.waitForSelector('#hit-feed[data-live="1"]', { timeout: 30_000 });
  const earlier = new Set(await dashboard.$$eval("#hit-feed li[data-hit]", (lis) => lis.map((li) => li.dataset.hit)));
  // A reload would start a new document without this mark.
  await dashboard.evaluate(() => (window.warroomTestMark = "before the submission"));

  const form = await s.loginAs(a);
  await form.goto(`${demo.base}/reports/new`);
  await form.fill(
    "#narrative",
    `Browser test: the caller asked the victim to transfer a deposit and gave ${held.canonical} as the contact.`,
  );
  await form.click('button[name="action"][value="extract"]');
  await form.waitForSelector("#extracted");
  const canon = await form.$$eval("#extracted code.canonical", (cs) => cs.map((c) => c.textContent));
  assert.ok(canon.includes(held.canonical), `the form found ${held.canonical} (it found ${canon.join(", ")})`);
  await form.selectOption("#marking", "GREEN");
  await Promise.all([
    form.waitForURL((u) => /^\/reports\/[0-9a-f-]{36}$/.test(u.pathname) && u.searchParams.get("submitted") === "1"),
    form.click("#submit-report"),
  ]);
  await form.waitForSelector("#submitted");
  assert.ok((await form.textContent("#report-identifiers")).includes(held.canonical));

  // The hit arrives on B's dashboard without a reload.
  s.shot = dashboard;
  const hit = await dashboard.waitForFunction(
    ([value, known]) => {
      for (const li of document.querySelectorAll("#hit-feed li[data-hit]")) {
        if (known.includes(li.dataset.hit)) continue;
        if ([...li.querySelectorAll("code")].some((c) => c.textContent === value)) return li.dataset.hit;
      }
      return null;
    },
    [held.canonical, [...earlier]],
    { timeout: 30_000 },
  );
  assert.ok(await hit.jsonValue());
  // The GREEN report itself arrives in B's newest-reports feed, also live.
  const reportId = new URL(form.url()).pathname.split("/").pop();
  await dashboard.waitForSelector(`#report-feed li[data-report="${reportId}"]`, { timeout: 30_000 });
  assert.equal(
    await dashboard.evaluate(() => window.warroomTestMark),
    "before the submission",
    "the dashboard was not reloaded",
  );
});

uiTest("red-report", "RED report: another agency gets the same 404 page as for a missing report; its owner reads it", async (s) => {
  const { report, owner, other } = demo.red;
  const outsider = await s.loginAs(other);
  const missing = await outsider.goto(`${demo.base}/reports/00000000-0000-4000-8000-000000000000`);
  assert.equal(missing.status(), 404);
  const missingText = await outsider.textContent("main");
  const refused = await outsider.goto(`${demo.base}/reports/${report}`);
  assert.equal(refused.status(), 404);
  assert.equal(await outsider.textContent("main h1"), "Not found");
  assert.match(await outsider.title(), /^Not found/);
  assert.equal(await outsider.textContent("main"), missingText, "the page is the one for a missing report");

  const reader = await s.loginAs(owner);
  const read = await reader.goto(`${demo.base}/reports/${report}`);
  assert.equal(read.status(), 200);
  assert.match(await reader.textContent("main h1"), /TLP:RED/);
  assert.ok((await reader.textContent("#narrative")).trim().length > 0, "the owner reads the narrative");
  s.shot = outsider;
});

uiTest("thai", "language: switching to Thai shows Thai navigation", async (s) => {
  const page = await s.loginAs(thai());
  await Promise.all([
    page.waitForURL((u) => u.pathname === "/"),
    page.click('header.top a[hreflang="th"]'),
  ]);
  await page.waitForSelector('html[lang="th"]');
  assert.equal((await page.textContent('header.top nav a[href="/"]')).trim(), "แดชบอร์ด");
  assert.equal((await page.textContent('header.top nav a[href="/search"]')).trim().length > 0, true);
  assert.notEqual((await page.textContent("main h1")).trim(), "Dashboard");
});
