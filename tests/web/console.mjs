// console.mjs - the web console in a real browser (Debian's chromium driven by playwright-core
// from web/node_modules) against a real `canhgac server` with seeded data (tests/web/seed.py).
//
// Usage: node tests/web/console.mjs BUILD/src/cli/canhgac
// Prints "ok   ..." / "FAIL ..." per check and exits 0 only when every check passed. Screenshots
// (PNG, full page, Vietnamese unless named -en) go to $CG_WEB_ARTIFACTS (/tmp/cg-web-artifacts).
// For working on the console: CG_WEB_SEED=FILE reads seed.py's JSON line from FILE instead of
// starting seed.py, and CG_WEB_URL=URL opens the console there (e.g. a proxy serving web/src).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const require = createRequire(path.join(ROOT, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const ART = process.env.CG_WEB_ARTIFACTS || '/tmp/cg-web-artifacts';
const CANHGAC = process.argv[2];
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
fs.mkdirSync(ART, { recursive: true });

let failed = 0, passed = 0;
async function check(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log('ok   ' + name + (note ? ' (' + note + ')' : ''));
  } catch (e) {
    failed++;
    console.log('FAIL ' + name + ': ' + String((e && e.message) || e).split('\n').slice(0, 3).join(' | '));
  }
}
function expect(cond, msg) { if (!cond) throw new Error(msg); }

/* A code the server has not taken yet (it takes each 30-s step's code once, RFC 6238 5.2, and
 * accepts the steps around now): the step after `last`, waiting until it is near. */
async function totpOnce(secret, last = -1) {
  for (;;) {
    const now = Math.floor(Date.now() / 30000), step = Math.max(now, last + 1);
    if (step <= now + 1) return totp(secret, step * 30);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function totp(secret, t = Date.now() / 1000) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += abc.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const d = createHmac('sha1', key).update(msg).digest();
  const o = d[d.length - 1] & 15;
  return String((d.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/* ---- the seeded server ---- */
let seedProc = null;
async function startSeed() {
  if (process.env.CG_WEB_SEED) return JSON.parse(fs.readFileSync(process.env.CG_WEB_SEED, 'utf8').trim().split('\n')[0]);
  if (!CANHGAC) { console.error('usage: console.mjs CANHGAC'); process.exit(2); }
  seedProc = spawn('python3', [path.join(HERE, 'seed.py'), CANHGAC], { stdio: ['pipe', 'pipe', 'inherit'] });
  const rl = readline.createInterface({ input: seedProc.stdout });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('seed.py gave no answer in 240 s')), 240000);
    rl.once('line', (l) => { clearTimeout(timer); try { ok(JSON.parse(l)); } catch (e) { fail(e); } });
    seedProc.once('exit', (c) => fail(new Error('seed.py exited with ' + c)));
  });
}
function stopSeed() {
  if (!seedProc) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => { seedProc.kill('SIGTERM'); ok(); }, 20000);
    seedProc.once('exit', () => { clearTimeout(timer); ok(); });
    seedProc.stdin.end();
  });
}

/* ---- page helpers ---- */
const problems = []; // dialogs, page errors, CSP refusals: every one fails the run
function watch(page, who) {
  page.on('dialog', (d) => { problems.push(who + ': a dialog opened: ' + d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => problems.push(who + ': page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const t = m.text();
    // the browser's own notes on API answers the test asks for on purpose (401 before login,
    // 400 for a bad file, 404 for another school's objects)
    if (/Failed to load resource: the server responded with a status of (400|401|404)/.test(t)) return;
    problems.push(who + ': console error: ' + t);
  });
}
async function rendered(page) { return page.evaluate(() => document.body.dataset.rendered || ''); }
/* Navigates by hash and waits for the page to be drawn (data-rendered changes). */
async function go(page, hash, name) {
  const before = await rendered(page);
  await page.evaluate((h) => { if (location.hash === h) window.CG.render(); else location.hash = h; }, hash);
  await page.waitForFunction((b) => document.body.dataset.rendered && document.body.dataset.rendered !== b, before, { timeout: 15000 });
  if (name) await page.waitForSelector('section.page[data-page="' + name + '"]', { timeout: 5000 });
}
async function waitRender(page, before, name) {
  await page.waitForFunction((b) => document.body.dataset.rendered && document.body.dataset.rendered !== b, before, { timeout: 15000 });
  if (name) await page.waitForSelector('section.page[data-page="' + name + '"]', { timeout: 5000 });
}
async function shot(page, name) {
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(ART, name + '.png'), fullPage: true });
}
const text = (page, sel) => page.locator(sel).first().innerText();
const api = (page, p) => page.evaluate(async (p) => { const r = await fetch('/api/v1' + p, { credentials: 'same-origin' }); return { status: r.status, body: await r.json().catch(() => null) }; }, p);

