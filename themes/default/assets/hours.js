/* curator default theme: the "open now / opens at" line of the practical
 * information page, computed in the visitor's browser from the data-hours
 * attribute (written by curator build) in the library's own time zone. */
(function () {
	"use strict";
	var el = document.getElementById("hours-now");
	if (!el || !window.Intl)
		return;
	var data;
	try {
		data = JSON.parse(el.getAttribute("data-hours"));
	} catch (e) {
		return;
	}
	var dayIndex = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

	function parts(date) {
		var f = new Intl.DateTimeFormat("en-GB", {
			timeZone: data.timezone, weekday: "short", year: "numeric",
			month: "2-digit", day: "2-digit", hour: "2-digit",
			minute: "2-digit", hourCycle: "h23"
		});
		var p = {};
		f.formatToParts(date).forEach(function (x) { p[x.type] = x.value; });
		return {
			day: dayIndex[p.weekday],
			iso: p.year + "-" + p.month + "-" + p.day,
			minutes: parseInt(p.hour, 10) * 60 + parseInt(p.minute, 10)
		};
	}

	function hhmm(m) {
		var h = Math.floor(m / 60), mm = m % 60;
		return (h < 10 ? "0" : "") + h + ":" + (mm < 10 ? "0" : "") + mm;
	}

	function spansOn(p) {
		if (data.closures.indexOf(p.iso) >= 0)
			return [];
		return data.days[p.day] || [];
	}

	var now = new Date();
	var today = parts(now);
	var spans = spansOn(today);
	var s = data.strings;
	var i, text = null;
	for (i = 0; i < spans.length; i++)
		if (today.minutes >= spans[i][0] && today.minutes < spans[i][1])
			text = s.open_now + ", " + s.closes_at + " " + hhmm(spans[i][1]);
	if (text === null) {
		for (i = 0; i < spans.length && text === null; i++)
			if (spans[i][0] > today.minutes)
				text = s.closed_now + ". " + s.opens_at + " " +
					hhmm(spans[i][0]);
		for (var d = 1; d <= 14 && text === null; d++) {
			var p = parts(new Date(now.getTime() + d * 86400000));
			var next = spansOn(p);
			if (next.length > 0)
				text = s.closed_now + ". " + s.opens_day + " " +
					s.days[p.day].toLowerCase() + " " + s.at +
					" " + hhmm(next[0][0]);
		}
		if (text === null)
			text = s.closed_now;
	}
	el.textContent = text;
	el.hidden = false;
})();
