/* storyline web UI: draws the charts from the JSON blocks the server puts in the page
   (<script type="application/json">), with the vendored Chart.js. Every page works
   without this file: each chart has a table beside it, which is folded away once the
   chart is drawn. Text from ingested pages only ever reaches the canvas as text. */
(function () {
  "use strict";

  // The outlet badge colours of app.css (.outlet-0 ... .outlet-7), in order.
  var PALETTE = ["#1f5f8b", "#8a3b12", "#2e6b30", "#6b3fa0", "#9b1c4a", "#0f6e6e", "#735400", "#4a4f57"];
  var COOPERATION = "#2e6b30";
  var CONFLICT = "#9b1c4a";

  function colour(series) {
    return PALETTE[(series.colour || 0) % PALETTE.length];
  }

  function dayText(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function clockText(ms) {  // "03-10 18:00" (UTC, as the pages print times)
    return new Date(ms).toISOString().slice(5, 16).replace("T", " ");
  }

  // Over a few days a figure's axis needs the hour as well as the day.
  var SHORT_SPAN_MS = 5 * 24 * 3600 * 1000;

  function moment(text) {
    // "2025-03-10" (a day) or "2025-03-10T08:20:00-04:00" (a minute, with its zone)
    var ms = Date.parse(text && text.length === 10 ? text + "T12:00:00Z" : text);
    return isNaN(ms) ? null : ms;
  }

  var builders = {
    "posts-per-outlet": function (data) {
      return {
        type: "bar",
        data: {
          labels: data.days,
          datasets: data.series.map(function (s) {
            return { label: s.outlet, data: s.values, backgroundColor: colour(s) };
          })
        },
        options: { scales: { y: { beginAtZero: true, title: { display: true, text: "posts" }, ticks: { precision: 0 } } } }
      };
    },
    "event-score": function (data) {
      return {
        type: "bar",
        data: {
          labels: data.days,
          datasets: [{
            label: "mean event score",
            data: data.scores,
            backgroundColor: data.scores.map(function (v) { return v >= 0 ? COOPERATION : CONFLICT; })
          }]
        },
        options: {
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { afterLabel: function (item) { return data.events[item.dataIndex] + " events"; } } }
          },
          scales: { y: { suggestedMin: -10, suggestedMax: 10, title: { display: true, text: "conflict (−) · cooperation (+)" } } }
        }
      };
    },
    "figure": function (data) {
      var times = [];
      data.series.forEach(function (s) { s.points.forEach(function (p) { times.push(moment(p.published)); }); });
      times = times.filter(function (t) { return t !== null; });
      var short = times.length && Math.max.apply(null, times) - Math.min.apply(null, times) < SHORT_SPAN_MS;
      return {
        type: "scatter",
        data: {
          datasets: data.series.map(function (s) {
            return {
              label: s.outlet,
              showLine: false,  // one thing counted under one noun can still be different counts: points, not a trend line
              borderColor: colour(s),
              backgroundColor: colour(s),
              pointRadius: 6,
              pointHoverRadius: 8,
              data: s.points.map(function (p) { return { x: moment(p.published), y: p.value, text: p.text }; })
                .filter(function (p) { return p.x !== null; })
                .sort(function (a, b) { return a.x - b.x; })
            };
          })
        },
        options: {
          plugins: {
            tooltip: {
              callbacks: {
                label: function (item) { return item.dataset.label + ": " + item.raw.text + " (" + clockText(item.raw.x) + ")"; }
              }
            }
          },
          scales: {
            x: { type: "linear", grace: "5%", title: { display: true, text: "UTC" },
                 ticks: { callback: function (v) { return short ? clockText(v) : dayText(v); },
                          stepSize: short ? 6 * 3600 * 1000 : 24 * 3600 * 1000 } },
            y: { beginAtZero: true, grace: "10%", title: { display: true, text: data.what || "" } }
          }
        }
      };
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-source"));
    var build = builders[canvas.getAttribute("data-chart")];
    if (!source || !build || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var config = build(data);
    config.options = config.options || {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    canvas.chart = new Chart(canvas, config);
    canvas.setAttribute("data-drawn", "true");
    var section = canvas.closest("section");
    var table = section && section.querySelector("details.chart-table");
    if (table) { table.open = false; }
  }

  function drawAll(root) {
    var canvases = (root || document).querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) {
      if (!canvases[i].chart) { draw(canvases[i]); }
    }
  }

  // Forms htmx sends leave out their empty fields, so the address it pushes reads like
  // the one a plain form would give, without the clutter ("?outlet=X", not "?outlet=X&entity=&...").
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (name) {
      if (params[name] === "") { delete params[name]; }
    });
  });

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
