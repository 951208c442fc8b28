/* mxt: sortable tables and the alerts filter. Offline on purpose: no CDN, no library.
   Tables inside <div class="mxt-sortable"> sort by a click on a column heading (again:
   the other way); status badges sort worst first, figures as numbers, dates as text.
   An <input class="mxt-filter"> hides the table rows that do not contain its text. */
(function () {
  "use strict";
  var WORST_FIRST = ["critical", "overspent", "missed", "off_track", "delayed", "overdue",
    "high", "at_risk", "over", "warning", "blocked", "medium", "no_data", "done_late", "open",
    "not_started", "on_track", "in_progress", "ok", "info", "low", "achieved", "done",
    "closed", "cancelled"];

  function sortKey(cell) {
    var badge = cell.querySelector(".mxt-badge");
    if (badge) {
      for (var i = 0; i < WORST_FIRST.length; i++) {
        if (badge.classList.contains("mxt-" + WORST_FIRST[i])) return [0, i, ""];
      }
    }
    var text = cell.textContent.trim();
    if (text === "" || text === "\u2014") return [3, 0, ""];  // a dash: always last
    var ratio = text.match(/^1:(-?[\d.]+)/);
    if (ratio) return [1, parseFloat(ratio[1]), ""];
    if (!/^\d{4}-\d{2}-\d{2}/.test(text)) {
      var number = text.replace(/,/g, "").match(/^-?\d+(\.\d+)?/);
      if (number) return [1, parseFloat(number[0]), ""];
    }
    return [2, 0, text];
  }

  function compare(a, b) {
    if (a[0] !== b[0]) return a[0] - b[0];
    if (a[1] !== b[1]) return a[1] - b[1];
    return a[2].localeCompare(b[2], document.documentElement.lang || undefined);
  }

  function sortable(table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, column) {
      th.classList.add("mxt-sort");
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      function sort() {
        // first click: ascending (badges worst first, figures smallest first); again: reversed
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.map.call(body.rows, function (row, n) {
          return {row: row, n: n, key: sortKey(row.cells[column] || row)};
        });
        rows.sort(function (a, b) {
          var c = compare(a.key, b.key);
          if (a.key[0] === 3 || b.key[0] === 3) return c || a.n - b.n;  // dashes stay last
          return (ascending ? c : -c) || a.n - b.n;
        });
        rows.forEach(function (r) { body.appendChild(r.row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }

  function filter(input) {
    var content = input.closest(".md-content") || document;
    function apply() {
      var wanted = input.value.trim().toLowerCase();
      content.querySelectorAll("table tbody tr").forEach(function (row) {
        if (row.querySelector(".mxt-filter-by")) return;  // the owners' summary stays whole
        row.hidden = wanted !== "" && row.textContent.toLowerCase().indexOf(wanted) < 0;
      });
    }
    input.addEventListener("input", apply);
    content.querySelectorAll(".mxt-filter-by").forEach(function (name) {
      name.tabIndex = 0;
      name.setAttribute("role", "button");
      function pick() {
        input.value = input.value === name.textContent ? "" : name.textContent;
        apply();
        input.scrollIntoView({block: "center"});
      }
      name.addEventListener("click", pick);
      name.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); }
      });
    });
  }

  function start() {
    document.querySelectorAll(".mxt-sortable table").forEach(sortable);
    document.querySelectorAll("input.mxt-filter").forEach(filter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
