/* 30-units.js - the unit tree (GET /units, paged, with the total), a unit's page with its
 * addresses (GET /units/{code}), the units file import with its diagnostics, registered
 * public addresses and enrolment tokens for agents. */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;
	const OPEN = 8e15;

	function tree(units) {
		const by = new Map(units.map((u) => [u.code, Object.assign({ kids: [] }, u)]));
		const roots = [];
		for (const u of by.values()) (u.parent && by.has(u.parent) ? by.get(u.parent).kids : roots).push(u);
		const list = (arr, top) => h('ul', { class: top ? 'tree' : null }, arr.map((u) => h('li', null,
			h('a', { href: '#/units/' + encodeURIComponent(u.code) }, u.name), ' ',
			h('span', { class: 'code' }, u.code),
			u.kind ? h('span', { class: 'muted' }, ' · ' + (CG.has('kind.' + u.kind) ? t('kind.' + u.kind) : u.kind)) : null,
			u.pcs >= 0 ? h('span', { class: 'muted' }, ' · ' + t('un.pcs.n', CG.num(u.pcs))) : null,
			u.merged_into ? h('span', { class: 'muted' }, ' · ' + t('un.merged', u.merged_into)) : null,
			u.kids.length ? list(u.kids) : null)));
		return list(roots, true);
	}

	function diagTable(diags) {
		return CG.table({
			caption: t('diag.cap'), capVisible: true, cols: ['diag.source', { k: 'diag.line', num: true }, 'diag.msg'], rows: diags || [],
			row: (d) => [d.source || '', d.line ? CG.num(d.line) : '—', CG.msg(d)], cls: 'grid diag',
		});
	}
	CG.diagTable = diagTable;

	function importForm() {
		const file = h('input', { type: 'file', accept: '.csv,.xlsx,.txt,text/csv', required: true });
		const btn = h('button', { type: 'submit' }, t('un.import.go'));
		const out = h('div', { class: 'result', 'aria-live': 'polite' });
		const f = h('form', { class: 'stack', 'data-k': 'units-import' }, CG.field(t('un.import.file'), file, t('un.import.hint')), CG.actions(btn), out);
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const fl = file.files[0];
			if (!fl) return;
			CG.clear(out);
			btn.disabled = true;
			try {
				const r = await CG.api('POST', '/units/import', { query: { name: fl.name }, body: fl, ctype: fl.type || 'application/octet-stream' });
				CG.unitsCache = null;
				CG.say(t('un.import.done', CG.num(r.units), CG.num(r.addresses)));
				CG.refresh();
			} catch (e) {
				CG.say(CG.errText(e), 'err');
				if (e.data && e.data.diagnostics) out.appendChild(diagTable(e.data.diagnostics));
			} finally {
				btn.disabled = false;
			}
		});
		return f;
	}

	CG.route('/units', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 500);
		const r = await CG.api('GET', '/units', { query: { limit, offset } });
		const units = r.units || [];
		const admin = CG.can('unit_admin');
		return CG.page('units', t('un.title'),
			CG.card(t('un.tree'), units.length ? tree(units) : h('p', null, t('none')),
				CG.pager({ path, q, offset, limit, shown: units.length, more: offset + units.length < r.total, total: r.total })),
			admin ? CG.card(t('un.import'), CG.muted(t('un.import.text')), importForm()) : null);
	});

	/* The enrolment token form, for a unit (fixed) or with a unit select. */
	CG.enrollForm = async function enrollForm(code) {
		const unit = code ? null : await CG.unitSelect('unit', CG.me.unit);
		if (unit) unit.firstChild.remove();
		const hours = h('input', { type: 'number', min: '1', max: '2160', value: '72', required: true });
		const uses = h('input', { type: 'number', min: '1', max: '100000', value: '500', required: true });
		const btn = h('button', { type: 'submit' }, t('en.go'));
		const out = h('div', { class: 'result' });
		const f = h('form', { class: 'grid-form', 'data-k': 'enroll-form' }, unit ? CG.field(t('en.unit'), unit) : null,
			CG.field(t('en.hours'), hours), CG.field(t('en.uses'), uses), CG.actions(btn));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const c = code || unit.value;
			const r = await CG.act(btn, () => CG.api('POST', '/units/' + encodeURIComponent(c) + '/enroll-tokens', { body: { hours: +hours.value, max_uses: +uses.value } }));
			CG.clear(out);
			if (!r) return;
			const ta = h('textarea', { readonly: true, rows: '3', class: 'mono', 'data-k': 'enroll-token' });
			ta.value = r.token;
			const copy = h('button', { type: 'button' }, t('copy'));
			copy.addEventListener('click', async () => {
				try { await navigator.clipboard.writeText(r.token); CG.say(t('copied')); } catch (e) { ta.select(); }
			});
			out.append(h('p', { class: 'note info' }, t('en.once', CG.time(r.expires * 1000), CG.num(r.max_uses))),
				CG.field(t('en.token'), ta), CG.actions(copy),
				h('p', null, t('en.cmd')), h('pre', { class: 'mono' }, 'canhgac agent enroll ' + r.token));
			ta.focus();
			ta.select();
		});
		return h('div', null, f, out);
	};

	CG.route('/enroll', async () => CG.page('enroll', t('en.title'), h('section', { class: 'card' }, h('p', null, t('en.text')), await CG.enrollForm())), { role: 'unit_admin' });

	/* A unit's enrolment tokens (never their secrets) with a revoke button for the active ones. */
	function tokensTable(list) {
		return CG.table({
			caption: t('tk.title'), rows: list, cols: ['tk.id', 'tk.created', 'tk.by', 'tk.expires', { k: 'tk.uses', num: true }, 'tk.state', 'tk.do'],
			rowAttrs: (x) => ({ 'data-token': x.id }),
			row: (x) => [String(x.id), CG.when(x.created_ms), x.created_by || '—', CG.when(x.expires_ms), x.uses + ' / ' + x.max_uses,
				CG.badge('tk.s.' + x.state, x.state === 'active' ? 'on' : 'off'),
				x.state === 'active' ? CG.confirmBtn(t('tk.revoke'), t('tk.sure'), (b) => CG.post(b, '/enroll-tokens/' + x.id + '/revoke', {}, t('tk.done'))) : ''],
			empty: t('tk.none'),
		});
	}

	CG.route('/units/:code', async ({ params }) => {
		const admin = CG.can('unit_admin');
		const [u, toks] = await Promise.all([CG.api('GET', '/units/' + encodeURIComponent(params.code)),
			admin ? CG.api('GET', '/units/' + encodeURIComponent(params.code) + '/enroll-tokens').catch(() => null) : null]);
		const enc = encodeURIComponent(u.code);
		const addrs = CG.table({
			caption: t('un.addrs'), cols: ['un.addr', 'un.src', 'un.from', 'un.to'], rows: u.addresses || [], rowHead: 0,
			row: (a) => [CG.mono(a.addr), CG.tv('src.', a.source), CG.when(a.first_ms), a.last_ms >= OPEN ? t('un.open') : CG.when(a.last_ms)],
			empty: t('un.addrs.none'),
		});
		const doms = CG.table({
			caption: t('un.doms'), cols: ['un.dom', 'un.from'], rows: u.domains || [], rowHead: 0,
			row: (d) => [CG.mono(d.domain), CG.when(d.created_ms, true)],
			empty: t('un.doms.none'),
		});
		let domForm = null;
		if (admin) {
			const dom = h('input', { name: 'domain', required: true, placeholder: 'thpt-a.edu.vn', autocapitalize: 'off', class: 'mono' });
			const btn = h('button', { type: 'submit' }, t('un.dom.add'));
			domForm = h('form', { class: 'inline', 'data-k': 'domain-form' }, CG.field(t('un.dom.new'), dom), CG.actions(btn));
			domForm.addEventListener('submit', (ev) => {
				ev.preventDefault();
				CG.post(btn, '/units/' + enc + '/domains', { domain: dom.value.trim() }, (x) => t('un.dom.done', x.domain));
			});
		}
		let addForm = null;
		if (admin) {
			const addr = h('input', { name: 'addr', required: true, placeholder: '203.0.113.0/28', autocapitalize: 'off', class: 'mono' });
			const btn = h('button', { type: 'submit' }, t('un.addr.add'));
			addForm = h('form', { class: 'inline', 'data-k': 'addr-form' }, CG.field(t('un.addr.new'), addr, t('un.addr.hint')), CG.actions(btn));
			addForm.addEventListener('submit', (ev) => {
				ev.preventDefault();
				CG.post(btn, '/units/' + enc + '/addresses', { addr: addr.value.trim() }, (x) => t('un.addr.done', x.addr));
			});
		}
		return CG.page('unit', u.name,
			h('section', { class: 'card' }, CG.dl([
				[t('un.code'), CG.mono(u.code)],
				[t('un.parent'), u.parent ? h('a', { href: '#/units/' + encodeURIComponent(u.parent) }, u.parent) : '—'],
				[t('un.kind'), u.kind ? (CG.has('kind.' + u.kind) ? t('kind.' + u.kind) : u.kind) : ''],
				[t('un.email'), u.email || ''],
				[t('un.pcs'), u.pcs >= 0 ? CG.num(u.pcs) : ''],
				[t('un.mergedinto'), u.merged_into || ''],
			]), h('ul', { class: 'links' },
				h('li', null, h('a', { href: CG.link('/', { unit: u.code }) }, t('un.l.dash'))),
				h('li', null, h('a', { href: CG.link('/hosts', { unit: u.code }) }, t('un.l.hosts'))),
				h('li', null, h('a', { href: CG.link('/vulns', { unit: u.code, state: 'open' }) }, t('un.l.vulns'))),
				h('li', null, h('a', { href: CG.link('/triage', { unit: u.code }) }, t('un.l.triage'))))),
			CG.card(t('un.addrs'), addrs, addForm),
			CG.card(t('un.doms'), doms, domForm),
			admin ? CG.card(t('en.title'), CG.muted(t('en.text')), await CG.enrollForm(u.code), toks ? tokensTable(toks.tokens || []) : null) : null);
	});

	CG.dict({
		'tk.title': ['Mã đăng ký đã cấp', 'Enrolment tokens issued'],
		'tk.id': ['Số', 'No.'],
		'tk.created': ['Cấp lúc', 'Issued'],
		'tk.by': ['Người cấp', 'Issued by'],
		'tk.expires': ['Hết hạn', 'Expires'],
		'tk.uses': ['Đã dùng', 'Used'],
		'tk.state': ['Trạng thái', 'State'],
		'tk.do': ['Thao tác', 'Action'],
		'tk.s.active': ['Còn hiệu lực', 'Active'],
		'tk.s.expired': ['Hết hạn', 'Expired'],
		'tk.s.used_up': ['Đã dùng hết', 'Used up'],
		'tk.s.revoked': ['Đã thu hồi', 'Revoked'],
		'tk.revoke': ['Thu hồi', 'Revoke'],
		'tk.sure': ['Bấm lần nữa để thu hồi', 'Click again to revoke'],
		'tk.done': ['Đã thu hồi mã đăng ký; máy đã đăng ký vẫn hoạt động.', 'Token revoked; machines already enrolled keep working.'],
		'tk.none': ['Chưa cấp mã nào.', 'No tokens issued.'],
		'un.title': ['Đơn vị', 'Units'],
		'un.doms': ['Tên miền đã đăng ký', 'Registered domains'],
		'un.dom': ['Tên miền', 'Domain'],
		'un.doms.none': ['Chưa đăng ký tên miền nào.', 'No domains registered.'],
		'un.dom.new': ['Thêm tên miền', 'Add a domain'],
		'un.dom.add': ['Thêm', 'Add'],
		'un.dom.done': ['Đã thêm tên miền {0}.', 'Domain {0} added.'],
		'un.tree': ['Cây đơn vị', 'Unit tree'],
		'un.pcs.n': ['{0} máy', '{0} PCs'],
		'un.merged': ['đã sáp nhập vào {0}', 'merged into {0}'],
		'kind.so': ['Sở', 'Department'],
		'kind.phong': ['Phòng GD', 'District office'],
		'kind.truong': ['Trường', 'School'],
		'un.import': ['Nhập danh sách đơn vị', 'Import the units file'],
		'un.import.text': ['Tệp CSV hoặc XLSX theo mẫu của Sở (mã, tên, mã cấp trên, loại, e-mail, số máy, địa chỉ IP). Có lỗi thì không nhập gì.', 'A CSV or XLSX file in the Department\u2019s template (code, name, parent code, kind, e-mail, PCs, IP addresses). Nothing is imported when it has errors.'],
		'un.import.file': ['Tệp danh sách', 'The file'],
		'un.import.hint': ['CSV (UTF-8 hoặc Windows-1258) hoặc XLSX.', 'CSV (UTF-8 or Windows-1258) or XLSX.'],
		'un.import.go': ['Nhập', 'Import'],
		'un.import.done': ['Đã nhập {0} đơn vị và {1} địa chỉ.', 'Imported {0} units and {1} addresses.'],
		'diag.cap': ['Các lỗi trong tệp', 'Errors in the file'],
		'diag.source': ['Tệp', 'File'],
		'diag.line': ['Dòng', 'Line'],
		'diag.msg': ['Lỗi', 'Problem'],
		'un.code': ['Mã đơn vị', 'Code'],
		'un.parent': ['Đơn vị cấp trên', 'Parent unit'],
		'un.kind': ['Loại', 'Kind'],
		'un.email': ['E-mail', 'E-mail'],
		'un.pcs': ['Số máy tính', 'PCs'],
		'un.mergedinto': ['Đã sáp nhập vào', 'Merged into'],
		'un.l.dash': ['Bảng điều khiển của đơn vị', 'The unit\u2019s dashboard'],
		'un.l.hosts': ['Máy trạm của đơn vị', 'The unit\u2019s hosts'],
		'un.l.vulns': ['Lỗ hổng của đơn vị', 'The unit\u2019s vulnerabilities'],
		'un.l.triage': ['Botnet của đơn vị', 'The unit\u2019s botnet listings'],
		'un.addrs': ['Địa chỉ IP công cộng', 'Public IP addresses'],
		'un.addrs.none': ['Chưa có địa chỉ nào.', 'No addresses yet.'],
		'un.addr': ['Địa chỉ / dải', 'Address / prefix'],
		'un.src': ['Nguồn', 'Source'],
		'un.from': ['Từ', 'From'],
		'un.to': ['Đến', 'Until'],
		'un.open': ['nay', 'now'],
		'src.registered': ['Đăng ký', 'Registered'],
		'src.observed': ['Quan sát được', 'Observed'],
		'src.reported': ['Máy báo', 'Reported by the host'],
		'src.seen': ['Máy chủ thấy', 'Seen by the server'],
		'un.addr.new': ['Đăng ký địa chỉ IP công cộng', 'Register a public IP address'],
		'un.addr.hint': ['Một địa chỉ hoặc dải CIDR, ví dụ 203.0.113.0/28.', 'An address or a CIDR prefix, e.g. 203.0.113.0/28.'],
		'un.addr.add': ['Đăng ký', 'Register'],
		'un.addr.done': ['Đã đăng ký {0}.', '{0} registered.'],
		'en.title': ['Mã đăng ký máy', 'Enrolment tokens'],
		'en.text': ['Mã đăng ký dùng để cài tác tử lên các máy của đơn vị. Mã chỉ hiện một lần.', 'An enrolment token installs agents on the unit\u2019s computers. It is shown only once.'],
		'en.unit': ['Đơn vị', 'Unit'],
		'en.hours': ['Hiệu lực (giờ)', 'Valid for (hours)'],
		'en.uses': ['Số máy tối đa', 'Maximum number of hosts'],
		'en.go': ['Tạo mã đăng ký', 'Create a token'],
		'en.token': ['Mã đăng ký', 'Enrolment token'],
		'en.once': ['Mã hết hạn lúc {0}, dùng được cho {1} máy. Hãy sao chép ngay: mã không hiện lại.', 'The token expires at {0} and enrols up to {1} hosts. Copy it now: it is not shown again.'],
		'en.cmd': ['Trên mỗi máy, chạy:', 'On each computer, run:'],
		copy: ['Sao chép', 'Copy'],
		copied: ['Đã sao chép.', 'Copied.'],
	});
})();
