/* 99-boot.js - start: the frame, the dashboard's data fetched alongside GET /me, then the page. */
(() => {
	'use strict';
	const CG = window.CG;
	function start() {
		CG.header();
		if (CG.early) CG.early();
		CG.boot();
	}
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();
