#!/usr/bin/env node
// curator's browser test runner (issues 4 and 8).
//
//   node run.js --site DIR --modules DIR/node_modules [--shots DIR]
//               [--shoot PATH=NAME]... [--missing PATH] PATH...
//
// Serves the built site in DIR from 127.0.0.1 (node's http, a random
// port; a missing file answers 404 with DIR/404.html), loads each PATH
// (which must answer 200, and --missing PATH 404) in
// Debian's Chromium (/usr/bin/chromium, headless) and reports, one line a
// problem, "FAIL PATH: what":
//   - a request to any host but the test server (aborted, never sent);
//   - a Content-Security-Policy violation (securitypolicyviolation events
//     and Chromium's console messages: the policy is in a <meta> tag);
//   - a JavaScript error, a console error, or a page asset that fails;
//   - an axe-core violation of the wcag2a, wcag2aa, wcag21a or wcag21aa
//     rules, in the light and in the dark colour scheme.
// A page with no problem prints "ok PATH". --shoot PATH=NAME saves
// NAME-phone.png (375x812) and NAME-desktop.png (1280x800) of PATH, full
// page, under --shots. Exit status: 0 when every page is clean, 1 when a
// check failed, 2 when the test could not run.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CHROMIUM = '/usr/bin/chromium';
// As c.md says: without the background-networking flags Chromium tries
// to reach Google's hosts, which this machine's network refuses.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-default-apps', '--no-pings',
  '--disable-domain-reliability', '--metrics-recording-only',
];
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.woff2': 'font/woff2',
};

function usage(message) {
  process.stderr.write(`run.js: ${message}\n` +
    'usage: node run.js --site DIR --modules DIR [--shots DIR] ' +
    '[--shoot PATH=NAME]... [--missing PATH] PATH...\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { shoot: [], paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--site') opts.site = value();
    else if (a === '--modules') opts.modules = value();
    else if (a === '--shots') opts.shots = value();
    else if (a === '--missing') opts.paths.push({ path: value(), status: 404 });
    else if (a === '--shoot') {
      const [p, name] = value().split('=');
      if (!p || !name) usage('--shoot wants PATH=NAME');
      opts.shoot.push({ path: p, name });
    } else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.paths.push({ path: a, status: 200 });
  }
  if (!opts.site || !opts.modules) usage('--site and --modules are needed');
  if (!opts.paths.length && !opts.shoot.length) usage('no page to load');
  if (opts.shoot.length && !opts.shots) usage('--shoot needs --shots');
  return opts;
}

