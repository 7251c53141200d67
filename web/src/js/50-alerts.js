/* 50-alerts.js - the alert queue (GET /alerts with state, kind, min_severity; paged), bulk
 * actions on the selected rows, and an alert's page with its detail and comments (GET and POST
 * /alerts/{id}: state, assignee, comment). */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;
	const KINDS = ['malware.detected', 'botnet.connection', 'ioc.match', 'ioc.connection', 'vuln.package', 'log.alert', 'agent.cloned', 'bundle.refused'];
	const STATES = ['new', 'acknowledged', 'resolved'];

	CG.alertState = (s) => CG.badge('al.s.' + s, 'st-' + s);
	function update(id, body) { return CG.api('POST', '/alerts/' + encodeURIComponent(id), { body }); }

	/* The users one may assign to (unit admins and up can list them), for a <datalist>. */
	async function assignees() {
		const dl = h('datalist', { id: CG.uid('users') });
		if (CG.can('unit_admin')) {
			try {
				const r = await CG.api('GET', '/users', { query: { limit: 1000 } });
				for (const u of r.users || []) if (!u.disabled) dl.appendChild(h('option', { value: u.login }, u.name + ' (' + u.login + ')'));
			} catch (e) { /* the field still takes a login typed by hand */ }
		}
		return dl;
	}

	CG.route('/alerts', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 50);
		const state = q.get('state') || '', kind = q.get('kind') || '', minsev = q.get('min_severity') || '';
		const admin = CG.can('unit_admin');
		const [r, users] = await Promise.all([
			CG.api('GET', '/alerts', { query: { state, kind, min_severity: minsev, limit: limit + 1, offset } }),
			admin ? assignees() : null]);
		const alerts = (r.alerts || []).slice(0, limit);
		const kl = h('datalist', { id: CG.uid('kinds') }, KINDS.map((k) => h('option', { value: k }, CG.tv('al.k.', k))));
		const filters = CG.filterForm(path, [
			CG.field(t('al.state'), CG.select([['', t('all')]].concat(STATES.map((s) => [s, t('al.s.' + s)])), state, { name: 'state' })),
			CG.field(t('al.kind'), h('input', { name: 'kind', value: kind, list: kl.id, autocapitalize: 'off' })),
			CG.field(t('al.minsev'), CG.select([['', t('all')]].concat([1, 2, 3, 4].map((n) => [String(n), t('al.atleast', t('sev.' + n))])), minsev, { name: 'min_severity' })),
			kl]);

		const picked = new Set();
		const bulkBtns = [];
		const count = h('span', { class: 'picked', 'aria-live': 'polite' }, t('al.picked', 0));
		const boxes = [];
		const all = h('input', { type: 'checkbox', id: CG.uid('all'), 'aria-label': t('al.pickall') });
		const sync = () => {
			count.textContent = t('al.picked', picked.size);
			all.checked = picked.size > 0 && picked.size === boxes.length;
			all.indeterminate = picked.size > 0 && picked.size < boxes.length;
			for (const b of bulkBtns) b.disabled = picked.size === 0;
		};
		all.addEventListener('change', () => {
			for (const b of boxes) { b.checked = all.checked; if (all.checked) picked.add(+b.value); else picked.delete(+b.value); }
			sync();
		});
		const cols = ['al.sev', 'al.title', 'al.unit', 'al.host', 'al.state', 'al.assignee', { k: 'al.count', num: true }, 'al.last'];
		if (admin) cols.unshift({ node: all, cls: 'pick' });
		const tbl = CG.table({
			caption: t('al.title'), rows: alerts, cols,
			rowAttrs: (a) => ({ 'data-alert': a.id }),
			row: (a) => {
				const cells = [CG.sev(a.severity_level), h('a', { href: '#/alerts/' + a.id }, a.title || CG.tv('al.k.', a.kind)),
					a.unit, CG.hostLink(a.host, a.hostname), CG.alertState(a.state), a.assignee || '—', CG.num(a.count),
					h('span', { title: CG.time(a.last_ms) }, CG.ago(a.last_ms))];
				if (admin) {
					const b = h('input', { type: 'checkbox', value: a.id, 'aria-label': t('al.pick', a.id) });
					b.addEventListener('change', () => { if (b.checked) picked.add(a.id); else picked.delete(a.id); sync(); });
					boxes.push(b);
					cells.unshift(b);
				}
				return cells;
			},
			empty: t('al.none'),
		});

		let bulk = null;
		if (admin) {
			const run = async (btn, body, label) => {
				const ids = [...picked];
				let ok = 0, bad = 0;
				btn.disabled = true;
				for (const id of ids) { try { await update(id, body); ok++; } catch (e) { bad++; if (e.status === 401) return; } }
				CG.say(t('al.bulk.done', ok, label) + (bad ? ' ' + t('al.bulk.failed', bad) : ''), bad ? 'err' : 'ok');
				CG.refresh();
			};
			const mk = (label, body, key) => {
				const b = h('button', { type: 'button', disabled: true, 'data-bulk': key }, label);
				b.addEventListener('click', () => run(b, body, label));
				bulkBtns.push(b);
				return b;
			};
			const who = h('input', { list: users.id, autocapitalize: 'off', size: '14' });
			const assign = h('button', { type: 'button', disabled: true, 'data-bulk': 'assign' }, t('al.assign'));
			assign.addEventListener('click', () => { if (who.value.trim()) run(assign, { assignee: who.value.trim() }, t('al.assign')); else who.focus(); });
			bulkBtns.push(assign);
			bulk = h('div', { class: 'bulk', role: 'group', 'aria-label': t('al.bulk') }, count,
				mk(t('al.ack'), { state: 'acknowledged' }, 'ack'), mk(t('al.resolve'), { state: 'resolved' }, 'resolve'), mk(t('al.reopen'), { state: 'new' }, 'reopen'),
				h('span', { class: 'assign' }, CG.field(t('al.assignee'), who), assign), users);
		}
		return CG.page('alerts', t('al.title'), filters,
			h('section', { class: 'card' }, bulk, tbl, CG.pager({ path, q, offset, limit, shown: alerts.length, more: (r.alerts || []).length > limit })));
	});

	CG.route('/alerts/:id', async ({ params }) => {
		const a = await CG.api('GET', '/alerts/' + encodeURIComponent(params.id));
		const admin = CG.can('unit_admin');
		let work = null;
		if (admin) {
			const users = await assignees();
			const btn = (label, st, key) => {
				const b = h('button', { type: 'button', 'data-act': key, class: a.state === st ? 'secondary' : null, disabled: a.state === st }, label);
				b.addEventListener('click', () => CG.post(b, '/alerts/' + a.id, { state: st }, t('al.now', t('al.s.' + st))));
				return b;
			};
			const who = h('input', { list: users.id, value: a.assignee || '', autocapitalize: 'off', id: 'al-who' });
			const ab = h('button', { type: 'submit' }, t('al.assign'));
			const af = h('form', { class: 'inline' }, CG.field(t('al.assignee'), who, t('al.assignee.hint')), CG.actions(ab), users);
			af.addEventListener('submit', (ev) => {
				ev.preventDefault();
				CG.post(ab, '/alerts/' + a.id, { assignee: who.value.trim() }, t('al.assigned', who.value.trim()));
			});
			const txt = h('textarea', { rows: '3', maxlength: '8000', required: true, id: 'al-comment' });
			const cb = h('button', { type: 'submit' }, t('al.comment.go'));
			const cf = h('form', { class: 'stack', 'data-k': 'comment-form' }, CG.field(t('al.comment'), txt), CG.actions(cb));
			cf.addEventListener('submit', (ev) => {
				ev.preventDefault();
				CG.post(cb, '/alerts/' + a.id, { comment: txt.value }, t('al.commented'));
			});
			work = CG.card(t('al.work'),
				h('div', { class: 'actions wrap' }, btn(t('al.ack'), 'acknowledged', 'ack'), btn(t('al.resolve'), 'resolved', 'resolve'), btn(t('al.reopen'), 'new', 'reopen')),
				af, cf);
		}
		const comments = (a.comments || []).length ? h('ol', { class: 'comments' }, a.comments.map((c) =>
			h('li', null, h('div', { class: 'cm' }, h('strong', null, c.user || '—'), ' · ', CG.when(c.ms)), h('p', { class: 'ct' }, c.text)))) :
			CG.muted(t('al.nocomments'));
		return CG.page('alert', a.title || CG.tv('al.k.', a.kind),
			h('p', { class: 'sub' }, CG.sev(a.severity_level), ' ', CG.alertState(a.state), ' ', h('span', { class: 'mono muted' }, '#' + a.id)),
			h('section', { class: 'card' }, CG.dl([
				[t('al.kind'), [CG.tv('al.k.', a.kind), ' ', h('span', { class: 'mono muted' }, '(' + a.kind + ')')]],
				[t('al.unit'), h('a', { href: '#/units/' + encodeURIComponent(a.unit) }, a.unit)],
				[t('al.host'), CG.hostLink(a.host, a.hostname)],
				[t('al.assignee'), a.assignee || '—'],
				[t('al.count'), CG.num(a.count)],
				[t('al.first'), CG.when(a.first_ms)],
				[t('al.last'), CG.when(a.last_ms)],
			]), h('details', { open: true }, h('summary', null, t('al.detail')), CG.pre(a.detail || {}))),
			work,
			CG.card(t('al.comments'), comments),
			h('p', null, h('a', { href: '#/alerts' }, '‹ ' + t('al.back'))));
	});

	CG.dict({
		'al.title': ['Cảnh báo', 'Alerts'],
		'al.none': ['Không có cảnh báo nào.', 'No alerts.'],
		'al.state': ['Trạng thái', 'State'],
		'al.kind': ['Loại', 'Kind'],
		'al.minsev': ['Mức độ từ', 'Severity at least'],
		'al.atleast': ['{0} trở lên', '{0} or higher'],
		'al.sev': ['Mức độ', 'Severity'],
		'al.unit': ['Đơn vị', 'Unit'],
		'al.host': ['Máy', 'Host'],
		'al.assignee': ['Người phụ trách', 'Assignee'],
		'al.assignee.hint': ['Tên đăng nhập của người xử lý.', 'The login of the person handling it.'],
		'al.count': ['Số lần', 'Count'],
		'al.first': ['Lần đầu', 'First'],
		'al.last': ['Gần nhất', 'Latest'],
		'al.detail': ['Chi tiết kỹ thuật', 'Technical detail'],
		'al.s.new': ['Mới', 'New'],
		'al.s.acknowledged': ['Đã tiếp nhận', 'Acknowledged'],
		'al.s.resolved': ['Đã xử lý xong', 'Resolved'],
		'al.k.malware.detected': ['Phát hiện mã độc', 'Malware detected'],
		'al.k.botnet.connection': ['Kết nối tới botnet', 'Connection to a botnet'],
		'al.k.ioc.match': ['Tệp trùng dấu hiệu IOC', 'File matches an IOC'],
		'al.k.ioc.connection': ['Kết nối tới địa chỉ IOC', 'Connection to an IOC address'],
		'al.k.vuln.package': ['Lỗ hổng nghiêm trọng', 'Serious vulnerability'],
		'al.k.log.alert': ['Nhật ký đáng ngờ', 'Suspicious log'],
		'al.k.agent.cloned': ['Máy nhân bản', 'Cloned agent'],
		'al.k.bundle.refused': ['Máy từ chối bộ mẫu', 'Bundle refused'],
		'al.pick': ['Chọn cảnh báo số {0}', 'Select alert #{0}'],
		'al.pickall': ['Chọn tất cả cảnh báo trên trang', 'Select every alert on the page'],
		'al.picked': ['Đã chọn {0}', '{0} selected'],
		'al.bulk': ['Thao tác với các cảnh báo đã chọn', 'Actions on the selected alerts'],
		'al.bulk.done': ['Đã cập nhật {0} cảnh báo: {1}.', '{0} alerts updated: {1}.'],
		'al.bulk.failed': ['{0} cảnh báo không cập nhật được.', '{0} alerts could not be updated.'],
		'al.ack': ['Tiếp nhận', 'Acknowledge'],
		'al.resolve': ['Đã xử lý xong', 'Resolve'],
		'al.reopen': ['Mở lại', 'Reopen'],
		'al.assign': ['Giao việc', 'Assign'],
		'al.assigned': ['Đã giao cho {0}.', 'Assigned to {0}.'],
		'al.now': ['Cảnh báo chuyển sang: {0}.', 'The alert is now: {0}.'],
		'al.work': ['Xử lý cảnh báo', 'Work on the alert'],
		'al.comment': ['Ghi chú', 'Comment'],
		'al.comment.go': ['Thêm ghi chú', 'Add the comment'],
		'al.commented': ['Đã thêm ghi chú.', 'Comment added.'],
		'al.comments': ['Ghi chú', 'Comments'],
		'al.nocomments': ['Chưa có ghi chú.', 'No comments yet.'],
		'al.back': ['Về hàng đợi cảnh báo', 'Back to the alert queue'],
	});
})();