/* Accessibility basics of the page on screen: every field labelled, buttons named, table
 * headers scoped, one h1, the landmarks. */
async function a11y(page) {
  const bad = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.closest('[hidden]')) continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push('unlabelled ' + el.tagName + ' ' + (el.name || el.outerHTML.slice(0, 60)));
    }
    for (const b of document.querySelectorAll('button')) if (!b.textContent.trim() && !b.getAttribute('aria-label')) out.push('button without a name');
    for (const th of document.querySelectorAll('thead th')) if (th.getAttribute('scope') !== 'col') out.push('th without scope');
    for (const s of ['header', 'nav', 'main']) if (!document.querySelector(s)) out.push('no <' + s + '>');
    if (document.querySelectorAll('main h1').length !== 1) out.push(document.querySelectorAll('main h1').length + ' h1');
    for (const d of document.querySelectorAll('div[onclick], span[onclick]')) out.push('click-only ' + d.tagName);
    // WCAG 2 contrast of every visible text: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold)
    const rgb = (c) => { const m = c.match(/[\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 1]; };
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    const bgOf = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if ((c.length < 4 || c[3] > 0.5) && getComputedStyle(e).backgroundImage === 'none') return c;
        if (getComputedStyle(e).backgroundImage !== 'none') return null; // an image or gradient: not judged
      }
      return [255, 255, 255];
    };
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || seen.has(el) || !el.getClientRects().length || el.closest('canvas, .uplot, .sr-only, [hidden]')) continue;
      seen.add(el);
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || +st.opacity < 0.5) continue;
      const bg = bgOf(el);
      if (!bg) continue;
      const a = lum(rgb(st.color)), b = lum(bg);
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const px = parseFloat(st.fontSize), large = px >= 24 || (px >= 18.66 && +st.fontWeight >= 700);
      if (ratio < (large ? 3 : 4.5) && !(el.disabled || el.closest('button:disabled'))) out.push('contrast ' + ratio.toFixed(2) + ' "' + n.textContent.trim().slice(0, 30) + '"');
    }
    return out;
  });
  expect(!bad.length, bad.slice(0, 4).join('; '));
}

async function login(page, url, user, pw, code) {
  await page.goto(url + '/#/');
  await page.waitForSelector('form[data-k="login-form"]');
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', pw);
  await page.click('form[data-k="login-form"] button[type="submit"]');
  if (code) {
    await page.waitForSelector('input[name="totp"]', { state: 'visible', timeout: 10000 });
    await page.fill('input[name="totp"]', await code());
    await page.click('form[data-k="login-form"] button[type="submit"]');
  }
}

/* ---- the run ---- */
const seed = await startSeed();
const URL0 = process.env.CG_WEB_URL || seed.url;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
const ctxOpts = { ignoreHTTPSErrors: true, acceptDownloads: true, locale: 'vi-VN', timezoneId: 'Europe/Paris', viewport: { width: 1280, height: 900 } };
const admin = seed.users.admin, ua = seed.users['gv.a'];
const hostA1 = seed.hosts['pc-a1'], hostB1 = seed.hosts['pc-b1'];
const alertA1 = seed.alerts['pc-a1'], alertB1 = seed.alerts['pc-b1'];