// A static server for the site folder, on 127.0.0.1 only.
function serve(root) {
  const top = path.resolve(root);
  const server = http.createServer((req, res) => {
    let file;
    try {
      const url = new URL(req.url, 'http://127.0.0.1/');
      file = path.join(top, decodeURIComponent(url.pathname));
    } catch (e) {
      res.writeHead(400).end();
      return;
    }
    if (file !== top && !file.startsWith(top + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    let status = 200;
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      fs.accessSync(file, fs.constants.R_OK);
    } catch (e) {
      status = 404;
      file = path.join(top, '404.html');
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(status, {
        'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function describeNode(node) {
  const html = (node.html || '').replace(/\s+/g, ' ');
  return html.length > 120 ? html.slice(0, 117) + '...' : html;
}

async function runAxe(page, axeSource, scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  // NOTE: evaluate() runs through the DevTools protocol, outside the
  // page's CSP: axe needs no inline <script> (which the CSP would block).
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    }), WCAG_TAGS);
  return result.violations.map((v) =>
    `axe ${v.id} (${v.impact}, ${scheme}): ${v.help}: ` +
    `${v.nodes.length} node(s): ${describeNode(v.nodes[0] || {})}`);
}

async function checkPage(context, base, pagePath, want, axeSource) {
  const problems = [];
  const page = await context.newPage();
  const target = new URL(pagePath, base).href;
  const origin = new URL(base).origin;

  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort('blockedbyclient');
  });
  page.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    if (new URL(url).origin !== origin &&
        !problems.some((p) => p.endsWith(url)))
      problems.push(`request to another host: ${url}`);
  });
  page.on('pageerror', (err) => {
    problems.push(`JavaScript error: ${String(err.message).split('\n')[0]}`);
  });
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content.Security.Policy/i.test(text)) {
      problems.push(`CSP violation: ${text.split('\n')[0]}`);
    } else if (msg.type() === 'error' &&
               !/^Failed to load resource/.test(text)) {
      problems.push(`console error: ${text.split('\n')[0]}`);
    }
  });
  page.on('response', (res) => {
    // The 404 page answers 404 on purpose; its assets must not.
    if (res.status() >= 400 && res.url() !== target)
      problems.push(`asset failed: HTTP ${res.status()} ${res.url()}`);
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'}` +
        (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ''));
    });
  });

  let response;
  try {
    response = await page.goto(target, { waitUntil: 'load', timeout: 15000 });
  } catch (e) {
    problems.push(`cannot load: ${e.message.split('\n')[0]}`);
    await page.close();
    return problems;
  }
  if (!response || response.status() !== want)
    problems.push(`HTTP ${response ? response.status() : '-'} ` +
                  `(wanted ${want})`);
  await page.waitForTimeout(100); // late events (CSP reports are async)
  const csp = await page.evaluate(() => window.__cspViolations);
  for (const v of csp) {
    if (!problems.some((p) => p.startsWith('CSP violation') && p.includes(v)))
      problems.push(`CSP violation: ${v}`);
  }
  for (const scheme of ['light', 'dark']) {
    try {
      problems.push(...await runAxe(page, axeSource, scheme));
    } catch (e) {
      problems.push(`axe could not run: ${e.message.split('\n')[0]}`);
    }
  }
  await page.close();
  // The console and the event both report one CSP violation: keep one.
  return [...new Set(problems)];
}

async function screenshot(browser, base, shot, dir) {
  const sizes = [
    { suffix: 'phone', width: 375, height: 812, mobile: true },
    { suffix: 'desktop', width: 1280, height: 800, mobile: false },
  ];
  for (const s of sizes) {
    const context = await browser.newContext({
      viewport: { width: s.width, height: s.height },
      deviceScaleFactor: 1, isMobile: s.mobile, hasTouch: s.mobile,
      serviceWorkers: 'block',
    });
    await context.route('**/*', (route) =>
      new URL(route.request().url()).origin === new URL(base).origin
        ? route.continue() : route.abort('blockedbyclient'));
    const page = await context.newPage();
    await page.goto(new URL(shot.path, base).href, { waitUntil: 'load' });
    const file = path.join(dir, `${shot.name}-${s.suffix}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`screenshot ${file}\n`);
    await context.close();
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const modules = path.resolve(opts.modules);
  const { chromium } = require(path.join(modules, 'playwright-core'));
  const axeSource = fs.readFileSync(
    path.join(modules, 'axe-core', 'axe.min.js'), 'utf8');
  const server = await serve(opts.site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  let browser;
  let failed = false;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 }, serviceWorkers: 'block',
    });
    for (const p of opts.paths) {
      const problems = await checkPage(context, base, p.path, p.status,
                                       axeSource);
      if (problems.length) failed = true;
      for (const problem of problems)
        process.stdout.write(`FAIL ${p.path}: ${problem}\n`);
      if (!problems.length) process.stdout.write(`ok ${p.path}\n`);
    }
    await context.close();
    if (opts.shoot.length) fs.mkdirSync(opts.shots, { recursive: true });
    for (const shot of opts.shoot)
      await screenshot(browser, base, shot, opts.shots);
  } finally {
    if (browser) await browser.close();
    server.close();
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  process.stderr.write(`run.js: ${err.stack || err}\n`);
  process.exit(2);
});
