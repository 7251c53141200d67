/* 05-ui.js - building blocks shared by the pages: tables with <th scope>, the pager, labelled
 * fields, filter forms, severity and state badges, definition lists. */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;

	/* table({caption, cols: ['key' | {k, num}], rows, row: r => [cells], empty, rowHead}) */
	CG.table = function table(o) {
		const cols = o.cols.map((c) => (typeof c === 'string' ? { k: c } : c));
		const thead = h('thead', null, h('tr', null, cols.map((c) =>
			h('th', { scope: 'col', class: c.num ? 'num' : c.cls }, c.node || (c.k ? t(c.k) : '')))));
		const body = h('tbody');
		for (const r of o.rows) {
			const cells = o.row(r);
			const tr = h('tr', o.rowAttrs ? o.rowAttrs(r) : null);
			cells.forEach((v, i) => {
				const c = cols[i] || {};
				const tag = o.rowHead === i ? 'th' : 'td';
				tr.appendChild(h(tag, { scope: tag === 'th' ? 'row' : null, class: c.num ? 'num' : c.cls, 'data-label': c.k ? t(c.k) : null }, v));
			});
			body.appendChild(tr);
		}
		if (!o.rows.length)
			body.appendChild(h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, o.empty || t('none'))));
		const tbl = h('table', { class: o.cls || 'grid' }, o.caption ? h('caption', { class: o.capVisible ? null : 'sr-only' }, o.caption) : null, thead, body);
		return h('div', { class: 'tw', tabindex: '0', role: 'region', 'aria-label': o.caption || t('table') }, tbl);
	};

	/* The pager for a list fetched with limit+1: shown rows, whether there is more, the total when
	 * the API gives one. Prev/next are links, so the browser's back button works. */
	CG.pager = function pager(o) {
		const { path, q, offset, limit, shown, more, total } = o;
		const qq = (off) => { const x = {}; q.forEach((v, k) => { x[k] = v; }); x.offset = off || null; return CG.link(path, x); };
		const from = shown ? offset + 1 : 0, to = offset + shown;
		const txt = total != null ? t('pg.of', CG.num(from), CG.num(to), CG.num(total)) : t('pg.range', CG.num(from), CG.num(to));
		return h('nav', { class: 'pager', 'aria-label': t('pg.label') },
			h('span', { class: 'range', 'data-k': 'range' }, txt),
			offset > 0 ? h('a', { href: qq(Math.max(0, offset - limit)), rel: 'prev' }, '‹ ' + t('pg.prev')) : null,
			more ? h('a', { href: qq(offset + limit), rel: 'next' }, t('pg.next') + ' ›') : null);
	};
	/* limit/offset from the hash, and the fetch limit (+1 to know whether there is a next page) */
	CG.paging = (q, def) => {
		const limit = Math.min(500, Math.max(1, +q.get('limit') || def || 50));
		const offset = Math.max(0, +q.get('offset') || 0);
		return { limit, offset };
	};

	/* A labelled field: field('key', input, hintKey?) gives the input an id if it has none. */
	CG.field = function field(label, input, hint, cls) {
		if (!input.id) input.id = CG.uid('f');
		let hintEl = null;
		if (hint) {
			hintEl = h('small', { id: input.id + '-h', class: 'hint' }, hint);
			input.setAttribute('aria-describedby', hintEl.id);
		}
		return h('div', { class: 'field ' + (cls || '') }, h('label', { for: input.id }, label), input, hintEl);
	};
	CG.select = function select(options, value, attrs) {
		const s = h('select', attrs);
		for (const o of options) {
			const [v, l] = Array.isArray(o) ? o : [o, o];
			s.appendChild(h('option', { value: v, selected: String(v) === String(value == null ? '' : value) }, l));
		}
		return s;
	};
	/* A filter form: on submit, navigate to path with the fields' values (empty ones dropped). */
	CG.filterForm = function filterForm(path, fields, extra) {
		const f = h('form', { class: 'filters', role: 'search', 'aria-label': t('filters') }, fields,
			h('div', { class: 'field actions' }, h('button', { type: 'submit' }, t('apply')),
				h('a', { href: CG.link(path), class: 'btnlink' }, t('reset'))));
		f.addEventListener('submit', (ev) => {
			ev.preventDefault();
			const q = Object.assign({}, extra || {});
			for (const el of f.elements) if (el.name && el.value !== '') q[el.name] = el.value;
			CG.go(path, q);
		});
		return f;
	};

	const SEV = ['info', 'low', 'medium', 'high', 'critical'];
	CG.sevLevel = (s) => (typeof s === 'number' ? s : Math.max(0, SEV.indexOf(String(s || '').toLowerCase())));
	CG.sev = (s) => { const n = CG.sevLevel(s); return h('span', { class: 'badge sev' + n }, t('sev.' + n)); };
	CG.badge = (key, cls) => h('span', { class: 'badge ' + (cls || '') }, CG.has(key) ? t(key) : key.replace(/^[a-z]+\./, ''));
	CG.online = (on) => h('span', { class: 'badge ' + (on ? 'on' : 'off') }, t(on ? 'online' : 'offline'));
	CG.dl = (pairs) => h('dl', { class: 'kv' }, pairs.filter((p) => p && p[1] != null && p[1] !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
	CG.card = (title, ...kids) => h('section', { class: 'card' }, title ? h('h2', null, title) : null, kids);
	CG.mono = (...k) => h('span', { class: 'mono' }, k);
	CG.muted = (...k) => h('p', { class: 'muted' }, k);
	CG.actions = (...k) => h('div', { class: 'actions' }, k);
	CG.page = (name, title, ...kids) => h('section', { class: 'page', 'data-page': name }, h('div', { class: 'ph' }, h('h1', null, title)), kids);
	/* JSON of an event or detail, as text */
	CG.pre = (o) => h('pre', { class: 'json' }, JSON.stringify(o, null, 2));
	CG.short = (s, n) => { s = String(s || ''); return s.length > n ? s.slice(0, n) + '…' : s; };
	/* the translation of prefix+value when there is one, else the value itself */
	CG.tv = (prefix, v) => (CG.has(prefix + v) ? t(prefix + v) : String(v == null ? '' : v));
	CG.unitLabel = (code, name) => (name ? name + ' (' + code + ')' : code || '—');
	/* The units in scope for select boxes, fetched once per session (large provinces: 5000). */
	CG.unitsCache = null;
	CG.units = async () => {
		if (!CG.unitsCache) CG.unitsCache = CG.api('GET', '/units', { query: { limit: 5000 } }).then((r) => r.units || []).catch((e) => { CG.unitsCache = null; throw e; });
		return CG.unitsCache;
	};
	CG.unitSelect = async (name, value, allLabel) => {
		const units = await CG.units();
		return CG.select([['', allLabel || t('all')]].concat(units.map((u) => [u.code, u.name + ' (' + u.code + ')'])), value, { name });
	};
	/* Downloads text as a file (CSV exports); the bytes never leave the browser. */
	CG.download = (name, text, type) => {
		const url = URL.createObjectURL(new Blob([text], { type: type || 'text/csv;charset=utf-8' }));
		const a = h('a', { href: url, download: name, class: 'sr-only' });
		document.body.appendChild(a);
		a.click();
		setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
	};
	/* A CSV cell: quoted, and a leading = + - @ made harmless for spreadsheets. */
	CG.csvCell = (v) => {
		let s = v == null ? '' : String(v);
		if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
		return /[",\n\r;]/.test(s) || s !== String(v == null ? '' : v) ? '"' + s.replace(/"/g, '""') + '"' : s;
	};

	CG.dict({
		none: ['Không có dữ liệu.', 'Nothing here.'],
		table: ['Bảng', 'Table'],
		all: ['Tất cả', 'All'],
		filters: ['Bộ lọc', 'Filters'],
		apply: ['Lọc', 'Apply'],
		reset: ['Bỏ lọc', 'Clear'],
		save: ['Lưu', 'Save'],
		cancel: ['Hủy', 'Cancel'],
		yes: ['Có', 'Yes'],
		no: ['Không', 'No'],
		'pg.of': ['{0}–{1} trên {2}', '{0}–{1} of {2}'],
		'pg.range': ['{0}–{1}', '{0}–{1}'],
		'pg.label': ['Phân trang', 'Pages'],
		'pg.prev': ['Trang trước', 'Previous'],
		'pg.next': ['Trang sau', 'Next'],
		'sev.0': ['Thông tin', 'Info'],
		'sev.1': ['Thấp', 'Low'],
		'sev.2': ['Trung bình', 'Medium'],
		'sev.3': ['Cao', 'High'],
		'sev.4': ['Nghiêm trọng', 'Critical'],
		online: ['Trực tuyến', 'Online'],
		offline: ['Mất kết nối', 'Offline'],
	});
})();
