/* curator default theme: the search page. Loads search/index.json (built
 * by curator build) and filters it as the visitor types. Accent- and
 * case-insensitive: the index's "k" field is already folded, the query is
 * folded here the same way. No network request but the index itself. */
(function () {
	"use strict";
	var app = document.getElementById("search-app");
	var input = document.getElementById("search-input");
	var list = document.getElementById("search-list");
	var status = document.getElementById("search-status");
	if (!app || !input || !list || !status || !window.fetch)
		return;
	var index = null;

	function fold(s) {
		return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
			.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae")
			.replace(/ß/g, "ss");
	}

	function words(s) {
		return fold(s).split(/[^0-9a-z\u00c0-\uffff]+/).filter(
			function (w) { return w.length > 0; });
	}

	function matches(entry, terms) {
		var k = " " + entry.k + " ";
		for (var i = 0; i < terms.length; i++)
			if (k.indexOf(" " + terms[i]) < 0)
				return false;
		return true;
	}

	function show(query) {
		var terms = words(query);
		while (list.firstChild)
			list.removeChild(list.firstChild);
		if (terms.length === 0) {
			status.textContent = "";
			return;
		}
		var found = index.filter(function (e) { return matches(e, terms); });
		status.textContent = found.length === 0 ? app.dataset.none :
			found.length + " " + app.dataset.count;
		found.slice(0, 100).forEach(function (e) {
			var li = document.createElement("li");
			var a = document.createElement("a");
			a.href = e.u;
			a.textContent = e.t;
			li.appendChild(a);
			if (e.d) {
				var time = document.createElement("time");
				time.dateTime = e.d;
				time.textContent = " " + e.d;
				li.appendChild(time);
			}
			if (e.s) {
				var p = document.createElement("p");
				p.textContent = e.s;
				li.appendChild(p);
			}
			list.appendChild(li);
		});
	}

	function start() {
		app.hidden = false;
		var q = new URLSearchParams(window.location.search).get("q");
		if (q) {
			input.value = q;
			show(q);
		}
		input.addEventListener("input", function () { show(input.value); });
		input.form.addEventListener("submit", function (event) {
			event.preventDefault();
			show(input.value);
			var url = new URL(window.location.href);
			url.searchParams.set("q", input.value);
			window.history.replaceState(null, "", url);
		});
	}

	fetch(app.dataset.index, { credentials: "same-origin" })
		.then(function (r) { return r.json(); })
		.then(function (data) { index = data; start(); })
		.catch(function () { app.hidden = true; });
})();
