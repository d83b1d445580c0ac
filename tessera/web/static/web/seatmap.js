/* Tessera's seat map.
 *
 * Renders a hall's seats as one SVG from the compact JSON of the public seat-map endpoint
 * (/api/shows/<id>/seats/), then polls it to show seats others take or free. One delegated
 * handler for clicks and one for keys serve every seat (no per-seat listeners): a 5,000-seat
 * hall is one string of markup parsed once.
 *
 * The visitor's selection is one hold on the server: each change posts the whole selection to
 * /shows/<id>/seats/select/ (JSON), which replaces the hold in one transaction, or refuses and
 * names the seats someone else took. The countdown runs from the seconds the server gives.
 * Keyboard: Tab reaches the map (one tab stop), arrow keys move between seats, Home/End go to
 * the ends of a row, Enter or Space choose.
 */
(function () {
  "use strict";
  var root = document.getElementById("seatmap");
  var configNode = document.getElementById("seatmap-config");
  if (!root || !configNode) return;
  var cfg = JSON.parse(configNode.textContent);
  var T = cfg.text;
  var NS = "http://www.w3.org/2000/svg";
  var SEAT = 20, PITCH = 24, LABEL = 30;

  var scroll = root.querySelector(".seatmap-scroll");
  var panel = document.getElementById("seat-panel");
  var statusNode = document.getElementById("seatmap-status");
  var alertNode = document.getElementById("seatmap-alert");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var moneyFormat = new Intl.NumberFormat(cfg.language, { style: "currency", currency: cfg.currency });
  var prices = new Map();    // a hall has a few prices: each is formatted once
  function money(price) {
    var text = prices.get(price);
    if (text === undefined) { text = moneyFormat.format(Number(price)); prices.set(price, text); }
    return text;
  }

  var seats = [];            // layout order; each {id,row,number,category,price,accessible,status,r,k,el}
  var byId = new Map();
  var rows = [];             // rows[r] = {label, items: [seat index, ...]} (by number)
  var held = new Set(cfg.selection.seatIds);   // the seats the server says we hold
  var want = new Set(held);  // what the visitor asked for (differs while a request is on its way)
  var busy = false;
  var deadline = 0;
  var ticker = null;
  var svg = null;
  var focusIndex = -1;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function label(s) {
    return fmt(T.seat, { row: s.row, number: s.number });
  }

  function stateText(s) {
    if (held.has(s.id)) return T.selected;
    if (s.status === "blocked") return T.blocked;
    if (s.status === "held" || s.status === "booked") return T.taken;
    return T.available;
  }

  function fullLabel(s) {
    var parts = [label(s), s.category, money(s.price)];
    if (s.accessible) parts.push(T.accessible);
    parts.push(stateText(s));
    return parts.join(", ");
  }

  function isTaken(s) {
    return (s.status === "held" || s.status === "booked") && !held.has(s.id);
  }

  function classes(s) {
    var c = "seat";
    if (s.accessible) c += " is-acc";
    if (held.has(s.id)) c += want.has(s.id) ? " is-mine" : " is-pending";
    else if (want.has(s.id)) c += " is-pending";
    else if (s.status === "blocked") c += " is-blocked";
    else if (isTaken(s)) c += " is-taken";
    return c;
  }

  function paint(s) {
    if (!s.el) return;
    s.el.setAttribute("class", classes(s));
    s.el.setAttribute("aria-checked", held.has(s.id) ? "true" : "false");
    s.el.setAttribute("aria-disabled", s.status === "blocked" || isTaken(s) ? "true" : "false");
    s.el.setAttribute("aria-label", fullLabel(s));
  }

  function escapeXml(text) {
    return String(text).replace(/[&<>"]/g, function (ch) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[ch];
    });
  }

  function build(data) {
    var rowIndex = new Map();
    seats = data.seats;
    seats.forEach(function (s, i) {
      var r = rowIndex.get(s.row);
      if (r === undefined) {
        r = rows.length;
        rowIndex.set(s.row, r);
        rows.push({ label: s.row, items: [], min: s.number, max: s.number });
      }
      var row = rows[r];
      s.r = r;
      s.k = row.items.length;
      row.items.push(i);
      row.min = Math.min(row.min, s.number);
      row.max = Math.max(row.max, s.number);
      byId.set(s.id, s);
    });
    var span = 0;
    rows.forEach(function (row) { span = Math.max(span, row.max - row.min); });
    var width = LABEL * 2 + (span + 1) * PITCH;
    var height = rows.length * PITCH + 4;
    var out = [];
    rows.forEach(function (row, r) {
      var shift = (span - (row.max - row.min)) / 2 - row.min;
      var y = r * PITCH + 2;
      out.push('<text class="row-label" x="' + (LABEL / 2) + '" y="' + (y + 15) + '">' + escapeXml(row.label) + "</text>");
      out.push('<text class="row-label" x="' + (width - LABEL / 2) + '" y="' + (y + 15) + '">' + escapeXml(row.label) + "</text>");
      row.items.forEach(function (i) {
        var s = seats[i];
        var x = LABEL + (s.number + shift) * PITCH + 2;
        var colour = cfg.colours[s.category] || "#0f7d69";
        out.push('<rect id="seat-' + s.id + '" data-i="' + i + '" x="' + x + '" y="' + y +
          '" width="' + SEAT + '" height="' + SEAT + '" rx="' + (s.accessible ? 10 : 4) +
          '" fill="' + colour + '" class="' + classes(s) + '" role="checkbox" tabindex="-1"' +
          ' aria-checked="' + (held.has(s.id) ? "true" : "false") + '" aria-disabled="' +
          (s.status === "blocked" || isTaken(s) ? "true" : "false") + '" aria-label="' +
          escapeXml(fullLabel(s)) + '"></rect>');
      });
    });
    scroll.innerHTML = '<svg xmlns="' + NS + '" class="seatmap-svg" role="group" aria-label="' +
      escapeXml(T.mapLabel) + '" aria-describedby="seatmap-help" viewBox="0 0 ' + width + " " +
      height + '" style="min-width:' + width + 'px">' + out.join("") + "</svg>";
    svg = scroll.firstChild;
    scroll.scrollLeft = (scroll.scrollWidth - scroll.clientWidth) / 2;  // the middle first
    var nodes = svg.querySelectorAll("rect.seat");
    for (var n = 0; n < nodes.length; n++) seats[Number(nodes[n].getAttribute("data-i"))].el = nodes[n];
    var first = seats.findIndex(function (s) { return held.has(s.id); });
    if (first < 0) first = seats.findIndex(function (s) { return s.status === "available"; });
    setFocusable(first < 0 ? 0 : first);
  }

  function setFocusable(i) {
    if (!seats.length) return;
    if (focusIndex >= 0 && seats[focusIndex].el) seats[focusIndex].el.setAttribute("tabindex", "-1");
    focusIndex = i;
    seats[i].el.setAttribute("tabindex", "0");
  }

  function moveTo(i) {
    setFocusable(i);
    seats[i].el.focus();
  }

  function say(text) {
    statusNode.textContent = text;
  }

  function warn(text, link) {
    alertNode.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      alertNode.append(" ", a);
    }
  }

  function tick() {
    var timer = panel.querySelector(".hold-timer");
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (timer) {
      var text = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      timer.textContent = fmt(T.heldFor, { time: text });
      timer.classList.toggle("is-low", left < 60);
    }
    if (left === 0 && held.size && !busy) {
      warn(T.expired);
      want = new Set();
      send();
    }
  }

  function setTimer(seconds) {
    deadline = Date.now() + seconds * 1000;
    if (ticker) clearInterval(ticker);
    ticker = held.size ? setInterval(tick, 1000) : null;
    if (held.size) tick();
  }

  function applySelection(body) {
    var before = new Set(held);
    held = new Set(body.seatIds || []);
    panel.innerHTML = body.panel || "";
    setTimer(body.expiresIn || 0);
    before.forEach(function (id) { var s = byId.get(id); if (s) { if (!held.has(id) && s.status === "held") s.status = "available"; paint(s); } });
    held.forEach(function (id) { var s = byId.get(id); if (s) { s.status = "held"; paint(s); } });
  }

  function send(extra) {
    busy = true;
    var body = new URLSearchParams();
    if (extra) extra.forEach(function (value, key) { body.append(key, value); });
    else want.forEach(function (id) { body.append("seat", id); });
    var asked = new Set(want);
    return fetch(cfg.selectUrl, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (data.seatIds !== undefined) applySelection(data);
      if (result.ok) {
        alertNode.textContent = "";
        say(held.size ? fmt(T.yourSeats, { seats: Array.from(held).map(function (id) { return label(byId.get(id)); }).join(", ") }) : "");
        if (extra) want = new Set(held);
      } else {
        var lost = (data.taken || []).map(function (id) { return byId.get(id); }).filter(Boolean);
        lost.forEach(function (s) { s.status = "booked"; });
        want = new Set(held);
        if (lost.length) warn(fmt(T.lost, { seats: lost.map(label).join(", ") }));
        else if (data.code === "not_authenticated") warn(T.signIn, { href: cfg.signInUrl, text: T.signInLink });
        else warn(data.message || T.failed);
      }
      asked.forEach(function (id) { var s = byId.get(id); if (s) paint(s); });
      want.forEach(function (id) { var s = byId.get(id); if (s) paint(s); });
    }).catch(function () {
      want = new Set(held);
      warn(T.failed);
      seats.forEach(paint);
    }).then(function () {
      busy = false;
      if (!sameSet(want, held)) send();
    });
  }

  function sameSet(a, b) {
    if (a.size !== b.size) return false;
    var same = true;
    a.forEach(function (id) { if (!b.has(id)) same = false; });
    return same;
  }

  function toggle(i) {
    var s = seats[i];
    if (!cfg.signedIn) { warn(T.signIn, { href: cfg.signInUrl, text: T.signInLink }); return; }
    if (s.status === "blocked" || isTaken(s)) { say(fullLabel(s)); return; }
    if (want.has(s.id)) want.delete(s.id); else want.add(s.id);
    paint(s);
    if (!busy) send();
  }

  function seatOf(target) {
    var el = target && target.closest ? target.closest("rect.seat") : null;
    return el ? Number(el.getAttribute("data-i")) : -1;
  }

  function nearestInRow(r, x) {
    var best = rows[r].items[0], bestDistance = Infinity;
    rows[r].items.forEach(function (i) {
      var d = Math.abs(Number(seats[i].el.getAttribute("x")) - x);
      if (d < bestDistance) { bestDistance = d; best = i; }
    });
    return best;
  }

  function onKey(event) {
    var i = seatOf(event.target);
    if (i < 0) return;
    var s = seats[i], row = rows[s.r], next = -1;
    switch (event.key) {
      case "ArrowLeft": next = row.items[Math.max(0, s.k - 1)]; break;
      case "ArrowRight": next = row.items[Math.min(row.items.length - 1, s.k + 1)]; break;
      case "Home": next = row.items[0]; break;
      case "End": next = row.items[row.items.length - 1]; break;
      case "ArrowUp": if (s.r > 0) next = nearestInRow(s.r - 1, Number(s.el.getAttribute("x"))); break;
      case "ArrowDown": if (s.r < rows.length - 1) next = nearestInRow(s.r + 1, Number(s.el.getAttribute("x"))); break;
      case "Enter": case " ": event.preventDefault(); toggle(i); return;
      default: return;
    }
    event.preventDefault();
    if (next >= 0) moveTo(next);
  }

  function refresh(data) {
    data.seats.forEach(function (fresh) {
      var s = byId.get(fresh.id);
      if (s && s.status !== fresh.status) { s.status = fresh.status; paint(s); }
    });
  }

  function poll() {
    if (document.visibilityState !== "visible" || busy) return;
    fetch(cfg.seatsUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && !busy) refresh(data); })
      .catch(function () { /* the next poll tries again */ });
  }

  function wireForms() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.id === "best-form") {
        event.preventDefault();
        if (!cfg.signedIn) { warn(T.signIn, { href: cfg.signInUrl, text: T.signInLink }); return; }
        if (!busy) send(new FormData(form));
      } else if (form.querySelector && form.querySelector("#clear-seats")) {
        event.preventDefault();
        want = new Set();
        if (!busy) send();
      }
    });
  }

  fetch(cfg.seatsUrl, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      build(data);
      svg.addEventListener("click", function (event) {
        var i = seatOf(event.target);
        if (i >= 0) { setFocusable(i); toggle(i); }
      });
      svg.addEventListener("keydown", onKey);
      wireForms();
      setTimer(cfg.selection.expiresIn || 0);
      setInterval(poll, cfg.pollMs);
      root.setAttribute("data-ready", "true");
      if (window.performance && performance.mark) performance.mark("seatmap-ready");
    })
    .catch(function () {
      scroll.textContent = T.failed;
    });
})();
