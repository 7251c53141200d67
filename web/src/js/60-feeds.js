/* 60-feeds.js - feeds (GET /feeds): import a botnet list, an IOC list or warnings from a file
 * or pasted text (POST /feeds?kind&name&columns), first previewed (preview=1: the format, the
 * column mapping guessed, the first entries, diagnostics) so that a wrong guess is fixed; and the botnet triage
 * (GET /botnet/triage, GET /botnet/matches, POST /botnet/matches/{id}). */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;
	const KINDS = ['botnet', 'ioc', 'advisory'];

	/* Sends a list (o.preview: parse only) and shows what the server made of it in out. */
	async function send(o, out, btn) {
		CG.clear(out);
		btn.disabled = true;
		try {
			const r = await CG.api('POST', '/feeds', { query: { kind: o.kind, name: o.name, columns: o.columns || null, preview: o.preview ? 1 : null }, body: o.body, ctype: o.ctype });
			const head = o.preview ? t('fe.pv.done', CG.num(r.entries), CG.num(r.rows_bad || 0)) : t('fe.done', CG.num(r.entries), CG.num(r.matched));
			if (!o.preview) CG.say(head);
			if (o.preview && r.columns && o.cols && !o.cols.value) o.cols.value = r.columns;
			CG.add(out, h('div', { class: 'note ' + (o.preview ? 'info' : 'ok'), 'data-k': o.preview ? 'feed-preview' : 'feed-result' },
				h('p', null, head),
				CG.dl([[t('fe.format'), fmtText(r.format)], [t('fe.columns'), r.columns ? [CG.mono(r.columns), r.columns_guessed ? ' ' + t('fe.guessed') : ''] : ''],
					[t('fe.header'), r.header || ''], [t('fe.bad'), CG.num(r.rows_bad || 0)]]),
				o.preview && r.columns ? h('p', null, t('fe.fixcols')) : null,
				!o.preview && o.kind === 'botnet' ? h('p', null, h('a', { href: CG.link('/triage', { feed: r.id }) }, t('fe.seematches'))) : null),
			o.preview && (r.sample || []).length ? CG.table({
				caption: t('fe.sample'), capVisible: true, rows: r.sample, cols: [{ k: 'diag.line', num: true }, 'fe.value', 'fe.time', 'fe.family'],
				row: (e) => [CG.num(e.line), CG.mono(e.value), e.time_ms ? CG.time(e.time_ms) : '—', h('span', { class: 'family' }, e.family || '—')], cls: 'grid small',
			}) : null,
			(r.diagnostics || []).length ? CG.diagTable(r.diagnostics) : null);
			if (!o.preview) refreshList();
			return r;
		} catch (e) {
			CG.say(CG.errText(e), 'err');
			CG.add(out, h('div', { class: 'note err' }, h('p', null, CG.errText(e)),
				e.code === 'duplicate' ? h('p', null, t('fe.dup'), ' ', h('a', { href: CG.link('/triage', { feed: e.data.id }) }, t('fe.seematches'))) : null,
				e.code === 'bad_feed' ? h('p', null, t('fe.fixcols')) : null),
			e.data && e.data.diagnostics ? CG.diagTable(e.data.diagnostics) : null);
			return null;
		} finally {
			btn.disabled = false;
		}
	}
	/* Preview and import buttons for a form; get() gives the list to send. */
	function buttons(form, out, get) {
		const pv = h('button', { type: 'button', class: 'secondary', 'data-k': 'preview' }, t('fe.preview'));
		const go = h('button', { type: 'submit', 'data-k': 'import' }, t('fe.upload'));
		pv.addEventListener('click', () => { if (form.reportValidity()) send(Object.assign(get(), { preview: true }), out, pv); });
		form.addEventListener('submit', (ev) => { ev.preventDefault(); send(get(), out, go); });
		return CG.actions(pv, go);
	}
	let listBox = null;
	async function refreshList() {
		if (!listBox || !listBox.isConnected) return;
		try { const r = await CG.api('GET', '/feeds'); CG.clear(listBox).appendChild(feedTable(r.feeds || [])); } catch (e) { /* the page shows the old list */ }
	}

	/* The engine names formats in English: the few words that are not proper names, in the
	 * console's language ("pasted text", "XLSX sheet 'DS IP'", "MISP event"). */
	function fmtText(f) {
		if (!f) return '—';
		if (f === 'pasted text') return t('fe.f.paste');
		if (f === 'MISP event') return t('fe.f.misp');
		const m = /^XLSX sheet '(.*)'$/.exec(f);
		return m ? t('fe.f.sheet', m[1]) : f;
	}

	function feedTable(feeds) {
		return CG.table({
			caption: t('fe.list'), rows: feeds, rowHead: 2,
			cols: [{ k: 'fe.id', num: true }, 'fe.kind', 'fe.name', { k: 'fe.entries', num: true }, 'fe.when', 'fe.matches'],
			row: (f) => [CG.num(f.id), CG.badge('fe.k.' + f.kind, 'k-' + f.kind), h('span', { class: 'fname' }, f.name), CG.num(f.entries), CG.when(f.imported_ms),
				f.kind === 'botnet' ? h('a', { href: CG.link('/triage', { feed: f.id }), 'data-k': 'feed-matched' }, t('fe.nmatched', CG.num(f.matched || 0)))
					: f.kind === 'advisory' ? h('a', { href: CG.link('/vulns', { state: 'open' }), 'data-k': 'feed-matched' }, t('fe.nhosts', CG.num(f.matched || 0))) : '—'],
			empty: t('fe.none'),
		});
	}

	function fileForm() {
		const kind = CG.select(KINDS.map((k) => [k, t('fe.k.' + k)]), 'botnet', { name: 'kind' });
		const file = h('input', { type: 'file', required: true, accept: '.csv,.xlsx,.txt,.json,.xml,text/csv,text/plain,application/json' });
		const cols = h('input', { name: 'columns', placeholder: 'ip=2,time=3', autocapitalize: 'off', class: 'mono' });
		const out = h('div', { class: 'result', 'aria-live': 'polite' });
		const form = h('form', { class: 'stack', 'data-k': 'feed-upload' }, h('div', { class: 'grid-form' }, CG.field(t('fe.kind'), kind), CG.field(t('fe.file'), file, t('fe.file.hint')),
			CG.field(t('fe.columns.set'), cols, t('fe.columns.hint'))));
		file.addEventListener('change', () => { cols.value = ''; CG.clear(out); });
		form.append(buttons(form, out, () => { const f = file.files[0]; return { kind: kind.value, name: f.name, columns: cols.value.trim(), cols, body: f, ctype: f.type || 'application/octet-stream' }; }), out);
		return form;
	}

	function pasteForm() {
		const ta = h('textarea', { rows: '8', required: true, class: 'mono', 'data-k': 'paste', spellcheck: 'false' });
		const name = h('input', { name: 'name', value: 'dan-' + CG.date(Date.now()).split('/').reverse().join('-') + '.txt', maxlength: '200' });
		const cols = h('input', { name: 'columns', placeholder: 'ip=1,time=2', autocapitalize: 'off', class: 'mono' });
		const out = h('div', { class: 'result', 'aria-live': 'polite' });
		const form = h('form', { class: 'stack', 'data-k': 'feed-paste' }, CG.field(t('fe.paste.text'), ta, t('fe.paste.hint')),
			h('div', { class: 'grid-form' }, CG.field(t('fe.name'), name), CG.field(t('fe.columns.set'), cols, t('fe.columns.hint'))));
		form.append(buttons(form, out, () => ({ kind: 'botnet', name: name.value.trim() || 'pasted.txt', columns: cols.value.trim(), cols, body: ta.value, ctype: 'text/plain; charset=utf-8' })), out);
		return form;
	}

	CG.route('/feeds', async () => {
		const r = await CG.api('GET', '/feeds');
		listBox = h('div', { 'data-k': 'feeds' }, feedTable(r.feeds || []));
		const admin = CG.can('dept_admin');
		return CG.page('feeds', t('fe.title'),
			CG.card(t('fe.list'), listBox),
			admin ? CG.card(t('fe.paste'), CG.muted(t('fe.paste.text2')), pasteForm()) : null,
			admin ? CG.card(t('fe.import'), CG.muted(t('fe.import.text')), fileForm()) : CG.muted(t('fe.onlydept')));
	});

	/* ---- botnet triage ---- */
	function bar(done, total) {
		const pct = total ? Math.round((100 * done) / total) : 100;
		const fill = h('span', { class: 'fill' });
		fill.style.width = pct + '%';
		return h('span', { class: 'prog' + (pct === 100 ? ' full' : ''), role: 'img', 'aria-label': t('tr.pct', pct) }, fill);
	}
	function handleForm(m) {
		const act = h('input', { required: true, maxlength: '2000', value: m.action || '', placeholder: t('tr.action.ph') });
		const done = h('input', { type: 'checkbox', checked: true });
		const btn = h('button', { type: 'submit' }, t('save'));
		const f = h('form', { class: 'stack' }, CG.field(t('tr.action'), act), h('div', { class: 'check' }, done, h('label', { for: done.id = CG.uid('hd') }, t('tr.handled'))), CG.actions(btn));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const r = await CG.act(btn, () => CG.api('POST', '/botnet/matches/' + m.id, { body: { action: act.value.trim(), handled: done.checked } }));
			if (!r) return;
			CG.refresh().then(() => CG.say(CG.msg(r) || t('tr.saved', t('tr.s.' + r.state)), r.state === 'pending_scan' ? 'info' : 'ok'));
		});
		return h('details', { class: 'handle' }, h('summary', null, m.action ? t('tr.change') : t('tr.record')), f);
	}
	function matchRow(m, admin) {
		const cells = [CG.mono(m.addr), m.listed_ms ? CG.when(m.listed_ms) : '—', h('span', { class: 'family' }, m.family || '—'), m.unit,
			m.host ? [CG.hostLink(m.host, m.hostname), m.host_first_ms ? h('small', { class: 'muted block' }, t('tr.held', CG.date(m.host_first_ms), CG.date(m.host_last_ms))) : null] : h('span', { class: 'muted' }, t('tr.nohost')),
			CG.badge('tr.s.' + m.state, 'st-' + m.state), [m.action || '—', m.handled_by ? h('small', { class: 'muted block' }, m.handled_by + (m.handled_ms ? ' · ' + CG.time(m.handled_ms) : '')) : null]];
		if (admin) cells.push(handleForm(m));
		return cells;
	}

	CG.route('/triage', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 50);
		const unit = q.get('unit') || '', state = q.get('state') || '', feed = q.get('feed') || '';
		const [tri, r, sel, feeds] = await Promise.all([
			CG.api('GET', '/botnet/triage', { query: { feed } }),
			CG.api('GET', '/botnet/matches', { query: { unit, state, feed, limit: limit + 1, offset } }),
			CG.unitSelect('unit', unit), CG.api('GET', '/feeds')]);
		const admin = CG.can('unit_admin');
		const fsel = CG.select([['', t('all')]].concat((feeds.feeds || []).filter((f) => f.kind === 'botnet').map((f) => [String(f.id), '#' + f.id + ' ' + CG.short(f.name, 50)])), feed, { name: 'feed' });
		const filters = CG.filterForm(path, [CG.field(t('tr.feed'), fsel), CG.field(t('tr.unit'), sel),
			CG.field(t('tr.state'), CG.select([['', t('all')], ['open', t('tr.s.open')], ['pending_scan', t('tr.s.pending_scan')], ['handled', t('tr.s.handled')]], state, { name: 'state' }))]);
		const summary = CG.table({
			caption: t('tr.perunit'), rows: tri.units || [], rowHead: 0,
			cols: ['tr.unit', { k: 'tr.handledn', num: true }, { k: 'tr.total', num: true }, 'tr.progress'],
			row: (u) => [h('a', { href: CG.link('/triage', { unit: u.unit, feed: feed || null }) }, u.name), CG.num(u.handled), CG.num(u.total), bar(u.handled, u.total)],
			empty: t('tr.nounits'),
		});
		const matches = (r.matches || []).slice(0, limit);
		const cols = ['tr.addr', 'tr.listed', 'tr.family', 'tr.unit', 'tr.host', 'tr.state', 'tr.action'];
		if (admin) cols.push('tr.do');
		const mt = CG.table({ caption: t('tr.matches'), rows: matches, cols, row: (m) => matchRow(m, admin), rowAttrs: (m) => ({ 'data-match': m.id }), empty: t('tr.nomatches') });
		const exp = h('button', { type: 'button', class: 'secondary' }, t('tr.export'));
		exp.addEventListener('click', async () => {
			const all = await CG.act(exp, () => CG.api('GET', '/botnet/matches', { query: { unit, state, feed, limit: 5000 } }));
			if (!all) return;
			const head = ['addr', 'listed', 'family', 'unit', 'host', 'hostname', 'state', 'action', 'handled_by', 'handled'];
			const lines = [head.join(',')].concat((all.matches || []).map((m) => [m.addr, m.listed_ms ? CG.time(m.listed_ms) : '', m.family, m.unit, m.host, m.hostname, m.state, m.action, m.handled_by, m.handled_ms ? CG.time(m.handled_ms) : ''].map(CG.csvCell).join(',')));
			CG.download('botnet-' + (unit || 'all') + (feed ? '-feed' + feed : '') + '.csv', '\ufeff' + lines.join('\r\n') + '\r\n');
		});
		/* the spreadsheet of the server (totals per unit and every address with its action) */
		const xq = new URLSearchParams();
		if (feed) xq.set('feed', feed);
		if (unit) xq.set('unit', unit);
		const xlsx = h('a', { href: '/api/v1/botnet/export.xlsx' + (xq.toString() ? '?' + xq : ''), class: 'btnlink', download: '', 'data-k': 'triage-xlsx' }, t('tr.xlsx'));
		return CG.page('triage', t('tr.title'), filters,
			CG.card(t('tr.summary'),
				h('p', { class: 'big', 'data-k': 'triage-total' }, t('tr.sum', CG.num(tri.handled), CG.num(tri.total)), ' ', bar(tri.handled || 0, tri.total || 0)), summary),
			h('section', { class: 'card' }, h('div', { class: 'ph' }, h('h2', null, t('tr.matches')), h('span', { class: 'actions' }, xlsx, ' ', exp)), CG.muted(t('tr.rule')), mt,
				CG.pager({ path, q, offset, limit, shown: matches.length, more: (r.matches || []).length > limit })));
	});

	CG.dict({
		'fe.title': ['Nguồn cấp', 'Feeds'],
		'fe.list': ['Các danh sách đã nhập', 'Imported lists'],
		'fe.none': ['Chưa nhập danh sách nào.', 'No lists imported yet.'],
		'fe.id': ['Số', 'No.'],
		'fe.kind': ['Loại danh sách', 'Kind of list'],
		'fe.name': ['Tên', 'Name'],
		'fe.entries': ['Số mục', 'Entries'],
		'fe.when': ['Nhập lúc', 'Imported'],
		'fe.matches': ['Kết quả khớp', 'Matches'],
		'fe.nmatched': ['{0} địa chỉ khớp', '{0} addresses matched'],
		'fe.nhosts': ['{0} máy bị ảnh hưởng', '{0} hosts affected'],
		'fe.seematches': ['Xem các địa chỉ khớp', 'See the matches'],
		'fe.k.botnet': ['Danh sách botnet', 'Botnet list'],
		'fe.k.ioc': ['Danh sách IOC', 'IOC list'],
		'fe.k.advisory': ['Cảnh báo lỗ hổng', 'Vulnerability warnings'],
		'fe.onlydept': ['Chỉ quản trị Sở nhập được danh sách mới.', 'Only department admins import new lists.'],
		'fe.paste': ['Dán danh sách botnet', 'Paste a botnet list'],
		'fe.paste.text2': ['Dán nguyên văn danh sách nhận qua e-mail hoặc tin nhắn; máy chủ tự tìm địa chỉ IP và thời gian.', 'Paste the list as received by e-mail or chat; the server finds the addresses and times.'],
		'fe.paste.text': ['Nội dung danh sách', 'The list'],
		'fe.paste.hint': ['Mỗi dòng một địa chỉ, có thể kèm thời gian và tên botnet.', 'One address per line, optionally with a time and the botnet\u2019s name.'],
		'fe.import': ['Nhập từ tệp', 'Import a file'],
		'fe.import.text': ['Danh sách botnet, IOC hoặc cảnh báo lỗ hổng: CSV, XLSX, JSON (OSV, STIX, MISP, CSAF, KEV). Danh sách botnet được đối chiếu ngay với lịch sử địa chỉ của mọi máy.', 'A botnet list, IOC list or vulnerability warnings: CSV, XLSX, JSON (OSV, STIX, MISP, CSAF, KEV). Botnet lists are matched at once against every host\u2019s address history.'],
		'fe.file': ['Tệp', 'File'],
		'fe.file.hint': ['Tối đa 4 MiB.', '4 MiB at most.'],
		'fe.upload': ['Nhập', 'Import'],
		'fe.columns.set': ['Chỉ định cột (không bắt buộc)', 'Column mapping (optional)'],
		'fe.columns.hint': ['Khi máy chủ đoán sai: ví dụ ip=2,time=3,family=4 (số thứ tự hoặc chữ cái của cột).', 'When the server guesses wrong: e.g. ip=2,time=3,family=4 (column numbers or letters).'],
		'fe.preview': ['Xem trước', 'Preview'],
		'fe.pv.done': ['Xem trước: đọc được {0} mục, loại {1} dòng. Chưa nhập gì.', 'Preview: {0} entries read, {1} rows rejected. Nothing imported yet.'],
		'fe.guessed': ['(máy chủ tự đoán)', '(guessed by the server)'],
		'fe.sample': ['Các mục đầu tiên như máy chủ đọc', 'The first entries as the server read them'],
		'fe.value': ['Giá trị', 'Value'],
		'fe.time': ['Thời gian', 'Time'],
		'fe.family': ['Họ mã độc / nhãn', 'Family / tag'],
		'fe.done': ['Đã nhập {0} mục; {1} địa chỉ khớp với máy hoặc đơn vị.', 'Imported {0} entries; {1} matched hosts or units.'],
		'fe.format': ['Định dạng nhận ra', 'Format found'],
		'fe.f.paste': ['văn bản dán', 'pasted text'],
		'fe.f.misp': ['sự kiện MISP', 'MISP event'],
		'fe.f.sheet': ['XLSX, trang tính \u2018{0}\u2019', 'XLSX, sheet \u2018{0}\u2019'],
		'fe.columns': ['Cột đã dùng', 'Columns used'],
		'fe.header': ['Dòng tiêu đề', 'Header row'],
		'fe.bad': ['Dòng bị loại', 'Rows rejected'],
		'fe.dup': ['Danh sách giống hệt đã được nhập trước đó.', 'The very same list was imported before.'],
		'fe.fixcols': ['Nếu cột bị đoán sai, sửa ô "Chỉ định cột" rồi xem trước lại hoặc nhập.', 'If a column is guessed wrong, fix "Column mapping" and preview again or import.'],
		'tr.title': ['Danh sách botnet', 'Botnet triage'],
		'tr.feed': ['Danh sách', 'List'],
		'tr.unit': ['Đơn vị', 'Unit'],
		'tr.state': ['Trạng thái', 'State'],
		'tr.summary': ['Tình hình xử lý', 'Progress'],
		'tr.sum': ['Đã xử lý {0} / {1} địa chỉ', 'Handled {0} / {1} addresses'],
		'tr.pct': ['{0}% đã xử lý', '{0}% handled'],
		'tr.perunit': ['Theo đơn vị', 'Per unit'],
		'tr.nounits': ['Không có đơn vị nào bị liệt kê.', 'No unit is listed.'],
		'tr.handledn': ['Đã xử lý', 'Handled'],
		'tr.total': ['Tổng', 'Total'],
		'tr.progress': ['Tiến độ', 'Progress'],
		'tr.matches': ['Địa chỉ bị liệt kê', 'Listed addresses'],
		'tr.nomatches': ['Không có địa chỉ nào.', 'No addresses.'],
		'tr.rule': ['Máy đã xác định: chỉ tính là đã xử lý sau một lần quét toàn bộ sạch bằng bộ mẫu của Sở. Địa chỉ chung (NAT): tính ngay khi ghi biện pháp.', 'Known hosts count as handled only after a clean full scan with the Department\u2019s bundle. Shared (NAT) addresses count once the action is recorded.'],
		'tr.addr': ['Địa chỉ', 'Address'],
		'tr.listed': ['Thời điểm bị liệt kê', 'Listed at'],
		'tr.family': ['Họ mã độc', 'Family'],
		'tr.host': ['Máy', 'Host'],
		'tr.held': ['giữ địa chỉ {0}–{1}', 'held it {0}–{1}'],
		'tr.nohost': ['(địa chỉ của đơn vị)', '(the unit\u2019s address)'],
		'tr.action': ['Biện pháp đã làm', 'Action taken'],
		'tr.action.ph': ['Quét sạch, đổi mật khẩu', 'Cleaned, passwords changed'],
		'tr.handled': ['Đã xử lý xong', 'Handled'],
		'tr.do': ['Ghi nhận', 'Record'],
		'tr.record': ['Ghi biện pháp', 'Record the action'],
		'tr.change': ['Sửa biện pháp', 'Change the action'],
		'tr.saved': ['Đã ghi. Trạng thái: {0}.', 'Recorded. State: {0}.'],
		'tr.s.open': ['Chưa xử lý', 'Open'],
		'tr.s.pending_scan': ['Chờ quét sạch', 'Waiting for a clean scan'],
		'tr.s.handled': ['Đã xử lý', 'Handled'],
		'tr.export': ['Xuất CSV', 'Export CSV'],
		'tr.xlsx': ['Tải báo cáo XLSX', 'Download the XLSX report'],
	});
})();
