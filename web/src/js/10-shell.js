/* 10-shell.js - the frame (header, navigation, language switch) and everything about the
 * session: login with TOTP, logout, the forced first-login password change, the TOTP set-up of
 * department admins (QR code drawn as SVG with DOM calls), and an expired session. */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;

	const NAV = [
		['/', 'nav.dashboard'], ['/units', 'nav.units'], ['/hosts', 'nav.hosts'], ['/alerts', 'nav.alerts'],
		['/feeds', 'nav.feeds'], ['/triage', 'nav.triage'], ['/vulns', 'nav.vulns'],
		['/users', 'nav.users', 'unit_admin'], ['/enroll', 'nav.enroll', 'unit_admin'],
		['/audit', 'nav.audit', 'dept_admin'], ['/account', 'nav.account'],
	];

	function header() {
		const top = CG.clear(document.getElementById('top'));
		const nav = document.getElementById('nav');
		const inApp = !!(CG.me && !CG.me.must_change_password && !CG.me.totp_required);
		const skip = h('button', { type: 'button', class: 'skip', onclick: () => document.getElementById('main').focus() }, t('skip'));
		const menu = inApp ? h('button', { type: 'button', class: 'menu', 'aria-expanded': 'false', 'aria-controls': 'nav' }, t('menu')) : null;
		if (menu) menu.addEventListener('click', () => {
			const open = !nav.classList.contains('open');
			nav.classList.toggle('open', open);
			menu.setAttribute('aria-expanded', String(open));
		});
		const other = CG.lang === 'vi' ? 'en' : 'vi';
		const langBtn = h('button', { type: 'button', class: 'lang', lang: other, 'data-k': 'lang', 'aria-label': t('lang.switch') },
			other === 'en' ? 'English' : 'Tiếng Việt');
		langBtn.addEventListener('click', () => CG.setLang(other));
		const who = CG.me ? h('span', { class: 'who' }, h('span', { class: 'login' }, CG.me.login), ' · ', t('role.' + CG.me.role)) : null;
		const out = CG.me ? h('button', { type: 'button', class: 'logout', 'data-k': 'logout', onclick: logout }, t('logout')) : null;
		top.append(skip, h('div', { class: 'bar' }, menu,
			h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'CG'), h('span', null, t('app'), h('small', null, t('app.sub')))),
			h('div', { class: 'tools' }, who, langBtn, out)));
		CG.clear(nav);
		nav.classList.remove('open');
		nav.hidden = !inApp;
		nav.setAttribute('aria-label', t('nav.label'));
		if (inApp) {
			const ul = h('ul');
			for (const [p, k, role] of NAV) {
				if (role && !CG.can(role)) continue;
				ul.appendChild(h('li', null, h('a', { href: '#' + p, 'data-nav': p, onclick: () => { nav.classList.remove('open'); if (menu) menu.setAttribute('aria-expanded', 'false'); } }, t(k))));
			}
			nav.appendChild(ul);
		}
		document.documentElement.lang = CG.lang;
	}
	CG.navMark = (path) => {
		const first = '/' + (path.split('/')[1] || '');
		for (const a of document.querySelectorAll('#nav a')) {
			if (a.dataset.nav === first) a.setAttribute('aria-current', 'page');
			else a.removeAttribute('aria-current');
		}
	};

	CG.setLang = async (lang) => {
		CG.lang = lang;
		try { localStorage.setItem('cg_lang', lang); } catch (e) { /* private mode */ }
		header();
		if (CG.me) {
			CG.me.lang = lang;
			CG.api('POST', '/me', { body: { lang } }).catch(() => {});
		}
		if (CG.me && !CG.me.must_change_password && !CG.me.totp_required) CG.render(true);
		else if (CG.screen) CG.screen();
		CG.say(t('lang.done'));
	};

	function useMe(me) {
		CG.me = me;
		if (me.csrf) CG.csrf = me.csrf;
		if (me.lang === 'en' || me.lang === 'vi') {
			CG.lang = me.lang;
			try { localStorage.setItem('cg_lang', me.lang); } catch (e) { /* private mode */ }
		}
	}

	/* Start: who am I? Then the forced steps, or the app. */
	CG.boot = async function boot() {
		let me = null;
		try {
			me = await CG.api('GET', '/me', { quiet: true });
		} catch (e) {
			if (!(e instanceof CG.ApiError) || e.status !== 401) {
				CG.me = null;
				header();
				const v = CG.clear(document.getElementById('view'));
				v.appendChild(CG.errorView(e));
				return;
			}
		}
		if (!me) { CG.me = null; CG.csrf = null; return loginView(); }
		useMe(me);
		after();
	};
	function after() {
		const me = CG.me;
		CG.unitsCache = null;
		if (me.must_change_password) return passwordView(true);
		if (me.totp_required) return totpView(true);
		CG.screen = null;
		header();
		CG.render();
	}
	CG.expired = () => {
		CG.me = null;
		CG.csrf = null;
		loginView(t('login.expired'));
	};
	async function logout() {
		try { await CG.api('POST', '/logout', { quiet: true }); } catch (e) { /* gone already */ }
		CG.me = null;
		CG.csrf = null;
		loginView(t('logout.done'));
	}

	function screen(build) {
		CG.screen = () => screen(build);
		header();
		const v = CG.clear(document.getElementById('view'));
		const node = build();
		v.appendChild(node);
		const first = node.querySelector('h1');
		if (first) { first.setAttribute('tabindex', '-1'); first.focus(); }
		document.title = (first ? first.textContent + ' · ' : '') + t('app');
	}

	function loginView(message) {
		screen(() => {
			const login = h('input', { name: 'login', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
			const pw = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
			const code = h('input', { name: 'totp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6' });
			const codeField = CG.field(t('login.totp'), code, t('login.totp.hint'));
			codeField.hidden = true;
			const btn = h('button', { type: 'submit' }, t('login.go'));
			const form = h('form', { class: 'card narrow', 'data-k': 'login-form' }, h('h1', null, t('login.title')),
				CG.muted(t('login.intro')),
				CG.field(t('login.login'), login), CG.field(t('login.password'), pw), codeField, CG.actions(btn));
			form.addEventListener('submit', async (ev) => {
				ev.preventDefault();
				btn.disabled = true;
				try {
					const body = { login: login.value.trim(), password: pw.value };
					if (!codeField.hidden && code.value) body.totp = code.value.trim();
					const me = await CG.api('POST', '/login', { body, quiet: true });
					CG.say('');
					useMe(me);
					after();
				} catch (e) {
					if (e.code === 'totp_needed' || e.code === 'totp_invalid') {
						const first = codeField.hidden;
						codeField.hidden = false;
						code.required = true;
						code.value = '';
						code.focus();
						CG.say(first && e.code === 'totp_needed' ? t('login.needtotp') : t('login.badtotp'), first ? 'info' : 'err');
					} else if (e.status === 429) {
						CG.say(t('login.throttled', Math.ceil((e.retry || 900) / 60)), 'err');
					} else if (e.code === 'login_failed') {
						CG.say(t('login.failed'), 'err');
						pw.value = '';
						pw.focus();
					} else CG.say(CG.errText(e), 'err');
				} finally {
					btn.disabled = false;
				}
			});
			setTimeout(() => login.focus(), 0);
			return form;
		});
		if (message) CG.say(message, 'info');
	}

	/* The password form; forced = the first login. */
	CG.passwordForm = function passwordForm(forced, done) {
		const old = h('input', { type: 'password', autocomplete: 'current-password', required: true });
		const nw = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: '10', maxlength: '256' });
		const again = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
		const btn = h('button', { type: 'submit' }, t('pw.go'));
		const f = h('form', { class: 'stack', 'data-k': 'password-form' },
			CG.field(forced ? t('pw.onetime') : t('pw.old'), old),
			CG.field(t('pw.new'), nw, t('pw.rule')), CG.field(t('pw.again'), again), CG.actions(btn));
		f.addEventListener('submit', async (ev) => {
			ev.preventDefault();
			if (nw.value !== again.value) { CG.say(t('pw.mismatch'), 'err'); again.focus(); return; }
			if (nw.value.length < 10) { CG.say(t('pw.short'), 'err'); nw.focus(); return; }
			const r = await CG.act(btn, () => CG.api('POST', '/me/password', { body: { old: old.value, new: nw.value } }));
			if (r) { old.value = nw.value = again.value = ''; CG.say(t('pw.done')); done && done(); }
		});
		return f;
	};
	function passwordView() {
		screen(() => h('section', { class: 'card narrow' }, h('h1', null, t('pw.forced.title')), h('p', null, t('pw.forced.text')),
			CG.passwordForm(true, async () => { CG.me.must_change_password = false; after(); })));
	}

	/* qrcode-generator is loaded only here (its versioned address is in a <meta> of index.html). */
	function loadQr() {
		if (window.qrcode) return Promise.resolve(window.qrcode);
		const m = document.querySelector('meta[name="cg-qrcode"]');
		return new Promise((ok, fail) => {
			const s = h('script', { src: m ? m.content : '/assets/qrcode.js' });
			s.addEventListener('load', () => (window.qrcode ? ok(window.qrcode) : fail(new Error('qrcode'))));
			s.addEventListener('error', () => fail(new Error('qrcode')));
			document.head.appendChild(s);
		});
	}
	CG.qrSvg = async function qrSvg(text, label) {
		const qrcode = await loadQr();
		const qr = qrcode(0, 'M');
		qr.addData(text);
		qr.make();
		const n = qr.getModuleCount(), q = 4;
		let d = '';
		for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (qr.isDark(r, c)) d += 'M' + (c + q) + ' ' + (r + q) + 'h1v1h-1z';
		return CG.svg('svg', { viewBox: '0 0 ' + (n + 2 * q) + ' ' + (n + 2 * q), class: 'qr', role: 'img', 'aria-label': label, 'shape-rendering': 'crispEdges' },
			CG.svg('rect', { width: n + 2 * q, height: n + 2 * q, fill: '#fff' }), CG.svg('path', { d, fill: '#000' }));
	};

	/* TOTP set-up: a new secret (text and QR), then a code from the app confirms it. */
	CG.totpSetup = function totpSetup(done) {
		const box = h('div', { class: 'stack', 'data-k': 'totp-setup' });
		const start = h('button', { type: 'button' }, t('totp.start'));
		start.addEventListener('click', async () => {
			const r = await CG.act(start, () => CG.api('POST', '/me/totp', { body: {} }));
			if (!r) return;
			CG.clear(box);
			const qrBox = h('div', { class: 'qrbox' });
			const groups = String(r.secret).match(/.{1,4}/g).join(' ');
			const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: '6', required: true });
			const ok = h('button', { type: 'submit' }, t('totp.confirm'));
			const f = h('form', { class: 'stack' }, CG.field(t('totp.code'), code, t('totp.code.hint')), CG.actions(ok));
			f.addEventListener('submit', async (ev) => {
				ev.preventDefault();
				const x = await CG.act(ok, () => CG.api('POST', '/me/totp', { body: { code: code.value.trim() } }));
				if (x) { CG.say(t('totp.done')); done && done(); }
			});
			box.append(h('ol', { class: 'steps' }, h('li', null, t('totp.step1')), h('li', null, t('totp.step2')), h('li', null, t('totp.step3'))),
				qrBox, h('p', null, t('totp.secret'), ' ', h('code', { class: 'secret', 'data-k': 'totp-secret' }, groups)), f);
			try { qrBox.appendChild(await CG.qrSvg(r.uri, t('totp.qr'))); } catch (e) { qrBox.appendChild(CG.muted(t('totp.noqr'))); }
			code.focus();
		});
		box.appendChild(CG.actions(start));
		return box;
	};
	function totpView() {
		screen(() => h('section', { class: 'card narrow' }, h('h1', null, t('totp.forced.title')), h('p', null, t('totp.forced.text')),
			CG.totpSetup(() => { CG.me.totp_required = false; after(); })));
	}

	CG.header = header;
	window.addEventListener('hashchange', () => { if (CG.me && !CG.screen) CG.render(); });

	CG.dict({
		'app.sub': ['Giám sát an toàn thông tin ngành Giáo dục', 'Security monitoring for schools'],
		skip: ['Bỏ qua đến nội dung chính', 'Skip to the main content'],
		menu: ['Menu', 'Menu'],
		'nav.label': ['Điều hướng chính', 'Main navigation'],
		'nav.dashboard': ['Bảng điều khiển', 'Dashboard'],
		'nav.units': ['Đơn vị', 'Units'],
		'nav.hosts': ['Máy trạm', 'Hosts'],
		'nav.alerts': ['Cảnh báo', 'Alerts'],
		'nav.feeds': ['Nguồn cấp', 'Feeds'],
		'nav.triage': ['Danh sách botnet', 'Botnet triage'],
		'nav.vulns': ['Lỗ hổng', 'Vulnerabilities'],
		'nav.users': ['Người dùng', 'Users'],
		'nav.enroll': ['Mã đăng ký máy', 'Enrolment tokens'],
		'nav.audit': ['Nhật ký kiểm tra', 'Audit log'],
		'nav.account': ['Tài khoản', 'Account'],
		'lang.switch': ['Chuyển sang tiếng Anh (English)', 'Chuyển sang tiếng Việt (Vietnamese)'],
		'lang.done': ['Đã chuyển sang tiếng Việt.', 'Switched to English.'],
		'role.viewer': ['Người xem', 'Viewer'],
		'role.unit_admin': ['Quản trị đơn vị', 'Unit admin'],
		'role.dept_admin': ['Quản trị Sở', 'Department admin'],
		logout: ['Đăng xuất', 'Log out'],
		'logout.done': ['Đã đăng xuất.', 'Logged out.'],
		'login.title': ['Đăng nhập', 'Log in'],
		'login.intro': ['Đăng nhập bằng tài khoản do Sở hoặc đơn vị cấp.', 'Log in with the account your Department or unit gave you.'],
		'login.login': ['Tên đăng nhập', 'Login'],
		'login.password': ['Mật khẩu', 'Password'],
		'login.totp': ['Mã xác thực (TOTP)', 'Authentication code (TOTP)'],
		'login.totp.hint': ['6 chữ số trong ứng dụng xác thực trên điện thoại.', 'The 6 digits in the authenticator app on your phone.'],
		'login.go': ['Đăng nhập', 'Log in'],
		'login.needtotp': ['Nhập mã 6 chữ số từ ứng dụng xác thực.', 'Enter the 6-digit code from your authenticator app.'],
		'login.badtotp': ['Mã xác thực không đúng hoặc đã hết hạn; nhập mã mới.', 'Wrong or expired code; enter the current one.'],
		'login.failed': ['Sai tên đăng nhập hoặc mật khẩu.', 'Wrong login or password.'],
		'login.throttled': ['Đăng nhập sai quá nhiều lần. Hãy thử lại sau khoảng {0} phút.', 'Too many failed logins. Try again in about {0} minutes.'],
		'login.expired': ['Phiên làm việc đã hết hạn. Hãy đăng nhập lại.', 'Your session has expired. Please log in again.'],
		'pw.title': ['Đổi mật khẩu', 'Change password'],
		'pw.forced.title': ['Đổi mật khẩu lần đầu', 'Change your first password'],
		'pw.forced.text': ['Đây là lần đăng nhập đầu tiên: hãy thay mật khẩu dùng một lần bằng mật khẩu của riêng bạn.', 'This is your first login: replace the one-time password with your own.'],
		'pw.onetime': ['Mật khẩu hiện tại (dùng một lần)', 'Current (one-time) password'],
		'pw.old': ['Mật khẩu hiện tại', 'Current password'],
		'pw.new': ['Mật khẩu mới', 'New password'],
		'pw.again': ['Nhập lại mật khẩu mới', 'New password again'],
		'pw.rule': ['Ít nhất 10 ký tự, khác mật khẩu cũ.', 'At least 10 characters, different from the old one.'],
		'pw.go': ['Đổi mật khẩu', 'Change password'],
		'pw.mismatch': ['Hai lần nhập mật khẩu mới không khớp.', 'The two new passwords differ.'],
		'pw.short': ['Mật khẩu mới phải có ít nhất 10 ký tự.', 'The new password needs at least 10 characters.'],
		'pw.done': ['Đã đổi mật khẩu.', 'Password changed.'],
		'totp.forced.title': ['Bật xác thực hai yếu tố', 'Set up two-factor authentication'],
		'totp.forced.text': ['Quản trị Sở phải dùng mã xác thực (TOTP) từ điện thoại khi đăng nhập.', 'Department admins must log in with a code (TOTP) from their phone.'],
		'totp.start': ['Tạo khóa bí mật', 'Create the secret key'],
		'totp.step1': ['Mở ứng dụng xác thực (Google Authenticator, Microsoft Authenticator, FreeOTP…).', 'Open an authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP…).'],
		'totp.step2': ['Quét mã QR, hoặc nhập khóa bí mật bên dưới.', 'Scan the QR code, or type the secret key below.'],
		'totp.step3': ['Nhập mã 6 chữ số ứng dụng hiển thị để xác nhận.', 'Enter the 6-digit code the app shows to confirm.'],
		'totp.secret': ['Khóa bí mật:', 'Secret key:'],
		'totp.qr': ['Mã QR để thêm tài khoản vào ứng dụng xác thực', 'QR code that adds the account to an authenticator app'],
		'totp.noqr': ['Không vẽ được mã QR; hãy nhập khóa bí mật.', 'The QR code could not be drawn; type the secret key.'],
		'totp.code': ['Mã xác thực', 'Code'],
		'totp.code.hint': ['6 chữ số, đổi mỗi 30 giây.', '6 digits, changing every 30 seconds.'],
		'totp.confirm': ['Xác nhận', 'Confirm'],
		'totp.done': ['Đã bật xác thực hai yếu tố.', 'Two-factor authentication is on.'],
	});
})();
