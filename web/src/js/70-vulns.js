/* 70-vulns.js - vulnerabilities (GET /vulns by state, unit with its subtree, host, warning; paged): the warning, the
 * package, installed and fixed versions with the explanation of each finding, severity, CVSS,
 * known exploitation and the deadline. */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;

	CG.route('/vulns', async ({ q, path }) => {
		const { limit, offset } = CG.paging(q, 50);
		const state = q.get('state') || '', unit = q.get('unit') || '', host = q.get('host') || '', advisory = q.get('advisory') || '';
		const [r, sel] = await Promise.all([CG.api('GET', '/vulns', { query: { state, unit, host, advisory: advisory || null, limit: limit + 1, offset } }), CG.unitSelect('unit', unit)]);
		const vulns = (r.vulns || []).slice(0, limit);
		const now = Date.now();
		const filters = CG.filterForm(path, [
			CG.field(t('vu.state'), CG.select([['', t('all')], ['open', t('vu.s.open')], ['fixed', t('vu.s.fixed')]], state, { name: 'state' })),
			CG.field(t('vu.unit'), sel),
			CG.field(t('vu.adv'), h('input', { name: 'advisory', value: advisory, autocapitalize: 'off', class: 'mono', placeholder: 'CVE-…, DSA-…, KB…' })),
			CG.field(t('vu.host'), h('input', { name: 'host', value: host, autocapitalize: 'off', class: 'mono', placeholder: 'ag-…' }))]);
		const tbl = CG.table({
			caption: t('vu.title'), rows: vulns,
			cols: ['vu.sev', 'vu.adv', 'vu.pkg', 'vu.why', { k: 'vu.cvss', num: true }, 'vu.exploited', 'vu.due', 'vu.host', 'vu.state'],
			rowAttrs: (v) => ({ 'data-vuln': v.id }),
			row: (v) => [
				v.severity ? CG.sev(v.severity) : '—',
				[h('a', { href: CG.link('/vulns', { advisory: v.advisory, state: state || null }), class: 'mono strong', 'data-k': 'adv-link' }, v.advisory), v.title ? h('small', { class: 'block' }, v.title) : null, h('small', { class: 'muted block' }, v.feed)],
				[CG.mono(v.package), v.packages && v.packages !== v.package ? h('small', { class: 'muted block' }, v.packages) : null],
				[CG.mono((v.installed || '?') + ' → ' + (v.fixed || t('vu.nofix'))), v.explain ? h('small', { class: 'block explain' }, v.explain) : null],
				v.cvss != null ? CG.num(v.cvss) : '—',
				v.exploited > 0 ? CG.badge('vu.kev', 'bad') : v.exploited === 0 ? t('no') : '—',
				v.due_ms ? h('span', { class: v.state === 'open' && v.due_ms < now ? 'badt' : '' }, CG.when(v.due_ms, true), v.state === 'open' && v.due_ms < now ? ' ' + t('vu.overdue') : '') : '—',
				[CG.hostLink(v.host, v.hostname), h('small', { class: 'muted block' }, v.unit)],
				v.state === 'fixed' ? [CG.badge('vu.s.fixed', 'st-resolved'), v.fixed_ms ? h('small', { class: 'block' }, CG.when(v.fixed_ms, true)) : null] : CG.badge('vu.s.open', 'st-new'),
			],
			empty: t('vu.none'), cls: 'grid vulns',
		});
		return CG.page('vulns', t('vu.title'), filters, h('section', { class: 'card' }, tbl,
			CG.pager({ path, q, offset, limit, shown: vulns.length, more: (r.vulns || []).length > limit, total: r.total })));
	});

	CG.dict({
		'vu.title': ['Lỗ hổng', 'Vulnerabilities'],
		'vu.none': ['Không có lỗ hổng nào khớp.', 'No matching vulnerabilities.'],
		'vu.state': ['Trạng thái', 'State'],
		'vu.unit': ['Đơn vị', 'Unit'],
		'vu.host': ['Máy (mã)', 'Host (id)'],
		'vu.s.open': ['Chưa vá', 'Open'],
		'vu.s.fixed': ['Đã vá', 'Fixed'],
		'vu.sev': ['Mức độ', 'Severity'],
		'vu.adv': ['Cảnh báo', 'Warning'],
		'vu.pkg': ['Gói phần mềm', 'Package'],
		'vu.why': ['Bản cài → bản vá, lý do', 'Installed → fixed, why'],
		'vu.nofix': ['chưa có bản vá', 'no fix yet'],
		'vu.cvss': ['CVSS', 'CVSS'],
		'vu.exploited': ['Đang bị khai thác', 'Exploited'],
		'vu.kev': ['Có', 'Yes'],
		'vu.due': ['Hạn xử lý', 'Deadline'],
		'vu.overdue': ['(quá hạn)', '(overdue)'],
	});
})();
