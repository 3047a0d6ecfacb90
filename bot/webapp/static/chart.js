// Charts as inline SVG (document.createElementNS): no library, no build step, and the CSP allows
// nothing remote. The series come from the server as /kpi's chart draws them; this only draws.
// Colours are CSS classes (dashboard.css) over the theme's variables, so dark theme just works.
const NS = "http://www.w3.org/2000/svg";
const W = 340; // the viewBox width; the SVG is drawn at 100% of the screen's width
const PAD = { left: 6, right: 6, top: 10, bottom: 20 };

export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function points(values, x, y) {
  return values.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter(Boolean).join(" ");
}

// Cumulative sales against the plan line, one column per day. Tapping a day up to today calls
// onPick(index); the picked day gets a marker. `labels(i)` names a day on the x axis.
export function paceChart({ days, fact, plan, today, labels, title, onPick }) {
  const H = 190;
  const n = days.length;
  const top = Math.max(1, ...fact.filter((v) => v !== null), ...(plan || []));
  const step = (W - PAD.left - PAD.right) / n;
  const x = (i) => PAD.left + step * (i + 0.5);
  const y = (v) => H - PAD.bottom - (v / top) * (H - PAD.bottom - PAD.top);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title },
    svg("title", { text: title }),
    svg("line", { class: "axis", x1: PAD.left, x2: W - PAD.right, y1: y(0), y2: y(0) }));
  if (today >= 0 && today < n) {
    chart.append(svg("line", { class: "today", x1: x(today), x2: x(today), y1: PAD.top, y2: y(0) }));
  }
  if (plan) chart.append(svg("polyline", { class: "plan", points: points(plan, x, y) }));
  chart.append(svg("polyline", { class: "fact", points: points(fact, x, y) }));
  // Day labels at the start, the end and today, so a phone's width never crowds them.
  const ticks = new Set([0, n - 1]);
  if (today >= 0 && today < n) ticks.add(today);
  for (const i of [...ticks].sort((a, b) => a - b)) {
    const anchor = i === 0 ? "start" : i === n - 1 ? "end" : "middle";
    const near = i !== today && Math.abs(i - today) < n / 8; // would overlap today's label
    if (!near) chart.append(svg("text", { class: "tick", x: x(i), y: H - 5, "text-anchor": anchor, text: labels(i) }));
  }
  const marker = svg("g", { class: "picked", visibility: "hidden" },
    svg("line", { x1: 0, x2: 0, y1: PAD.top, y2: y(0) }), svg("circle", { r: 4 }));
  chart.append(marker);
  // Transparent columns, full height, one per day so far: a fingertip finds a day easily.
  const hits = svg("g", { class: "hits" });
  for (let i = 0; i < n && fact[i] !== null; i++) {
    hits.append(svg("rect", { x: PAD.left + step * i, y: 0, width: step, height: H, "data-day": days[i] }));
  }
  chart.append(hits);
  hits.addEventListener("click", (event) => {
    const day = event.target.getAttribute("data-day");
    const i = days.indexOf(day);
    if (i < 0) return;
    marker.setAttribute("visibility", "visible");
    marker.firstChild.setAttribute("x1", x(i));
    marker.firstChild.setAttribute("x2", x(i));
    marker.lastChild.setAttribute("cx", x(i));
    marker.lastChild.setAttribute("cy", y(fact[i]));
    chart.setAttribute("data-picked", day);
    onPick(i);
  });
  return chart;
}

// Bars with their counts over them; `current` is highlighted. `labels(i)` names a bar.
export function barChart({ values, current, labels, title }) {
  const H = 120;
  const n = values.length;
  const top = Math.max(1, ...values);
  const step = (W - PAD.left - PAD.right) / Math.max(n, 1);
  const base = H - PAD.bottom;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart bars", role: "img", "aria-label": title },
    svg("title", { text: title }));
  const every = Math.ceil(n / 6);
  values.forEach((value, i) => {
    const height = (value / top) * (base - PAD.top - 12);
    const left = PAD.left + step * i;
    chart.append(svg("rect", {
      class: i === current ? "bar now" : "bar", x: left + step * 0.15, y: base - height,
      width: step * 0.7, height, "data-count": value,
    }));
    chart.append(svg("text", { class: "count", x: left + step / 2, y: base - height - 3, "text-anchor": "middle", text: String(value) }));
    if ((n - 1 - i) % every === 0) {
      chart.append(svg("text", { class: "tick", x: left + step / 2, y: H - 5, "text-anchor": "middle", text: labels(i) }));
    }
  });
  return chart;
}
