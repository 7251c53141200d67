/* 40-hosts.js - hosts: the list (GET /hosts, filters: unit with its subtree, name or address), a host's page (GET /hosts/{id}:
 * facts, addresses, findings, tasks; GET /events?host=ID), tasks pushed from the page (scan,
 * inventory, bundle update, quarantine and restore of a reported finding), revoke. */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;

	/* A button that asks again before acting (no window.confirm). */
	CG.confirmBtn = function confirmBtn(label, sure, fn, cls) {
		const b = h('button', { type: 'button', class: cls || 'danger' }, label);
		let armed = false, timer = 0;
		b.addEventListener('click', async () => {
			if (!armed) {
				armed = true;
				b.textContent = sure;
				b.classList.add('armed');
				timer = setTimeout(() => { armed = false; b.textContent = label; b.classList.remove('armed'); }, 6000);
				return;
			}
			clearTimeout(timer);
			armed = false;
			b.textContent = label;
			b.classList.remove('armed');
			await fn(b);
		});
		return b;
	};

	CG.hostLink = (id, name) => (id ? h('a', { href: '#/hosts/' + encodeURIComponent(id) }, name || id) : name || '—');

	CG.route('/hosts', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 50);
		const unit = q.get('unit') || '', find = q.get('q') || '';
		const [r, sel] = await Promise.all([CG.api('GET', '/hosts', { query: { unit, q: find || null, limit: limit + 1, offset } }), CG.unitSelect('unit', unit)]);
		const search = h('input', { type: 'search', name: 'q', value: find, maxlength: 100, autocomplete: 'off' });
		const hosts = (r.hosts || []).slice(0, limit);
		const tbl = CG.table({
			caption: t('ho.title'), rows: hosts, rowHead: 0,
			cols: ['ho.name', 'ho.unit', 'ho.os', 'ho.ip', 'ho.seen', 'ho.state', 'ho.agent', 'ho.bundle'],
			row: (x) => [CG.hostLink(x.id, x.hostname), x.unit, x.os || '—', CG.mono(x.last_ip || '—'),
				h('span', { title: CG.time(x.last_seen_ms) }, CG.ago(x.last_seen_ms)),
				x.revoked ? CG.badge('ho.revoked', 'off') : CG.online(x.online),
				x.agent_version || '—', [x.bundle_version || '—', x.canary ? CG.badge('ho.canary', 'info') : null]],
			empty: t('ho.none'),
		});
		return CG.page('hosts', t('ho.title'), CG.filterForm(path, [CG.field(t('ho.unit'), sel), CG.field(t('ho.find'), search)]),
			h('section', { class: 'card' }, tbl, CG.pager({ path, q, offset, limit, shown: hosts.length, more: (r.hosts || []).length > limit, total: r.total })));
	});

	CG.evSummary = (e) => {
		const b = e.event || e || {};
		const bits = [];
		if (b.signature && b.signature.name) bits.push(b.signature.name);
		if (b.rule) bits.push(typeof b.rule === 'string' ? b.rule : b.rule.id || JSON.stringify(b.rule));
		if (b.path) bits.push(b.path + (b.member ? '!' + b.member : ''));
		else if (b.path_b64) bits.push('[' + t('ev.binpath') + ']');
		if (b.text) bits.push(b.text);
		if (b.ip) bits.push(b.ip);
		if (b.detail && typeof b.detail === 'string') bits.push(b.detail);
		if (b.message) bits.push(String(b.message));
		if (b.bundle && b.bundle.version && !bits.length) bits.push(b.bundle.version);
		return CG.short(bits.join(' · '), 300);
	};

	function eventsTable(events) {
		return CG.table({
			caption: t('ev.title'), rows: events, cols: ['ev.time', 'ev.kind', 'ev.sev', 'ev.what'],
			row: (e) => [CG.when(e.received_ms), CG.mono(e.kind), CG.sev(e.severity_level),
				h('details', null, h('summary', null, CG.evSummary(e) || t('ev.more')), CG.pre(e.event))],
			empty: t('ev.none'), cls: 'grid events',
		});
	}
	CG.eventsTable = eventsTable;

	const task = (id, kind, args, btn) => CG.post(btn, '/hosts/' + encodeURIComponent(id) + '/tasks', { kind, args: args || {} }, (r) => t('ta.queued', CG.tv('ta.k.', kind), r.id));

	function factsPairs(x) {
		const f = x.facts || {}, s = x.self || {};
		const known = ['hostname', 'os', 'os_version', 'machine_id', 'ips', 'macs', 'uptime_s'];
		const pairs = [
			[t('ho.unit'), h('a', { href: '#/units/' + encodeURIComponent(x.unit) }, x.unit)],
			[t('ho.os'), [x.os, f.os_version].filter(Boolean).join(' ')],
			[t('ho.ip'), CG.mono(x.last_ip || '—')],
			[t('ho.seen'), [CG.when(x.last_seen_ms), ' (', CG.ago(x.last_seen_ms), ')']],
			[t('ho.enrolled'), CG.when(x.enrolled_ms)],
			[t('ho.agent'), x.agent_version || '—'],
			[t('ho.bundle'), x.bundle_version || '—'],
			[t('ho.cleanscan'), x.clean_scan_ms ? [CG.when(x.clean_scan_ms), ' · ', x.clean_scan_bundle || ''] : t('ho.noclean')],
			[t('ho.canary'), x.canary ? t('yes') : t('no')],
			[t('ho.machine'), f.machine_id ? CG.mono(f.machine_id) : ''],
			[t('ho.ips'), Array.isArray(f.ips) ? f.ips.join(', ') : ''],
			[t('ho.macs'), Array.isArray(f.macs) ? f.macs.join(', ') : ''],
			[t('ho.uptime'), f.uptime_s ? t('ho.uptime.v', CG.num(Math.round(f.uptime_s / 3600))) : ''],
			[t('ho.cpu'), s.cpu_pct != null ? CG.num(s.cpu_pct) + ' %' : ''],
			[t('ho.rss'), s.rss_kb != null ? CG.num(Math.round(s.rss_kb / 1024)) + ' MiB' : ''],
		];
		for (const [k, v] of Object.entries(f)) if (!known.includes(k) && v != null && typeof v !== 'object') pairs.push([k, String(v)]);
		return pairs;
	}

	/* The host's last inventory, loaded when opened: packages (Linux) or programs, OS build and
	 * updates (Windows); searched by name on the server, 100 at a time. */
	function inventoryCard(enc) {
		const box = h('div', { 'data-k': 'inventory' });
		const find = h('input', { type: 'search', name: 'inv-q', maxlength: 100, autocomplete: 'off' });
		const btn = h('button', { type: 'submit', class: 'secondary' }, t('iv.find'));
		const form = h('form', { class: 'inline', role: 'search' }, CG.field(t('iv.q'), find), CG.actions(btn));
		let offset = 0;
		async function show() {
			const r = await CG.act(btn, () => CG.api('GET', '/hosts/' + enc + '/inventory', { query: { q: find.value.trim() || null, limit: 100, offset } }));
			if (!r) return;
			const win = r.ecosystem === 'windows';
			const head = r.ecosystem == null ? CG.muted(t('iv.none')) : h('p', null, t('iv.when', CG.time(r.received_ms), r.ecosystem),
				win && r.os ? h('span', { class: 'block' }, [r.os.product_name, r.os.display_version, 'build ' + r.os.build + (r.os.ubr ? '.' + r.os.ubr : '')].filter(Boolean).join(' · ')) : null,
				win ? h('span', { class: 'block' }, t('iv.kbs', CG.num((r.hotfixes || []).length)), ' ', CG.mono((r.hotfixes || []).slice(0, 30).join(', '))) : null);
			const tbl = CG.table({
				caption: t(win ? 'iv.programs' : 'iv.packages'), rows: r.packages || [], rowHead: 0,
				cols: win ? ['iv.name', 'iv.version', 'iv.publisher'] : ['iv.name', 'iv.version', 'iv.arch', 'iv.source'],
				row: (p) => win ? [p.name, CG.mono(p.version || ''), p.publisher || ''] : [CG.mono(p.name), CG.mono(p.version || ''), p.arch || '', p.source || ''],
				empty: t('iv.empty'),
			});
			const nav = h('p', { class: 'pager' }, h('span', { 'data-k': 'inv-total' }, t('pg.of', CG.num(r.total ? offset + 1 : 0), CG.num(offset + (r.packages || []).length), CG.num(r.total))),
				offset > 0 ? h('button', { type: 'button', class: 'link', onclick: () => { offset = Math.max(0, offset - 100); show(); } }, '‹') : null,
				offset + 100 < r.total ? h('button', { type: 'button', class: 'link', onclick: () => { offset += 100; show(); } }, '›') : null);
			CG.clear(box).append(head, tbl, nav);
		}
		form.addEventListener('submit', (ev) => { ev.preventDefault(); offset = 0; show(); });
		const det = h('details', { class: 'card', 'data-k': 'inventory-card' }, h('summary', null, h('h2', null, t('iv.title'))), form, box);
		det.addEventListener('toggle', () => { if (det.open && !box.firstChild) show(); });
		return det;
	}

	CG.route('/hosts/:id', async ({ params }) => {
		const id = params.id, enc = encodeURIComponent(id);
		const [x, ev] = await Promise.all([CG.api('GET', '/hosts/' + enc), CG.api('GET', '/events', { query: { host: id, limit: 50 } }).catch(() => ({ events: [] }))]);
		const admin = CG.can('unit_admin');
		/* quarantine ids come from the host's quarantine.added events (the id is their detail) */
		const qid = {};
		if ((x.findings || []).some((f) => f.quarantined)) {
			const qe = await CG.api('GET', '/events', { query: { host: id, kind: 'quarantine.added', limit: 200 } }).catch(() => ({ events: [] }));
			for (const e of (qe.events || []).reverse()) {
				const b = e.event || {};
				if (b.path && b.digests && b.detail) qid[b.path + '\n' + b.digests.sha256] = b.detail;
			}
		}
		const findings = CG.table({
			caption: t('fi.title'), rows: x.findings || [],
			cols: ['fi.path', 'fi.sig', 'fi.sha', 'fi.first', 'fi.last', 'fi.state'].concat(admin ? ['fi.act'] : []),
			row: (f) => {
				const cells = [h('span', { class: 'mono path' }, f.path), f.signature || '—', h('span', { class: 'mono', title: f.sha256 }, CG.short(f.sha256, 16)),
					CG.when(f.first_ms), CG.when(f.last_ms), f.quarantined ? CG.badge('fi.quarantined', 'ok') : CG.badge('fi.present', 'bad')];
				if (admin) {
					const k = qid[f.path + '\n' + f.sha256];
					cells.push(f.quarantined
						? (k ? CG.confirmBtn(t('fi.restore'), t('fi.restore.sure'), (b) => task(id, 'restore', { id: k }, b), 'secondary') : h('span', { class: 'muted' }, '—'))
						: CG.confirmBtn(t('fi.quarantine'), t('fi.quarantine.sure'), (b) => task(id, 'quarantine', { path: f.path, sha256: f.sha256 }, b)));
				}
				return cells;
			},
			empty: t('fi.none'),
		});
		const tasks = CG.table({
			caption: t('ta.title'), rows: x.tasks || [], cols: [{ k: 'ta.id', num: true }, 'ta.kind', 'ta.state', 'ta.created', 'ta.updated', 'ta.result'],
			row: (k) => {
				const more = h('details', null, h('summary', null, t('ta.show')));
				more.addEventListener('toggle', async () => {
					if (!more.open || more.dataset.loaded) return;
					more.dataset.loaded = '1';
					try { more.appendChild(CG.pre(await CG.api('GET', '/tasks/' + k.id))); } catch (e) { more.appendChild(h('p', null, CG.errText(e))); }
				}, { once: false });
				return [CG.num(k.id), CG.tv('ta.k.', k.kind), CG.badge('ta.s.' + k.state, 'st-' + k.state), CG.when(k.created_ms), CG.when(k.updated_ms), more];
			},
			empty: t('ta.none'),
		});
		const addrs = CG.table({
			caption: t('ho.addrs'), rows: x.addresses || [], cols: ['un.addr', 'un.src', 'un.from', 'un.to'],
			row: (a) => [CG.mono(a.addr), CG.tv('src.', a.source), CG.when(a.first_ms), CG.when(a.last_ms)],
		});
		let actions = null;
		if (admin && !x.revoked) {
			const mk = (label, kind, args) => { const b = h('button', { type: 'button', 'data-task': kind + (args && args.mode ? '-' + args.mode : '') }, label); b.addEventListener('click', () => task(id, kind, args, b)); return b; };
			actions = CG.card(t('ta.new'), h('div', { class: 'actions wrap' },
				mk(t('ta.quick'), 'scan', { mode: 'quick' }), mk(t('ta.full'), 'scan', { mode: 'full' }), mk(t('ta.inventory'), 'inventory'),
				mk(t('ta.bundle'), 'bundle_update'),
				CG.confirmBtn(t('ho.revoke'), t('ho.revoke.sure'), (b) => CG.post(b, '/hosts/' + enc + '/revoke', {}, t('ho.revoked.done')))),
				CG.muted(t('ta.note')));
		}
		let events = ev.events || [];
		const evBox = h('div', null, eventsTable(events));
		const older = h('button', { type: 'button', class: 'secondary', hidden: events.length < 50 }, t('ev.older'));
		older.addEventListener('click', async () => {
			const r = await CG.act(older, () => CG.api('GET', '/events', { query: { host: id, limit: 50, before_id: events[events.length - 1].id } }));
			if (!r) return;
			events = events.concat(r.events || []);
			CG.clear(evBox).appendChild(eventsTable(events));
			older.hidden = (r.events || []).length < 50;
		});
		return CG.page('host', x.hostname || id,
			h('p', { class: 'sub' }, x.revoked ? CG.badge('ho.revoked', 'off') : CG.online(x.online), ' ', h('span', { class: 'mono muted' }, id),
				' · ', h('a', { href: CG.link('/vulns', { host: id }) }, t('ho.vulns'))),
			CG.card(t('ho.facts'), CG.dl(factsPairs(x))),
			actions,
			CG.card(t('fi.title'), findings),
			inventoryCard(enc),
			CG.card(t('ta.title'), tasks),
			CG.card(t('ho.addrs'), addrs),
			CG.card(t('ev.title'), evBox, older));
	});

	CG.dict({
		'iv.title': ['Phần mềm đã cài (kiểm kê)', 'Installed software (inventory)'],
		'iv.q': ['Tên gói hoặc chương trình', 'Package or program name'],
		'iv.find': ['Tìm', 'Search'],
		'iv.none': ['Máy chưa gửi kiểm kê; hãy giao tác vụ "Kiểm kê phần mềm".', 'No inventory yet; push an "Inventory" task.'],
		'iv.when': ['Kiểm kê lúc {0} ({1}).', 'Inventory of {0} ({1}).'],
		'iv.kbs': ['{0} bản cập nhật:', '{0} updates:'],
		'iv.programs': ['Chương trình', 'Programs'],
		'iv.packages': ['Gói phần mềm', 'Packages'],
		'iv.name': ['Tên', 'Name'],
		'iv.version': ['Phiên bản', 'Version'],
		'iv.publisher': ['Nhà phát hành', 'Publisher'],
		'iv.arch': ['Kiến trúc', 'Architecture'],
		'iv.source': ['Gói nguồn', 'Source package'],
		'iv.empty': ['Không có mục nào khớp.', 'Nothing matches.'],
		'ho.title': ['Máy trạm', 'Hosts'],
		'ho.none': ['Chưa có máy nào.', 'No hosts.'],
		'ho.name': ['Tên máy', 'Host name'],
		'ho.unit': ['Đơn vị', 'Unit'],
		'ho.find': ['Tên máy hoặc địa chỉ IP', 'Host name or IP address'],
		'ho.os': ['Hệ điều hành', 'Operating system'],
		'ho.ip': ['IP gần nhất', 'Last IP'],
		'ho.seen': ['Liên lạc gần nhất', 'Last seen'],
		'ho.state': ['Trạng thái', 'State'],
		'ho.agent': ['Phiên bản tác tử', 'Agent version'],
		'ho.bundle': ['Bộ mẫu', 'Bundle'],
		'ho.canary': ['Nhóm thử nghiệm', 'Canary'],
		'ho.revoked': ['Đã thu hồi', 'Revoked'],
		'ho.revoke': ['Thu hồi tác tử', 'Revoke the agent'],
		'ho.revoke.sure': ['Bấm lần nữa để thu hồi', 'Click again to revoke'],
		'ho.revoked.done': ['Đã thu hồi khóa của tác tử.', 'The agent\u2019s secret is revoked.'],
		'ho.facts': ['Thông tin máy', 'Facts'],
		'ho.enrolled': ['Ngày đăng ký', 'Enrolled'],
		'ho.cleanscan': ['Lần quét toàn bộ sạch gần nhất', 'Last clean full scan'],
		'ho.noclean': ['chưa có', 'none yet'],
		'ho.machine': ['Mã máy', 'Machine id'],
		'ho.ips': ['Các địa chỉ IP', 'IP addresses'],
		'ho.macs': ['Địa chỉ MAC', 'MAC addresses'],
		'ho.uptime': ['Thời gian chạy', 'Uptime'],
		'ho.uptime.v': ['{0} giờ', '{0} h'],
		'ho.cpu': ['CPU của tác tử', 'Agent CPU'],
		'ho.rss': ['Bộ nhớ của tác tử', 'Agent memory'],
		'ho.addrs': ['Lịch sử địa chỉ IP', 'Address history'],
		'ho.vulns': ['Lỗ hổng của máy', 'This host\u2019s vulnerabilities'],
		'fi.title': ['Tệp phát hiện và cách ly', 'Findings and quarantine'],
		'fi.none': ['Không có tệp nào bị phát hiện.', 'No findings.'],
		'fi.path': ['Đường dẫn', 'Path'],
		'fi.sig': ['Mẫu nhận diện', 'Signature'],
		'fi.sha': ['SHA-256', 'SHA-256'],
		'fi.first': ['Lần đầu', 'First seen'],
		'fi.last': ['Lần cuối', 'Last seen'],
		'fi.state': ['Trạng thái', 'State'],
		'fi.act': ['Thao tác', 'Action'],
		'fi.present': ['Còn trên máy', 'On the host'],
		'fi.quarantined': ['Đã cách ly', 'Quarantined'],
		'fi.quarantine': ['Cách ly', 'Quarantine'],
		'fi.quarantine.sure': ['Bấm lần nữa để cách ly', 'Click again to quarantine'],
		'fi.restore': ['Khôi phục', 'Restore'],
		'fi.restore.sure': ['Bấm lần nữa để khôi phục', 'Click again to restore'],
		'ta.title': ['Tác vụ', 'Tasks'],
		'ta.none': ['Chưa có tác vụ.', 'No tasks.'],
		'ta.new': ['Giao tác vụ cho máy', 'Give the host a task'],
		'ta.note': ['Máy nhận tác vụ ở lần liên lạc kế tiếp (thường trong 1 phút).', 'The host picks the task up at its next heartbeat (usually within a minute).'],
		'ta.quick': ['Quét nhanh', 'Quick scan'],
		'ta.full': ['Quét toàn bộ', 'Full scan'],
		'ta.inventory': ['Kiểm kê phần mềm', 'Software inventory'],
		'ta.bundle': ['Cập nhật bộ mẫu', 'Update the bundle'],
		'ta.queued': ['Đã giao tác vụ "{0}" (số {1}).', 'Task "{0}" queued (#{1}).'],
		'ta.id': ['Số', 'No.'],
		'ta.kind': ['Loại', 'Kind'],
		'ta.state': ['Trạng thái', 'State'],
		'ta.created': ['Tạo lúc', 'Created'],
		'ta.updated': ['Cập nhật', 'Updated'],
		'ta.result': ['Kết quả', 'Result'],
		'ta.show': ['Xem', 'Show'],
		'ta.k.scan': ['Quét', 'Scan'],
		'ta.k.inventory': ['Kiểm kê', 'Inventory'],
		'ta.k.bundle_update': ['Cập nhật bộ mẫu', 'Bundle update'],
		'ta.k.quarantine': ['Cách ly', 'Quarantine'],
		'ta.k.restore': ['Khôi phục', 'Restore'],
		'ta.s.queued': ['Đang chờ', 'Queued'],
		'ta.s.sent': ['Đã gửi', 'Sent'],
		'ta.s.running': ['Đang chạy', 'Running'],
		'ta.s.done': ['Xong', 'Done'],
		'ta.s.failed': ['Thất bại', 'Failed'],
		'ev.title': ['Sự kiện của máy', 'Events of this host'],
		'ev.none': ['Chưa có sự kiện.', 'No events.'],
		'ev.time': ['Thời điểm', 'Time'],
		'ev.kind': ['Loại', 'Kind'],
		'ev.sev': ['Mức độ', 'Severity'],
		'ev.what': ['Nội dung', 'What'],
		'ev.more': ['Chi tiết', 'Details'],
		'ev.older': ['Sự kiện cũ hơn', 'Older events'],
		'ev.binpath': ['tên tệp không phải UTF-8', 'a non-UTF-8 file name'],
	});
})();
