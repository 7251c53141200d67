/* 20-dashboard.js - the dashboard of the caller's scope or of one unit (#/?unit=CODE): totals,
 * the units below with their state, what needs action first, and the trend charts (uPlot).
 * One request (GET /api/v1/dashboard), started in parallel with GET /me at load. */
(() => {
	'use strict';
	const CG = window.CG;
	const h = CG.h, t = CG.t;
	const DAYS = 30;

	let early = null;
	CG.early = () => {
		const { path, q } = CG.parseHash();
		if (path !== '/') return;
		const unit = q.get('unit') || '';
		const p = CG.api('GET', '/dashboard', { query: { unit, days: DAYS }, quiet: true });
		p.catch(() => {});
		early = { unit, p };
	};
	function load(unit, days) {
		if (days !== DAYS) return CG.api('GET', '/dashboard', { query: { unit, days } });
		if (early && early.unit === unit) {
			const p = early.p;
			early = null;
			return p.catch(() => CG.api('GET', '/dashboard', { query: { unit, days: DAYS } }));
		}
		early = null;
		return CG.api('GET', '/dashboard', { query: { unit, days: DAYS } });
	}

	/* The way down from the scope's top, remembered while clicking through units. */
	function crumbs(d, unit) {
		let c = [];
		if (Array.isArray(d.unit.ancestors)) c = d.unit.ancestors.concat([d.unit]);
		else {
			try { c = JSON.parse(sessionStorage.getItem('cg_crumbs') || '[]'); } catch (e) { c = []; }
			const i = c.findIndex((x) => x.code === d.unit.code);
			c = !unit ? [{ code: '', name: d.unit.name }] : i >= 0 ? c.slice(0, i + 1) : [{ code: '', name: t('db.scope') }, d.unit];
		}
		try { sessionStorage.setItem('cg_crumbs', JSON.stringify(c)); } catch (e) { /* private mode */ }
		return c;
	}
	function down(c, u) {
		return () => { try { sessionStorage.setItem('cg_crumbs', JSON.stringify(c.concat([{ code: u.code, name: u.name }]))); } catch (e) { /* */ } };
	}

	function tile(k, value, sub, href, cls) {
		const inner = [h('span', { class: 'tv', 'data-k': 'tile-' + k }, value), h('span', { class: 'tl' }, t('db.' + k)), sub ? h('span', { class: 'ts' }, sub) : null];
		return h('li', { class: 'tile ' + (cls || '') }, href ? h('a', { href }, inner) : h('div', null, inner));
	}

	function attentionLink(a) {
		switch (a.kind) {
			case 'alert': return a.alert ? '#/alerts/' + encodeURIComponent(a.alert) : '#/alerts';
			case 'malware': return a.alert ? '#/alerts/' + encodeURIComponent(a.alert) : a.host ? '#/hosts/' + encodeURIComponent(a.host) : '#/alerts';
			case 'botnet': return CG.link('/triage', { unit: a.unit, state: 'open' });
			case 'offline': return a.host ? '#/hosts/' + encodeURIComponent(a.host) : CG.link('/hosts', { unit: a.unit });
			case 'vuln': return CG.link('/vulns', a.host ? { host: a.host, state: 'open' } : { unit: a.unit, state: 'open' });
			default: return '#/';
		}
	}

	/* Weeks of 7 days ending today (the last 12 weeks = 84 days): each labelled by its first day. */
	function weekly(days, values) {
		const d = [], v = [];
		for (let i = days.length % 7; i + 7 <= days.length; i += 7) {
			d.push(days[i]);
			v.push(values.slice(i, i + 7).reduce((a, b) => a + (b || 0), 0));
		}
		return [d, v];
	}

	function chart(key, days, values, color, weeks) {
		if (weeks) [days, values] = weekly(days, values);
		const label = t('db.tr.' + key + (weeks ? '.w' : ''));
		const box = h('div', { class: 'chart', role: 'img', 'aria-label': t(weeks ? 'db.chart.aria.w' : 'db.chart.aria', label, CG.num(values.reduce((a, b) => a + (b || 0), 0)), days.length) });
		const rows = days.map((d, i) => [d, values[i]]);
		const table = CG.table({ caption: label, cols: [weeks ? 'db.week' : 'db.day', { k: 'db.count', num: true }], rows, row: (r) => [CG.ymd(r[0]), CG.num(r[1])], cls: 'grid small' });
		const card = h('figure', { class: 'card chartcard', 'data-k': 'chart-' + key }, h('figcaption', null, label), box,
			h('details', null, h('summary', null, t('db.data')), table));
		CG.onMount(() => {
			if (!box.isConnected || !window.uPlot) return;
			const xs = days.map((s) => { const m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(s); return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 1000 : 0; });
			const two = (n) => (n < 10 ? '0' : '') + n;
			const dm = (s) => { const d = new Date(s * 1000); return two(d.getUTCDate()) + '/' + two(d.getUTCMonth() + 1); };
			const opts = {
				width: Math.max(200, box.clientWidth), height: 180,
				tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
				legend: { show: false },
				cursor: { y: false, points: { show: false } },
				scales: { x: { time: true, range: (u, min, max) => weeks ? [min - 302400, max + 302400] : [min - 43200, max + 43200] }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] } },
				axes: [
					{ values: (u, splits) => splits.map(dm), stroke: '#38424c', grid: { stroke: '#e4e8ec' }, ticks: { stroke: '#c9d0d6' } },
					{ stroke: '#38424c', grid: { stroke: '#e4e8ec' }, ticks: { stroke: '#c9d0d6' }, size: 40, values: (u, splits) => splits.map((v) => (Number.isInteger(v) ? CG.num(v) : '')) },
				],
				series: [
					{ value: (u, v) => (v == null ? '—' : CG.ymd(new Date(v * 1000).toISOString().slice(0, 10))) },
					{ label: label, stroke: color, fill: color + 'b3', width: 1, paths: uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, weeks ? 60 : 40] }) : undefined, points: { show: false } },
				],
			};
			const u = new uPlot(opts, [xs, values.map((v) => v || null)], box);
			let raf = 0;
			const ro = new ResizeObserver(() => {
				cancelAnimationFrame(raf);
				raf = requestAnimationFrame(() => { if (box.clientWidth) u.setSize({ width: box.clientWidth, height: 180 }); });
			});
			ro.observe(box);
			CG.onLeave(() => { ro.disconnect(); u.destroy(); });
		});
		return card;
	}

	CG.route('/', async ({ q }) => {
		const unit = q.get('unit') || '';
		const weeks = q.get('view') === 'weeks';
		const d = await load(unit, weeks ? 84 : DAYS);
		const tot = d.totals || {};
		const c = crumbs(d, unit);
		const leaf = !(d.units && d.units.length);
		const uq = (extra) => Object.assign(unit && leaf ? { unit } : {}, extra || {});
		const bc = c.length > 1 ? h('nav', { class: 'crumbs', 'aria-label': t('db.crumbs') }, h('ol', null, c.map((x, i) =>
			h('li', null, i === c.length - 1 ? h('span', { 'aria-current': 'page' }, x.name) : h('a', { href: CG.link('/', { unit: x.code || null }) }, x.name))))) : null;

		const tiles = h('ul', { class: 'tiles', 'aria-label': t('db.totals') },
			tile('hosts', CG.num(tot.hosts), t('db.onoff', CG.num(tot.online), CG.num(tot.offline)), CG.link('/hosts', uq())),
			tile('malware_hosts', CG.num(tot.malware_hosts), null, CG.link('/alerts', { kind: 'malware.detected', state: 'new' }), tot.malware_hosts ? 'bad' : ''),
			tile('vulnerable_hosts', CG.num(tot.vulnerable_hosts), null, CG.link('/vulns', uq({ state: 'open' })), tot.vulnerable_hosts ? 'warn' : ''),
			tile('botnet', CG.num(tot.botnet_handled) + ' / ' + CG.num(tot.botnet_total), t('db.botnet.sub'), CG.link('/triage', uq()),
				tot.botnet_total > tot.botnet_handled ? 'warn' : ''),
			tile('alerts_open', CG.num(tot.alerts_open), null, CG.link('/alerts'), tot.alerts_open ? 'bad' : ''),
			tile('incidents_open', CG.num(tot.incidents_open), null, null),
			tile('units', CG.num(tot.units), null, '#/units'));

		const units = CG.table({
			caption: t('db.units.cap', d.unit.name),
			cols: ['db.u.name', { k: 'db.u.hosts', num: true }, { k: 'db.u.offline', num: true }, { k: 'db.u.malware', num: true },
				{ k: 'db.u.vuln', num: true }, { k: 'db.u.botnet', num: true }, { k: 'db.u.alerts', num: true }, { k: 'db.u.incidents', num: true }],
			rows: d.units || [],
			rowHead: 0,
			row: (u) => [
				h('a', { href: CG.link('/', { unit: u.code }), onclick: down(c, u) }, u.name),
				CG.num(u.hosts),
				h('span', { class: u.offline ? 'warnt' : '' }, CG.num(u.offline)),
				h('span', { class: u.malware_hosts ? 'badt' : '' }, CG.num(u.malware_hosts)),
				CG.num(u.vulnerable_hosts),
				CG.num(u.botnet_handled) + ' / ' + CG.num(u.botnet_total),
				h('span', { class: u.alerts_open ? 'badt' : '' }, CG.num(u.alerts_open)),
				CG.num(u.incidents_open),
			],
			empty: t('db.units.none'),
			cls: 'grid units-table',
		});

		const att = d.attention || [];
		const attention = att.length ? h('ol', { class: 'attention', 'data-k': 'attention' }, att.map((a) =>
			h('li', { class: 'att sev-l' + (a.severity || 0) }, h('a', { href: attentionLink(a) },
				CG.sev(a.severity || 0), ' ',
				h('span', { class: 'ak' }, CG.has('att.' + a.kind) ? t('att.' + a.kind) : a.kind), ' ',
				h('span', { class: 'at' }, a.title || ''),
				h('span', { class: 'am' }, [a.unit_name || a.unit, a.hostname, a.count > 1 ? t('db.count.n', CG.num(a.count)) : null].filter(Boolean).join(' · ')))))) :
			h('p', { class: 'good' }, t('db.att.none'));

		const tr = d.trend || {};
		const days = tr.days || [];
		const charts = h('div', { class: 'charts' },
			chart('alerts', days, tr.alerts || [], '#c0392b', weeks),
			chart('detections', days, tr.detections || [], '#7b3fa0', weeks),
			chart('vulns_fixed', days, tr.vulns_fixed || [], '#1e7d32', weeks));
		const view = (w) => CG.link('/', Object.assign(unit ? { unit } : {}, w ? { view: 'weeks' } : {}));
		const toggle = h('nav', { class: 'views', 'aria-label': t('db.view') },
			h('a', { href: view(false), 'aria-current': weeks ? null : 'page', 'data-k': 'view-days' }, t('db.v.days')), ' · ',
			h('a', { href: view(true), 'aria-current': weeks ? 'page' : null, 'data-k': 'view-weeks' }, t('db.v.weeks')));

		return h('section', { class: 'page', 'data-page': 'dashboard' },
			bc,
			h('div', { class: 'ph' }, h('h1', null, t('db.title', d.unit.name)),
				unit ? h('a', { class: 'btnlink', href: CG.link('/units/' + encodeURIComponent(unit)) }, t('db.unitpage')) : null),
			tiles,
			h('div', { class: 'cols' },
				h('section', { class: 'card', 'aria-labelledby': 'att-h' }, h('h2', { id: 'att-h' }, t('db.att')), attention),
				h('section', { class: 'card', 'aria-labelledby': 'un-h' }, h('h2', { id: 'un-h' }, t('db.units')), units)),
			h('section', { 'aria-labelledby': 'tr-h' }, h('div', { class: 'ph' }, h('h2', { id: 'tr-h' }, weeks ? t('db.trend.w', 12) : t('db.trend', days.length)), toggle), charts));
	});

	CG.dict({
		'db.title': ['Bảng điều khiển: {0}', 'Dashboard: {0}'],
		'db.scope': ['Phạm vi của tôi', 'My scope'],
		'db.crumbs': ['Đường dẫn đơn vị', 'Unit path'],
		'db.unitpage': ['Thông tin đơn vị', 'Unit details'],
		'db.totals': ['Tổng quan', 'Totals'],
		'db.hosts': ['Máy trạm', 'Hosts'],
		'db.onoff': ['{0} trực tuyến · {1} mất kết nối', '{0} online · {1} offline'],
		'db.malware_hosts': ['Máy nhiễm mã độc', 'Hosts with malware'],
		'db.vulnerable_hosts': ['Máy có lỗ hổng', 'Vulnerable hosts'],
		'db.botnet': ['Botnet đã xử lý', 'Botnet handled'],
		'db.botnet.sub': ['đã xử lý / tổng số địa chỉ', 'handled / listed addresses'],
		'db.alerts_open': ['Cảnh báo đang mở', 'Open alerts'],
		'db.incidents_open': ['Sự cố đang mở', 'Open incidents'],
		'db.units': ['Các đơn vị', 'Units'],
		'db.units.cap': ['Các đơn vị trực thuộc {0}', 'Units under {0}'],
		'db.units.none': ['Không có đơn vị trực thuộc.', 'No units below this one.'],
		'db.u.name': ['Đơn vị', 'Unit'],
		'db.u.hosts': ['Máy', 'Hosts'],
		'db.u.offline': ['Mất kết nối', 'Offline'],
		'db.u.malware': ['Mã độc', 'Malware'],
		'db.u.vuln': ['Lỗ hổng', 'Vulnerable'],
		'db.u.botnet': ['Botnet (xử lý/tổng)', 'Botnet (handled/total)'],
		'db.u.alerts': ['Cảnh báo', 'Alerts'],
		'db.u.incidents': ['Sự cố', 'Incidents'],
		'db.att': ['Cần xử lý trước', 'Needs action first'],
		'db.att.none': ['Không có việc gì cần xử lý gấp.', 'Nothing urgent to handle.'],
		'db.count.n': ['{0} lần', '{0} times'],
		'att.malware': ['Mã độc', 'Malware'],
		'att.botnet': ['Botnet', 'Botnet'],
		'att.alert': ['Cảnh báo', 'Alert'],
		'att.offline': ['Mất kết nối', 'Offline'],
		'att.vuln': ['Lỗ hổng', 'Vulnerability'],
		'db.trend': ['Xu hướng {0} ngày qua', 'Trend over the last {0} days'],
		'db.trend.w': ['Xu hướng {0} tuần qua', 'Trend over the last {0} weeks'],
		'db.view': ['Khoảng thời gian', 'Period'],
		'db.v.days': ['Theo ngày', 'By day'],
		'db.v.weeks': ['Theo tuần', 'By week'],
		'db.week': ['Tuần từ ngày', 'Week from'],
		'db.tr.alerts': ['Cảnh báo mới mỗi ngày', 'New alerts per day'],
		'db.tr.detections': ['Phát hiện mã độc mỗi ngày', 'Malware detections per day'],
		'db.tr.vulns_fixed': ['Lỗ hổng đã vá mỗi ngày', 'Vulnerabilities fixed per day'],
		'db.tr.alerts.w': ['Cảnh báo mới mỗi tuần', 'New alerts per week'],
		'db.tr.detections.w': ['Phát hiện mã độc mỗi tuần', 'Malware detections per week'],
		'db.tr.vulns_fixed.w': ['Lỗ hổng đã vá mỗi tuần', 'Vulnerabilities fixed per week'],
		'db.chart.aria': ['Biểu đồ cột: {0}; tổng {1} trong {2} ngày. Số liệu chi tiết ở bảng bên dưới.', 'Bar chart: {0}; {1} in total over {2} days. The figures are in the table below.'],
		'db.chart.aria.w': ['Biểu đồ cột: {0}; tổng {1} trong {2} tuần. Số liệu chi tiết ở bảng bên dưới.', 'Bar chart: {0}; {1} in total over {2} weeks. The figures are in the table below.'],
		'db.data': ['Xem số liệu', 'Show the figures'],
		'db.day': ['Ngày', 'Day'],
		'db.count': ['Số lượng', 'Count'],
	});
})();
