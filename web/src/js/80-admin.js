/* 80-admin.js - users and roles (GET/POST /users, POST /users/{login}), one's own account
 * (password, TOTP, API tokens: /me/password, /me/totp, /me/tokens) and the audit log (GET /audit,
 * department admins). */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;
	const ROLES = ['viewer', 'unit_admin', 'dept_admin'];

	function randomPassword() {
		const abc = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
		const b = crypto.getRandomValues(new Uint8Array(16));
		return Array.from(b, (x) => abc[x % abc.length]).join('');
	}
	const roleOpts = () => ROLES.filter((r) => r !== 'dept_admin' || CG.can('dept_admin')).map((r) => [r, t('role.' + r)]);

	async function createForm() {
		const login = h('input', { required: true, minlength: '2', maxlength: '63', autocapitalize: 'off', autocomplete: 'off' });
		const name = h('input', { required: true, maxlength: '200', autocomplete: 'off' });
		const role = CG.select(roleOpts(), 'viewer');
		const unit = await CG.unitSelect('unit', CG.me.unit);
		unit.firstChild.remove();
		const pw = h('input', { required: true, minlength: '10', autocomplete: 'new-password', class: 'mono', value: randomPassword() });
		const btn = h('button', { type: 'submit' }, t('us.create.go'));
		const f = h('form', { class: 'grid-form', 'data-k': 'user-create' }, CG.field(t('us.login'), login), CG.field(t('us.name'), name, t('us.name.hint')),
			CG.field(t('us.role'), role), CG.field(t('us.unit'), unit), CG.field(t('us.pw'), pw, t('us.pw.hint')), CG.actions(btn));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const body = { login: login.value.trim(), name: name.value.trim(), role: role.value, unit: unit.value, password: pw.value };
			const r = await CG.act(btn, () => CG.api('POST', '/users', { body }));
			if (r) CG.refresh().then(() => CG.say(t('us.created', body.login, body.password)));
		});
		return f;
	}

	CG.route('/users', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 100);
		const r = await CG.api('GET', '/users', { query: { limit: limit + 1, offset } });
		const users = (r.users || []).slice(0, limit);
		const tbl = CG.table({
			caption: t('us.title'), rows: users, rowHead: 0,
			cols: ['us.name', 'us.login', 'us.role', 'us.unit', 'us.state', 'us.actions'],
			rowAttrs: (u) => ({ 'data-user': u.login }),
			row: (u) => {
				const self = u.login === CG.me.login;
				let act = h('span', { class: 'muted' }, self ? t('us.self') : '—');
				if (!self && (u.role !== 'dept_admin' || CG.can('dept_admin'))) {
					const sel = CG.select(roleOpts(), u.role, { 'aria-label': t('us.role.of', u.login) });
					const b = h('button', { type: 'button', class: 'secondary' }, t('us.role.set'));
					const p = '/users/' + encodeURIComponent(u.login);
					b.addEventListener('click', () => CG.post(b, p, { role: sel.value }, t('us.role.done', u.login, t('role.' + sel.value))));
					const en = h('button', { type: 'button', class: 'secondary' }, t('us.enable'));
					en.addEventListener('click', () => CG.post(en, p, { disabled: false }, t('us.enabled', u.login)));
					const dis = u.disabled ? en : CG.confirmBtn(t('us.disable'), t('us.disable.sure'), (b2) => CG.post(b2, p, { disabled: true }, t('us.disabled.done', u.login)));
					act = h('div', { class: 'actions wrap' }, sel, b, dis);
				}
				return [u.name, CG.mono(u.login), t('role.' + u.role), u.unit, u.disabled ? CG.badge('us.disabled', 'off') : CG.badge('us.active', 'on'), act];
			},
			empty: t('none'),
		});
		return CG.page('users', t('us.title'), h('section', { class: 'card' }, CG.muted(t('us.sorted')), tbl,
			CG.pager({ path, q, offset, limit, shown: users.length, more: (r.users || []).length > limit })),
			CG.card(t('us.create'), await createForm()));
	}, { role: 'unit_admin' });

	CG.route('/account', async () => {
		const me = CG.me;
		const r = await CG.api('GET', '/me/tokens');
		const toks = CG.table({
			caption: t('tk.list'), rows: r.tokens || [], cols: ['tk.name', 'tk.created', 'tk.expires', 'tk.state', 'us.actions'], rowHead: 0,
			row: (k) => [k.name || '—', CG.when(k.created_ms), CG.when(k.expires_ms), k.revoked ? CG.badge('tk.revoked', 'off') : k.expires_ms < Date.now() ? CG.badge('tk.expired', 'off') : CG.badge('tk.valid', 'on'),
				k.revoked ? '—' : CG.confirmBtn(t('tk.revoke'), t('tk.revoke.sure'), (b) => CG.post(b, '/me/tokens/' + k.id + '/revoke', {}, t('tk.revoked.done')))],
			empty: t('tk.none'),
		});
		const name = h('input', { required: true, maxlength: '100' });
		const days = h('input', { type: 'number', min: '1', max: '366', value: '90', required: true });
		const btn = h('button', { type: 'submit' }, t('tk.create.go'));
		const out = h('div', { class: 'result' });
		const f = h('form', { class: 'grid-form' }, CG.field(t('tk.name'), name), CG.field(t('tk.days'), days), CG.actions(btn));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			const x = await CG.act(btn, () => CG.api('POST', '/me/tokens', { body: { name: name.value.trim(), days: +days.value } }));
			if (!x) return;
			const ta = h('textarea', { readonly: true, rows: '2', class: 'mono' });
			ta.value = x.token;
			CG.clear(out).append(h('p', { class: 'note info' }, t('tk.once', x.days)), CG.field(t('tk.token'), ta));
			ta.focus();
			ta.select();
		});
		return CG.page('account', t('ac.title'),
			h('section', { class: 'card' }, CG.dl([[t('us.login'), me.login], [t('us.role'), t('role.' + me.role)], [t('us.unit'), me.unit], [t('ac.lang'), me.lang === 'en' ? 'English' : 'Tiếng Việt'], [t('ac.tz'), CG.tz]])),
			CG.card(t('pw.title'), CG.passwordForm(false)),
			CG.card(t('tk.title'), CG.muted(t('tk.text')), toks, h('h3', null, t('tk.create')), f, out),
			CG.card(t('ac.totp'), CG.muted(t('ac.totp.text')), CG.totpSetup(() => CG.refresh())));
	});

	CG.route('/audit', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 100);
		const r = await CG.api('GET', '/audit', { query: { limit: limit + 1, offset } });
		const rows = (r.audit || []).slice(0, limit);
		const tbl = CG.table({
			caption: t('au.title'), rows, cols: ['au.when', 'au.actor', 'au.ip', 'au.action', 'au.object', 'au.detail'],
			row: (a) => {
				const d = a.detail && Object.keys(a.detail).length ? JSON.stringify(a.detail) : '';
				return [CG.when(a.ms), a.actor, CG.mono(a.ip || '—'), CG.mono(a.action), CG.mono(CG.short(a.object, 80)),
					d.length > 80 ? h('details', null, h('summary', null, CG.short(d, 60)), CG.pre(a.detail)) : CG.mono(d || '—')];
			},
			empty: t('none'), cls: 'grid audit',
		});
		return CG.page('audit', t('au.title'), h('section', { class: 'card' }, tbl,
			CG.pager({ path, q, offset, limit, shown: rows.length, more: (r.audit || []).length > limit })));
	}, { role: 'dept_admin' });

	CG.dict({
		'us.title': ['Người dùng', 'Users'],
		'us.sorted': ['Xếp theo tên (tên gọi trước, rồi họ và tên đệm).', 'Sorted by given name, then the rest of the name.'],
		'us.name': ['Họ và tên', 'Full name'],
		'us.name.hint': ['Viết đầy đủ có dấu, ví dụ Nguyễn Thị Hoa.', 'In full with diacritics, e.g. Nguyễn Thị Hoa.'],
		'us.login': ['Tên đăng nhập', 'Login'],
		'us.role': ['Vai trò', 'Role'],
		'us.role.of': ['Vai trò của {0}', 'Role of {0}'],
		'us.role.set': ['Đổi vai trò', 'Change role'],
		'us.role.done': ['{0} giờ là {1}.', '{0} is now {1}.'],
		'us.unit': ['Đơn vị', 'Unit'],
		'us.state': ['Trạng thái', 'State'],
		'us.actions': ['Thao tác', 'Actions'],
		'us.active': ['Đang dùng', 'Active'],
		'us.disabled': ['Đã khóa', 'Disabled'],
		'us.disable': ['Khóa', 'Disable'],
		'us.disable.sure': ['Bấm lần nữa để khóa', 'Click again to disable'],
		'us.disabled.done': ['Đã khóa {0}: phiên và mã API của người này bị hủy.', '{0} disabled: their sessions and API tokens are gone.'],
		'us.enable': ['Mở khóa', 'Enable'],
		'us.enabled': ['Đã mở khóa {0}.', '{0} enabled.'],
		'us.self': ['(bạn)', '(you)'],
		'us.create': ['Thêm người dùng', 'Add a user'],
		'us.create.go': ['Thêm người dùng', 'Add the user'],
		'us.pw': ['Mật khẩu dùng một lần', 'One-time password'],
		'us.pw.hint': ['Người dùng phải đổi ở lần đăng nhập đầu.', 'The user must change it at the first login.'],
		'us.created': ['Đã thêm {0}. Mật khẩu dùng một lần: {1} (hãy chuyển riêng cho người dùng).', '{0} added. One-time password: {1} (hand it over privately).'],
		'ac.title': ['Tài khoản của tôi', 'My account'],
		'ac.lang': ['Ngôn ngữ', 'Language'],
		'ac.tz': ['Múi giờ hiển thị', 'Time zone shown'],
		'ac.totp': ['Xác thực hai yếu tố', 'Two-factor authentication'],
		'ac.totp.text': ['Tạo khóa mới khi đổi điện thoại. Khóa cũ vẫn dùng được cho tới khi xác nhận khóa mới.', 'Create a new key when you change phones. The old key works until the new one is confirmed.'],
		'tk.title': ['Mã API cho kịch bản', 'API tokens for scripts'],
		'tk.text': ['Kịch bản gửi "Authorization: Bearer cgt_…"; mã có quyền như bạn.', 'Scripts send "Authorization: Bearer cgt_…"; a token acts with your role.'],
		'tk.list': ['Các mã API của tôi', 'My API tokens'],
		'tk.none': ['Chưa có mã API.', 'No API tokens.'],
		'tk.name': ['Tên mã', 'Name'],
		'tk.created': ['Tạo lúc', 'Created'],
		'tk.expires': ['Hết hạn', 'Expires'],
		'tk.state': ['Trạng thái', 'State'],
		'tk.valid': ['Còn hiệu lực', 'Valid'],
		'tk.expired': ['Hết hạn', 'Expired'],
		'tk.revoked': ['Đã thu hồi', 'Revoked'],
		'tk.revoke': ['Thu hồi', 'Revoke'],
		'tk.revoke.sure': ['Bấm lần nữa để thu hồi', 'Click again to revoke'],
		'tk.revoked.done': ['Đã thu hồi mã API.', 'API token revoked.'],
		'tk.create': ['Tạo mã API', 'Create an API token'],
		'tk.create.go': ['Tạo mã', 'Create'],
		'tk.days': ['Hiệu lực (ngày)', 'Valid for (days)'],
		'tk.token': ['Mã API', 'API token'],
		'tk.once': ['Mã có hiệu lực {0} ngày và chỉ hiện một lần: hãy lưu lại ngay.', 'Valid for {0} days and shown only once: store it now.'],
		'au.title': ['Nhật ký kiểm tra', 'Audit log'],
		'au.when': ['Thời điểm', 'When'],
		'au.actor': ['Người làm', 'Who'],
		'au.ip': ['Từ địa chỉ', 'From'],
		'au.action': ['Việc', 'Action'],
		'au.object': ['Đối tượng', 'Object'],
		'au.detail': ['Chi tiết', 'Detail'],
	});
})();