try {
  await check('the source builds pages without innerHTML, document.write or eval', () => {
    const dir = path.join(ROOT, 'web', 'src', 'js');
    const src = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const html = fs.readFileSync(path.join(ROOT, 'web', 'src', 'index.html'), 'utf8');
    const m = src.match(/\.innerHTML|outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
    expect(!m, 'found ' + (m && m[0]));
    expect(!/<script(?![^>]*\bsrc=)/.test(html) && !/\sstyle=|<style/.test(html), 'inline script or style in index.html');
    const size = Buffer.byteLength(src) + fs.statSync(path.join(ROOT, 'web', 'src', 'app.css')).size;
    return Math.round(size / 1024) + ' KB of app.js + app.css';
  });

  const ctx = await browser.newContext(ctxOpts);
  const page = await ctx.newPage();
  watch(page, 'admin');

  await check('the page is served with the CSP and without inline code', async () => {
    const r = await page.goto(URL0 + '/');
    const csp = r.headers()['content-security-policy'] || '';
    expect(/default-src 'self'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp), 'CSP: ' + csp);
  });

  await check('login of the department admin asks for the TOTP code, then opens the dashboard', async () => {
    await login(page, URL0, 'admin', admin.password, async () => totpOnce(admin.totp_secret, admin.totp_last_step));
    await page.waitForSelector('section.page[data-page="dashboard"]', { timeout: 15000 });
    expect((await page.evaluate(() => document.documentElement.lang)) === 'vi', 'not Vietnamese by default');
  });

  let dash = null;
  await check('dashboard: the totals and units of GET /api/v1/dashboard', async () => {
    dash = (await api(page, '/dashboard?days=30')).body;
    const tot = dash.totals;
    expect(tot.hosts === 3, 'seeded 3 hosts, the API says ' + tot.hosts);
    const nums = {};
    for (const k of ['hosts', 'malware_hosts', 'vulnerable_hosts', 'alerts_open']) nums[k] = (await text(page, `[data-k="tile-${k}"]`)).replace(/\D/g, '');
    for (const k of Object.keys(nums)) expect(nums[k] === String(tot[k]), `tile ${k}: ${nums[k]} != ${tot[k]}`);
    expect((await text(page, '[data-k="tile-botnet"]')).replace(/\s/g, '') === tot.botnet_handled + '/' + tot.botnet_total, 'botnet tile');
    const names = await page.locator('.units-table tbody th a').allInnerTexts();
    expect(names.includes('Khối trung học phổ thông') && names.includes('Trung tâm GDTX tỉnh'), 'units: ' + names.join(', '));
    expect(await page.locator('[data-k="attention"] li').count() === dash.attention.length && dash.attention.length > 0, 'attention list');
    expect(await page.locator('.chart canvas').count() >= 3, 'three uPlot charts');
    expect(await page.locator('h1').innerText() === 'Bảng điều khiển: ' + dash.unit.name, 'h1');
    // by week: 12 weeks, this week's bar holds today's detections
    const before = await rendered(page);
    await page.click('[data-k="view-weeks"]');
    await waitRender(page, before, 'dashboard');
    expect((await text(page, '#tr-h')).includes('12 tuần'), 'weeks heading');
    const rows = await page.locator('[data-k="chart-detections"] tbody tr td:last-child').allTextContents();
    const todays = dash.trend.detections[dash.trend.detections.length - 1];
    expect(rows.length === 12 && rows[11].trim() === String(todays), 'weekly rows: ' + rows.join(' | '));
    await shot(page, 'dashboard-weeks');
    const b2 = await rendered(page);
    await page.click('[data-k="view-days"]');
    await waitRender(page, b2, 'dashboard');
    return `hosts ${tot.hosts}, malware ${tot.malware_hosts}, alerts ${tot.alerts_open}, attention ${dash.attention.length}`;
  });
  await shot(page, 'dashboard');
  await check('dashboard: accessibility basics', () => a11y(page));

  await check('dashboard: a unit opens its own dashboard, the breadcrumb leads back', async () => {
    let before = await rendered(page);
    await page.click('.units-table a:text-is("Khối trung học phổ thông")');
    await waitRender(page, before, 'dashboard');
    expect(/unit=khoi-thpt/.test(page.url()), page.url());
    const names = await page.locator('.units-table tbody th a').allInnerTexts();
    expect(names.join('|') === 'Trường THPT Lê Lợi|Trường THPT Nguyễn Trãi', 'Vietnamese order of schools: ' + names.join('|'));
    expect((await text(page, '[data-k="tile-hosts"]')) === '3', 'khoi-thpt hosts');
    before = await rendered(page);
    await page.click('.crumbs a');
    await waitRender(page, before, 'dashboard');
    expect(!/unit=/.test(page.url()) || /unit=so(&|$)/.test(page.url()), 'back at the top: ' + page.url());
  });

  await check('units: the tree and a unit page with its registered prefix', async () => {
    await go(page, '#/units', 'units');
    const tree = await text(page, '.tree');
    for (const n of ['Sở Giáo dục', 'Khối trung học phổ thông', 'Trường THPT Nguyễn Trãi', 'Trường THPT Lê Lợi', 'Trung tâm GDTX tỉnh']) expect(tree.includes(n), 'tree lacks ' + n);
    expect(await page.locator('.tree a:text-is("Trường THPT Nguyễn Trãi")').count() === 1, 'link');
    await shot(page, 'units');
    await go(page, '#/units/thpt-a', 'unit');
    expect((await text(page, 'main')).includes('203.0.113.0/28'), 'the registered prefix');
    await a11y(page);
    await shot(page, 'unit');
    // a registered domain added from the page
    await page.fill('form[data-k="domain-form"] input[name="domain"]', 'NguyenTrai.EDU.vn');
    const bd = await rendered(page);
    await page.click('form[data-k="domain-form"] button[type="submit"]');
    await waitRender(page, bd, 'unit');
    expect((await text(page, 'main')).includes('nguyentrai.edu.vn'), 'the domain, normalised');
    // the seeded enrolment token of thpt-a is listed; revoking it takes two clicks
    const row = page.locator('tr[data-token]').first();
    expect((await row.innerText()).includes('Còn hiệu lực'), 'an active token: ' + (await row.innerText()));
    const id = await row.getAttribute('data-token');
    await row.locator('button').click();
    const before = await rendered(page);
    await row.locator('button').click();
    await waitRender(page, before, 'unit');
    expect((await text(page, `tr[data-token="${id}"]`)).includes('Đã thu hồi'), 'revoked');
  });

  await check('units: a bad units file shows its diagnostics with line numbers', async () => {
    await go(page, '#/units', 'units');
    await page.setInputFiles('form[data-k="units-import"] input[type="file"]', { name: 'don-vi.csv', mimeType: 'text/csv', buffer: Buffer.from('code,name,parent\nx1,Trường X,khong-co\n') });
    await page.click('form[data-k="units-import"] button[type="submit"]');
    await page.waitForSelector('table.diag tbody tr');
    const row = await text(page, 'table.diag tbody tr');
    expect(/\b2\b/.test(row), 'line 2 named: ' + row);
  });

  await check('hosts: the list, filter by unit (with its subtree) and by name', async () => {
    await go(page, '#/hosts', 'hosts');
    const names = await page.locator('main tbody th a').allInnerTexts();
    expect(['pc-a1', 'pc-a2', 'pc-b1'].every((n) => names.includes(n)), 'hosts: ' + names);
    await shot(page, 'hosts');
    await page.selectOption('form.filters select[name="unit"]', 'thpt-b');
    const before = await rendered(page);
    await page.click('form.filters button[type="submit"]');
    await waitRender(page, before, 'hosts');
    const b = await page.locator('main tbody th a').allInnerTexts();
    expect(b.length === 1 && b[0] === 'pc-b1', 'thpt-b: ' + b);
    // a district's hosts (its subtree), narrowed by part of a name; the pager says the total
    await go(page, '#/hosts?unit=khoi-thpt', 'hosts');
    expect((await page.locator('main tbody th a').count()) === 3, 'khoi-thpt holds 3 hosts');
    await page.fill('form.filters input[name="q"]', 'a2');
    const b2 = await rendered(page);
    await page.click('form.filters button[type="submit"]');
    await waitRender(page, b2, 'hosts');
    const c = await page.locator('main tbody th a').allInnerTexts();
    expect(c.length === 1 && c[0] === 'pc-a2', 'search a2: ' + c);
    expect((await text(page, '[data-k="range"]')).includes('1'), 'range with total');
  });

  await check('host page: facts, the EICAR finding, a scan pushed from the page', async () => {
    await go(page, '#/hosts/' + hostA1, 'host');
    const main = await text(page, 'main');
    expect(main.includes('eicar.com'), 'finding');
    expect((await page.locator('h1').innerText()) === 'pc-a1', 'h1');
    const before = await rendered(page);
    await page.click('button[data-task="scan-quick"]');
    await waitRender(page, before, 'host');
    expect((await text(page, '#msg')).includes('Đã giao tác vụ'), 'message: ' + (await text(page, '#msg')));
    expect(await page.locator('main table tbody tr:has-text("Quét")').count() >= 1, 'the task in the table');
    await a11y(page);
    await shot(page, 'host');
    // pc-a2's inventory, opened from its page and searched on the server
    await go(page, '#/hosts/' + seed.hosts['pc-a2'], 'host');
    await page.click('[data-k="inventory-card"] summary');
    await page.waitForSelector('[data-k="inv-total"]');
    const inv = await text(page, '[data-k="inventory"]');
    expect(inv.includes('openssl') && inv.includes('libssl3') && inv.includes('Debian:12'), 'inventory: ' + inv.slice(0, 200));
    await page.fill('input[name="inv-q"]', 'SSL3');
    await page.click('[data-k="inventory-card"] form button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-k="inventory"] tbody tr').length === 1);
  });

  await check('alerts: the queue, an alert acknowledged, commented and resolved', async () => {
    await go(page, '#/alerts', 'alerts');
    const rows = await page.locator('main tbody tr[data-alert]').count();
    expect(rows >= 2, rows + ' alerts');
    await shot(page, 'alerts');
    await go(page, '#/alerts/' + alertA1, 'alert');
    let before = await rendered(page);
    await page.click('button[data-act="ack"]');
    await waitRender(page, before, 'alert');
    expect((await text(page, '.sub')).includes('Đã tiếp nhận'), 'acknowledged');
    await page.fill('#al-comment', 'Đã cách ly <b>tệp</b> trên pc-a1');
    before = await rendered(page);
    await page.click('form[data-k="comment-form"] button[type="submit"]');
    await waitRender(page, before, 'alert');
    expect((await text(page, '.comments')).includes('Đã cách ly <b>tệp</b> trên pc-a1'), 'the comment as text');
    before = await rendered(page);
    await page.click('button[data-act="resolve"]');
    await waitRender(page, before, 'alert');
    expect((await text(page, '.sub')).includes('Đã xử lý xong'), 'resolved');
    const a = (await api(page, '/alerts/' + alertA1)).body;
    expect(a.state === 'resolved' && a.comments.length === 1, 'server state ' + a.state);
    // dd/mm/yyyy HH:mm in Asia/Ho_Chi_Minh, whatever the browser's own zone (Europe/Paris here)
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(a.first_ms)).map((x) => [x.type, x.value]));
    const want = `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
    expect((await text(page, 'dl.kv')).includes(want), 'first seen shown as ' + want);
    await a11y(page);
    await shot(page, 'alert');
  });

  await check('alerts: bulk acknowledge of the selected rows, filter by state', async () => {
    await go(page, '#/alerts?state=new', 'alerts');
    await page.check(`tr[data-alert="${alertB1}"] input[type="checkbox"]`);
    const before = await rendered(page);
    await page.click('button[data-bulk="ack"]');
    await waitRender(page, before, 'alerts');
    expect(await page.locator(`tr[data-alert="${alertB1}"]`).count() === 0, 'gone from the new ones');
    expect((await api(page, '/alerts/' + alertB1)).body.state === 'acknowledged', 'server state');
  });

  let pastedFeed = 0;
  await check('feeds: the list, a botnet list pasted, previewed and imported', async () => {
    await go(page, '#/feeds', 'feeds');
    const list = await text(page, '[data-k="feeds"]');
    expect(list.includes('botnet-thang-12.csv') && list.includes('canh-bao-12-2026.json'), 'seeded feeds');
    expect(list.includes('1 địa chỉ khớp') && list.includes('1 máy bị ảnh hưởng'), 'what each list matched: ' + list);
    const pasted = 'Kính gửi các đơn vị, danh sách IP nhiễm mã độc:\n127.0.0.3\t' + new Date().toLocaleDateString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }) + '\tMirai\n192.0.2.77\t01/12/2026\tMozi\nTrân trọng.\n';
    await page.fill('textarea[data-k="paste"]', pasted);
    await page.click('form[data-k="feed-paste"] button[data-k="preview"]');
    await page.waitForSelector('[data-k="feed-preview"]');
    expect((await text(page, 'form[data-k="feed-paste"]')).includes('127.0.0.3'), 'preview rows');
    expect((await text(page, '[data-k="feed-preview"]')).includes('văn bản dán'), 'the format in Vietnamese');
    await page.click('form[data-k="feed-paste"] button[data-k="import"]');
    await page.waitForSelector('[data-k="feed-result"]');
    const res = await text(page, '[data-k="feed-result"]');
    expect(/Đã nhập 2 mục; [1-9]\d* địa chỉ khớp/.test(res), res);
    const href = await page.getAttribute('[data-k="feed-result"] a', 'href');
    pastedFeed = +href.replace(/.*feed=/, '');
    await page.waitForFunction(() => document.querySelectorAll('[data-k="feeds"] tbody tr').length >= 3);
    await a11y(page);
    await shot(page, 'feeds');
    const before = await rendered(page);
    await page.click('[data-k="feed-result"] a');
    await waitRender(page, before, 'triage');
    const rows = await page.locator('tr[data-match]').allInnerTexts();
    expect(rows.some((r) => r.includes('127.0.0.3') && r.includes('pc-a2')), 'pc-a2 matched: ' + rows.join(' / '));
  });

  await check('triage: handled/total per unit, a feed value with <script> shown as text', async () => {
    await go(page, '#/triage', 'triage');
    expect((await text(page, '[data-k="triage-total"]')).includes('/'), 'handled / total');
    const fam = await page.locator('.family').allTextContents();
    expect(fam.includes(seed.script_family), 'the <script> family shown as text: ' + fam.join(' | '));
    expect(await page.locator('main script, main img').count() === 0, 'an element made of feed data');
    const dialogs = problems.filter((p) => /dialog/.test(p));
    expect(!dialogs.length, dialogs.join('; '));
    await shot(page, 'triage');
    // the server's XLSX report, downloaded through the page
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-k="triage-xlsx"]')]);
    const file = await dl.path();
    const head = file ? fs.readFileSync(file).subarray(0, 2).toString() : '';
    expect(head === 'PK' && /\.xlsx$/.test(dl.suggestedFilename()), 'XLSX download: ' + dl.suggestedFilename());
  });

  await check('triage: the action recorded for a host waits for a clean scan', async () => {
    await go(page, '#/triage?feed=' + pastedFeed, 'triage');
    const row = page.locator('tr[data-match]:has-text("127.0.0.3")');
    await row.locator('details.handle summary').click();
    await row.locator('input:not([type=checkbox])').fill('Quét sạch, đổi mật khẩu');
    const before = await rendered(page);
    await row.locator('button[type="submit"]').click();
    await waitRender(page, before, 'triage');
    await page.waitForSelector('#msg .note');
    expect((await text(page, '#msg')).includes('quét toàn bộ sạch'), 'pending_scan message: ' + (await text(page, '#msg')));
    expect((await text(page, 'tr[data-match]:has-text("127.0.0.3")')).includes('Chờ quét sạch'), 'state');
  });

  await check('vulnerabilities: the finding with its explanation', async () => {
    await go(page, '#/vulns?state=open', 'vulns');
    const main = await text(page, 'main table');
    expect(main.includes('DSA-9901-1') && main.includes('openssl') && main.includes('3.0.13-1~deb12u1') && main.includes('pc-a2'), 'finding');
    expect(await page.locator('.explain').count() >= 1, 'explanation');
    await a11y(page);
    await shot(page, 'vulns');
    // by warning: the advisory's link lists its findings only
    const before = await rendered(page);
    await page.click('[data-k="adv-link"]:text-is("DSA-9901-1")');
    await waitRender(page, before, 'vulns');
    expect(/advisory=DSA-9901-1/.test(page.url()) && (await page.locator('tr[data-vuln]').count()) === 1, 'by warning: ' + page.url());
  });

  let newAdminPw = '';
  await check('users: the seeded users in Vietnamese order, users created', async () => {
    await go(page, '#/users', 'users');
    const names = await page.locator('main tbody th').allInnerTexts();
    // given names: Ánh, Bình, Đức
    expect(names.indexOf('Trần Thị Ánh') < names.indexOf('Lê Văn Bình') && names.indexOf('Lê Văn Bình') < names.indexOf('Phạm Minh Đức'), 'order: ' + names.join(', '));
    const f = page.locator('form[data-k="user-create"]');
    await f.locator('input').nth(0).fill('gv.c');
    await f.locator('input').nth(1).fill('Hoàng Thu Cúc');
    await f.locator('select').nth(1).selectOption('thpt-b');
    const before = await rendered(page);
    await f.locator('button[type="submit"]').click();
    await waitRender(page, before, 'users');
    expect(await page.locator('tr[data-user="gv.c"]').count() === 1, 'created');
    // a second department admin, for the TOTP set-up below
    await f.locator('input').nth(0).fill('so.tt');
    await f.locator('input').nth(1).fill('Vũ Thị Thanh');
    await f.locator('select').nth(0).selectOption('dept_admin');
    await f.locator('select').nth(1).selectOption('so');
    newAdminPw = await f.locator('input').nth(2).inputValue();
    const b2 = await rendered(page);
    await f.locator('button[type="submit"]').click();
    await waitRender(page, b2, 'users');
    expect(await page.locator('tr[data-user="so.tt"]').count() === 1, 'dept admin created');
    await a11y(page);
    await shot(page, 'users');
  });

  await check('audit log: the changes made', async () => {
    await go(page, '#/audit', 'audit');
    const t = await text(page, 'main table');
    for (const a of ['feed.import', 'alert.update', 'user.create', 'task.create']) expect(t.includes(a), 'no ' + a);
    await shot(page, 'audit');
  });

  await check('account and enrolment pages render', async () => {
    await go(page, '#/account', 'account');
    await a11y(page);
    await shot(page, 'account');
    await go(page, '#/enroll', 'enroll');
    await page.click('form[data-k="enroll-form"] button[type="submit"]');
    await page.waitForSelector('[data-k="enroll-token"]');
    expect((await page.inputValue('[data-k="enroll-token"]')).startsWith('cgE1.'), 'token');
  });

  await check('language: switched to English, remembered after reload, every string translated', async () => {
    await go(page, '#/', 'dashboard');
    const before = await rendered(page);
    await page.click('button[data-k="lang"]');
    await waitRender(page, before, 'dashboard');
    expect((await text(page, '#nav')).includes('Dashboard'), 'nav in English');
    expect((await page.locator('h1').innerText()).startsWith('Dashboard:'), 'h1 in English');
    await page.reload();
    await page.waitForSelector('section.page[data-page="dashboard"]');
    expect((await page.locator('h1').innerText()).startsWith('Dashboard:'), 'English after reload');
    expect((await api(page, '/me')).body.lang === 'en', 'lang kept by the server');
    await page.waitForSelector('.chart canvas');
    await shot(page, 'dashboard-en');
    for (const [h, n] of [['#/alerts', 'alerts'], ['#/hosts/' + hostA1, 'host'], ['#/triage', 'triage'], ['#/vulns', 'vulns'], ['#/feeds', 'feeds'], ['#/users', 'users'], ['#/account', 'account'], ['#/units/thpt-a', 'unit']]) await go(page, h, n);
    await shot(page, 'unit-en');
    const missing = await page.evaluate(() => window.CG.missing);
    expect(!missing.length, 'missing: ' + missing.join(', '));
    const b2 = await rendered(page);
    await page.click('button[data-k="lang"]');
    await waitRender(page, b2);
    expect((await text(page, '#nav')).includes('Bảng điều khiển'), 'back to Vietnamese');
  });

  await check('phone (360 px): the menu button opens the navigation, nothing overflows', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await go(page, '#/alerts', 'alerts');
    await go(page, '#/', 'dashboard');
    await page.waitForTimeout(300);
    expect(!(await page.isVisible('#nav a[data-nav="/alerts"]')), 'nav hidden');
    await page.click('button.menu');
    expect(await page.isVisible('#nav a[data-nav="/alerts"]'), 'nav shown');
    await page.click('button.menu');
    const w = await page.evaluate(() => [document.documentElement.scrollWidth, Math.max(...[...document.querySelectorAll('.chart canvas')].map((c) => c.getBoundingClientRect().right))]);
    expect(w[0] <= 361 && w[1] <= 360, 'page or chart wider than the phone: ' + w);
    await shot(page, 'dashboard-phone');
    await page.setViewportSize(ctxOpts.viewport);
  });

  await check('keyboard: Tab reaches the skip button, then links; focus is visible', async () => {
    await go(page, '#/units', 'units');
    await page.reload();
    await page.waitForSelector('section.page[data-page="units"]');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement.className);
    expect(first.includes('skip'), 'first focus: ' + first);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    expect(outline !== 'none', 'outline ' + outline);
  });

  // The time to a usable dashboard is measured and printed (docs/benchmarks.md keeps the figures;
  // the target is 3 s), not asserted: timings of a shared machine are not a test. What the page
  // transfers and how many API requests it waits on are asserted.
  await check('throttled first load (1 Mbit/s, 100 ms): at most 300 KB and 3 API requests; time measured', async () => {
    const state = await ctx.storageState();
    const c2 = await browser.newContext(Object.assign({}, ctxOpts, { storageState: state }));
    const p2 = await c2.newPage();
    watch(p2, 'throttled');
    const cdp = await c2.newCDPSession(p2);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 100, downloadThroughput: 125000, uploadThroughput: 125000 });
    let bytes = 0, apis = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    cdp.on('Network.requestWillBeSent', (e) => { if (e.request.url.includes('/api/')) apis++; });
    const t0 = Date.now();
    await p2.goto(URL0 + '/#/', { waitUntil: 'commit' });
    await p2.waitForSelector('[data-k="tile-hosts"]', { timeout: 10000 });
    const ms = Date.now() - t0;
    await p2.waitForSelector('.chart canvas');
    await p2.waitForLoadState('networkidle');
    await c2.close();
    expect(bytes <= 300 * 1024, bytes + ' bytes');
    expect(apis <= 3, apis + ' API requests');
    return `dashboard usable after ${ms} ms (target 3000), ${Math.round(bytes / 1024)} KB, ${apis} API requests`;
  });

  await check('an expired session goes back to the login with a message', async () => {
    await go(page, '#/hosts', 'hosts');
    await ctx.clearCookies();
    await page.evaluate(() => { location.hash = '#/alerts'; });
    await page.waitForSelector('form[data-k="login-form"]');
    expect(/hết hạn/.test(await text(page, '#msg')), 'message: ' + (await text(page, '#msg')));
  });
  await ctx.close();

  /* A school admin of thpt-a: thpt-b is out of reach. */
  const c3 = await browser.newContext(ctxOpts);
  const p3 = await c3.newPage();
  watch(p3, 'gv.a');
  await check('school admin (thpt-a): logs in without TOTP, sees only thpt-a', async () => {
    await login(p3, URL0, 'gv.a', ua.password);
    await p3.waitForSelector('section.page[data-page="dashboard"]', { timeout: 15000 });
    expect((await p3.locator('h1').innerText()).includes('Trường THPT Nguyễn Trãi'), 'own dashboard');
    expect(await p3.locator('#nav a[data-nav="/audit"]').count() === 0, 'no audit log in the menu');
    await go(p3, '#/hosts', 'hosts');
    const names = await p3.locator('main tbody th a').allInnerTexts();
    expect(names.includes('pc-a1') && !names.includes('pc-b1'), 'hosts: ' + names);
    await go(p3, '#/alerts', 'alerts');
    const al = await p3.locator('main tbody tr[data-alert]').allInnerTexts();
    expect(al.length >= 1 && !al.some((r) => r.includes('pc-b1')), 'alerts: ' + al.join(' / '));
    await go(p3, '#/triage', 'triage');
    expect(!(await text(p3, 'main')).includes('Lê Lợi'), 'thpt-b in triage');
    await shot(p3, 'school-dashboard-hosts');
  });
  await check('school admin: thpt-b\'s host and alert pages answer "not found"', async () => {
    await go(p3, '#/hosts/' + hostB1, 'notfound');
    expect((await p3.locator('h1').innerText()) === 'Không tìm thấy', 'h1');
    expect(!(await text(p3, 'main')).includes('pc-b1'), 'the host name leaked');
    await shot(p3, 'school-notfound');
    await go(p3, '#/alerts/' + alertB1, 'notfound');
    await go(p3, '#/audit', 'forbidden');
    await go(p3, '#/?unit=thpt-b', 'notfound');
  });
  await c3.close();

  /* First login: the password must change first. */
  const c4 = await browser.newContext(ctxOpts);
  const p4 = await c4.newPage();
  watch(p4, 'moi.a');
  await check('first login: the forced password change, then the dashboard', async () => {
    await login(p4, URL0, 'moi.a', seed.users['moi.a'].password);
    await p4.waitForSelector('form[data-k="password-form"]');
    await shot(p4, 'first-login');
    const f = p4.locator('form[data-k="password-form"] input');
    await f.nth(0).fill(seed.users['moi.a'].password);
    await f.nth(1).fill('Mat-khau-rieng-2026');
    await f.nth(2).fill('Mat-khau-rieng-2026');
    await p4.click('form[data-k="password-form"] button[type="submit"]');
    await p4.waitForSelector('section.page[data-page="dashboard"]', { timeout: 15000 });
    await p4.click('button[data-k="logout"]');
    await p4.waitForSelector('form[data-k="login-form"]');
  });
  await c4.close();

  /* A new department admin: the first password, then TOTP (QR code and secret shown). */
  const c5 = await browser.newContext(ctxOpts);
  const p5 = await c5.newPage();
  watch(p5, 'so.tt');
  await check('new department admin: the forced TOTP set-up with its QR code', async () => {
    await login(p5, URL0, 'so.tt', newAdminPw);
    await p5.waitForSelector('form[data-k="password-form"]');
    const f = p5.locator('form[data-k="password-form"] input');
    await f.nth(0).fill(newAdminPw);
    await f.nth(1).fill('Mat-khau-so-tt-2026');
    await f.nth(2).fill('Mat-khau-so-tt-2026');
    await p5.click('form[data-k="password-form"] button[type="submit"]');
    await p5.waitForSelector('[data-k="totp-setup"] button');
    await p5.click('[data-k="totp-setup"] button');
    await p5.waitForSelector('svg.qr path');
    const secret = (await text(p5, '[data-k="totp-secret"]')).replace(/\s/g, '');
    expect(/^[A-Z2-7]{16,}$/.test(secret), 'secret ' + secret);
    expect((await p5.getAttribute('svg.qr path', 'd')).length > 500, 'QR code drawn');
    await shot(p5, 'totp-setup');
    await p5.fill('[data-k="totp-setup"] input', totp(secret));
    await p5.click('[data-k="totp-setup"] button[type="submit"]');
    await p5.waitForSelector('section.page[data-page="dashboard"]', { timeout: 15000 });
    expect((await api(p5, '/me')).body.totp_required === false, 'TOTP on');
  });
  await c5.close();

  await check('no dialog, page error or CSP refusal anywhere', () => { expect(!problems.length, problems.slice(0, 5).join(' || ')); });
} catch (e) {
  failed++;
  console.log('FAIL the run stopped: ' + ((e && e.stack) || e));
} finally {
  await browser.close().catch(() => {});
  await stopSeed();
}
console.log(`${passed} passed, ${failed} failed; screenshots in ${ART}`);
process.exit(failed ? 1 : 0);
