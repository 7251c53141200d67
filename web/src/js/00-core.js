/* 00-core.js - the console's base: the DOM helper h() (no innerHTML anywhere: every value is
 * text), the bilingual dictionary and t(), dates in Asia/Ho_Chi_Minh, the API client (session
 * cookie + X-CSRF-Token), messages for screen readers, and the hash router. */
(() => {
	'use strict';
	const CG = (window.CG = window.CG || {});

	/* ---- DOM ---- */
	const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'multiple', 'indeterminate']);
	function add(el, kids) {
		for (const k of kids) {
			if (k == null || k === false) continue;
			if (Array.isArray(k)) add(el, k);
			else el.appendChild(k instanceof Node ? k : document.createTextNode(String(k)));
		}
	}
	function setAttrs(el, attrs) {
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v == null || v === false) continue;
			if (k === 'style' || k === 'innerHTML' || k === 'outerHTML' || k === 'srcdoc') throw new Error('h: ' + k);
			if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
			else if (k === 'class') el.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
			else if (k === 'text') el.textContent = v;
			else if (PROPS.has(k)) el[k] = v;
			else el.setAttribute(k, v === true ? '' : String(v));
		}
	}
	/* h('a', {href: '#/', class: 'x', onclick: fn}, 'text', node, [more]) */
	CG.h = function h(tag, attrs, ...kids) {
		const el = document.createElement(tag);
		setAttrs(el, attrs);
		add(el, kids);
		return el;
	};
	CG.svg = function svg(tag, attrs, ...kids) {
		const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
		setAttrs(el, attrs);
		add(el, kids);
		return el;
	};
	/* appends children as h() does (null and false skipped, strings as text) */
	CG.add = (el, ...kids) => { add(el, kids); return el; };
	CG.clear = (el) => { while (el.firstChild) el.removeChild(el.firstChild); return el; };
	CG.$ = (sel, root) => (root || document).querySelector(sel);
	let uid = 0;
	CG.uid = (p) => (p || 'f') + '-' + ++uid;

	/* ---- language ---- */
	const DICT = {};
	CG.missing = [];
	CG.dict = (o) => Object.assign(DICT, o);
	CG.lang = (() => { try { return localStorage.getItem('cg_lang') === 'en' ? 'en' : 'vi'; } catch (e) { return 'vi'; } })();
	/* t('key', a, b): the string in the current language, {0} {1} replaced by the arguments. */
	CG.t = function t(key, ...args) {
		const e = DICT[key];
		if (!e) { if (!CG.missing.includes(key)) CG.missing.push(key); return key; }
		let s = e[CG.lang === 'en' ? 1 : 0];
		args.forEach((a, i) => { s = s.split('{' + i + '}').join(String(a)); });
		return s;
	};
	CG.has = (key) => Object.prototype.hasOwnProperty.call(DICT, key);
	/* A server error's own words: message_vi / message_en. */
	CG.msg = (o) => (o && (CG.lang === 'en' ? o.message_en : o.message_vi)) || '';

	/* ---- numbers and dates (Asia/Ho_Chi_Minh unless the browser was told otherwise) ---- */
	CG.tz = (() => { try { return localStorage.getItem('cg_tz') || 'Asia/Ho_Chi_Minh'; } catch (e) { return 'Asia/Ho_Chi_Minh'; } })();
	const fmts = {};
	function parts(ms, withTime) {
		const k = CG.tz + (withTime ? 1 : 0);
		if (!fmts[k])
			fmts[k] = new Intl.DateTimeFormat('en-GB', Object.assign({ timeZone: CG.tz, day: '2-digit', month: '2-digit', year: 'numeric' },
				withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}));
		const o = {};
		for (const p of fmts[k].formatToParts(new Date(ms))) o[p.type] = p.value;
		return o;
	}
	CG.date = (ms) => { if (!ms) return '—'; const p = parts(ms); return p.day + '/' + p.month + '/' + p.year; };
	CG.time = (ms) => { if (!ms) return '—'; const p = parts(ms, 1); return p.day + '/' + p.month + '/' + p.year + ' ' + p.hour + ':' + p.minute; };
	/* "2026-11-04" → "04/11/2026" (dashboard days are already local dates) */
	CG.ymd = (s) => { const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s || ''); return m ? m[3] + '/' + m[2] + '/' + m[1] : String(s || ''); };
	CG.num = (n) => (n == null || n === '' ? '—' : new Intl.NumberFormat(CG.lang === 'en' ? 'en-US' : 'vi-VN').format(n));
	CG.ago = (ms) => {
		if (!ms) return CG.t('never');
		const s = Math.max(0, (Date.now() - ms) / 1000);
		if (s < 90) return CG.t('ago.now');
		if (s < 5400) return CG.t('ago.min', Math.round(s / 60));
		if (s < 129600) return CG.t('ago.hour', Math.round(s / 3600));
		return CG.t('ago.day', Math.round(s / 86400));
	};
	/* a <time> element: dd/mm/yyyy HH:mm, machine form in datetime */
	CG.when = (ms, dateOnly) => ms ? CG.h('time', { datetime: new Date(ms).toISOString() }, dateOnly ? CG.date(ms) : CG.time(ms)) : '—';

	/* ---- roles ---- */
	const RANK = { viewer: 1, unit_admin: 2, dept_admin: 3 };
	CG.can = (role) => !!(CG.me && RANK[CG.me.role] >= RANK[role]);

	/* ---- messages (aria-live) ---- */
	CG.say = function say(text, kind) {
		const box = document.getElementById('msg');
		const live = document.getElementById('live');
		if (live) { live.textContent = ''; setTimeout(() => { live.textContent = text; }, 30); }
		if (!box) return;
		CG.clear(box);
		if (!text) return;
		box.appendChild(CG.h('div', { class: 'note ' + (kind || 'ok'), role: kind === 'err' ? 'alert' : null },
			CG.h('span', null, text),
			CG.h('button', { type: 'button', class: 'link', 'aria-label': CG.t('close'), onclick: () => CG.clear(box) }, '×')));
	};

	/* ---- API ---- */
	class ApiError extends Error {
		constructor(status, code, data) { super(code || String(status)); this.status = status; this.code = code || ''; this.data = data || {}; }
	}
	CG.ApiError = ApiError;
	CG.qs = (q) => {
		const p = new URLSearchParams();
		for (const [k, v] of Object.entries(q || {})) if (v != null && v !== '') p.set(k, v);
		const s = p.toString();
		return s ? '?' + s : '';
	};
	/* api('GET', '/hosts', {query: {unit}}) → the JSON answer; throws ApiError. A body that is
	 * a string, Blob or ArrayBuffer goes as is (imports), anything else as JSON. */
	CG.api = async function api(method, path, opts) {
		opts = opts || {};
		const headers = { Accept: 'application/json' };
		let body;
		if (opts.body !== undefined) {
			const b = opts.body;
			if (typeof b === 'string' || b instanceof Blob || b instanceof ArrayBuffer) {
				body = b;
				headers['Content-Type'] = opts.ctype || 'application/octet-stream';
			} else {
				body = JSON.stringify(b);
				headers['Content-Type'] = 'application/json';
			}
		}
		if (method !== 'GET' && CG.csrf) headers['X-CSRF-Token'] = CG.csrf;
		let res;
		try {
			res = await fetch('/api/v1' + path + CG.qs(opts.query), { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
		} catch (e) {
			throw new ApiError(0, 'network', {});
		}
		let data = null;
		try { data = await res.json(); } catch (e) { data = null; }
		if (res.ok) return data || {};
		const err = new ApiError(res.status, data && data.error, data);
		if (res.status === 429) err.retry = +res.headers.get('Retry-After') || 0;
		if (!opts.quiet) {
			if (res.status === 401 && CG.me) CG.expired();
			else if (res.status === 403 && (err.code === 'password_change_required' || err.code === 'totp_required')) CG.boot();
		}
		throw err;
	};
	CG.errText = function errText(e) {
		if (!(e instanceof ApiError)) return CG.t('err.client') + ' ' + (e && e.message ? e.message : '');
		const m = CG.msg(e.data);
		if (e.status === 0) return CG.t('err.network');
		if (e.status === 404) return CG.t('err.notfound');
		if (e.status === 403 && e.code === 'forbidden') return CG.t('err.forbidden');
		if (m) return m;
		if (e.status === 403) return CG.t('err.forbidden');
		if (e.status === 429) return CG.t('err.busy');
		return CG.t('err.server', e.status);
	};
	/* Runs an action from a button: disables it meanwhile, says the outcome. */
	CG.act = async function act(btn, fn, okText) {
		if (btn) btn.disabled = true;
		try {
			const r = await fn();
			if (okText) CG.say(typeof okText === 'function' ? okText(r) : okText, 'ok');
			return r;
		} catch (e) {
			if (!(e instanceof ApiError && e.status === 401)) CG.say(CG.errText(e), 'err');
			return undefined;
		} finally {
			if (btn) btn.disabled = false;
		}
	};

	/* POST from a button, then draw the page again (the message stays). */
	CG.post = (btn, path, body, okText) => CG.act(btn, () => CG.api('POST', path, { body: body || {} }), okText).then((r) => { if (r) CG.refresh(); return r; });

	/* ---- router: #/path?query ---- */
	const routes = [];
	CG.route = (pattern, fn, opts) => {
		const keys = [];
		const re = new RegExp('^' + pattern.replace(/:([a-z]+)/g, (_, k) => { keys.push(k); return '([^/]+)'; }) + '$');
		routes.push({ re, keys, fn, opts: opts || {} });
	};
	CG.parseHash = () => {
		const raw = location.hash.replace(/^#/, '') || '/';
		const i = raw.indexOf('?');
		return { path: i < 0 ? raw : raw.slice(0, i), q: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
	};
	CG.link = (path, q) => '#' + path + CG.qs(q);
	CG.go = (path, q) => { const l = CG.link(path, q); if (location.hash === l) CG.render(); else location.hash = l; };
	CG.match = (path) => {
		for (const r of routes) {
			const m = r.re.exec(path);
			if (m) {
				const params = {};
				r.keys.forEach((k, i) => { try { params[k] = decodeURIComponent(m[i + 1]); } catch (e) { params[k] = m[i + 1]; } });
				return { r, params };
			}
		}
		return null;
	};
	let seq = 0;
	let leaving = [], mounting = [];
	CG.current = () => seq;
	/* onLeave(fn): runs when the page is replaced (charts, observers); onMount(fn): once the
	 * page's node is in the document (sizes are known). */
	CG.onLeave = (fn) => leaving.push(fn);
	CG.onMount = (fn) => mounting.push(fn);
	/* Renders the route of the hash into <main>. keep=true (after an action) keeps the message
	 * and puts the focus back on the element with the same id. */
	CG.render = async function render(keep) {
		const main = document.getElementById('main');
		if (!main || !CG.me) return;
		const my = ++seq;
		const { path, q } = CG.parseHash();
		const focusId = keep && document.activeElement && document.activeElement.id;
		if (!keep) CG.say('');
		CG.navMark && CG.navMark(path);
		const m = CG.match(path);
		mounting = [];
		const view = CG.clear(CG.$('#view') || main);
		let node;
		const slow = setTimeout(() => { if (my === seq && !view.firstChild) view.appendChild(CG.h('p', { class: 'loading' }, CG.t('loading'))); }, 200);
		try {
			if (!m) throw new ApiError(404, 'not_found', {});
			if (m.r.opts.role && !CG.can(m.r.opts.role)) throw new ApiError(403, 'forbidden', {});
			node = await m.r.fn({ params: m.params, q, path });
		} catch (e) {
			if (e instanceof ApiError && e.status === 401) { clearTimeout(slow); return; }
			node = CG.errorView(e);
		}
		clearTimeout(slow);
		if (my !== seq) return;
		for (const fn of leaving.splice(0)) { try { fn(); } catch (e) { /* gone */ } }
		CG.clear(view).appendChild(node);
		for (const fn of mounting.splice(0)) { try { fn(); } catch (e) { if (window.console) console.error(e); } }
		document.body.setAttribute('data-rendered', String(my));
		const f = focusId && document.getElementById(focusId);
		if (f) f.focus();
		else if (!keep && my > 1) {
			const h1 = view.querySelector('h1');
			if (h1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
			window.scrollTo(0, 0);
		}
		document.title = (view.querySelector('h1') ? view.querySelector('h1').textContent + ' · ' : '') + CG.t('app');
	};
	CG.refresh = () => CG.render(true);
	CG.errorView = function errorView(e) {
		const h = CG.h;
		const st = e instanceof ApiError ? e.status : -1;
		if (st === 404)
			return h('section', { class: 'page notfound', 'data-page': 'notfound' },
				h('h1', null, CG.t('nf.title')), h('p', null, CG.t('nf.text')), h('p', null, h('a', { href: '#/' }, CG.t('nf.home'))));
		if (st === 403)
			return h('section', { class: 'page forbidden', 'data-page': 'forbidden' },
				h('h1', null, CG.t('fb.title')), h('p', null, CG.errText(e)), h('p', null, h('a', { href: '#/' }, CG.t('nf.home'))));
		if (!(e instanceof ApiError) && window.console) console.error(e);
		return h('section', { class: 'page', 'data-page': 'error' }, h('h1', null, CG.t('er.title')), h('p', { role: 'alert' }, CG.errText(e)),
			h('p', null, h('button', { type: 'button', onclick: () => CG.render() }, CG.t('retry'))));
	};

	CG.dict({
		app: ['Canh Gác', 'Canh Gác'],
		loading: ['Đang tải…', 'Loading…'],
		close: ['Đóng', 'Close'],
		retry: ['Thử lại', 'Try again'],
		never: ['chưa bao giờ', 'never'],
		'ago.now': ['vừa xong', 'just now'],
		'ago.min': ['{0} phút trước', '{0} min ago'],
		'ago.hour': ['{0} giờ trước', '{0} h ago'],
		'ago.day': ['{0} ngày trước', '{0} days ago'],
		'err.network': ['Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.', 'Cannot reach the server. Check the network and try again.'],
		'err.notfound': ['Không tìm thấy (hoặc nằm ngoài phạm vi của bạn).', 'Not found (or outside your scope).'],
		'err.forbidden': ['Vai trò của bạn không được làm việc này.', 'Your role is not allowed to do this.'],
		'err.busy': ['Máy chủ đang bận; hãy thử lại sau ít phút.', 'The server is busy; try again in a few minutes.'],
		'err.server': ['Máy chủ báo lỗi ({0}).', 'The server answered with an error ({0}).'],
		'err.client': ['Lỗi trong trang:', 'Error in the page:'],
		'nf.title': ['Không tìm thấy', 'Not found'],
		'nf.text': ['Trang hoặc đối tượng này không tồn tại, hoặc nằm ngoài phạm vi đơn vị của bạn.', 'This page or object does not exist, or it is outside your unit\u2019s scope.'],
		'nf.home': ['Về bảng điều khiển', 'Back to the dashboard'],
		'fb.title': ['Không đủ quyền', 'Not allowed'],
		'er.title': ['Có lỗi', 'Something went wrong'],
	});
})();
