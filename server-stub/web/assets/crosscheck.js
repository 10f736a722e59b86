// "Selisih dengan KPU": the desk's counted sheets beside KPU's published numbers
// (GET /api/v1/crosscheck, docs/crosscheck.md), by area and down to one TPS with its photo.
// Uses app.js's helpers ($, esc, num, api, badge, localTime, me).
"use strict";

let xlang = (() => { try { return localStorage.getItem("rekap.lang") === "en" ? "en" : "id"; } catch (e) { return "id"; } })();
const X = () => CROSSCHECK_TEXT[xlang];

function crosscheckNav() {
  const a = document.querySelector('[data-nav="selisih"]');
  if (a) a.textContent = X().nav;
}

// The language switch of this page: the rest of the dashboard is in Bahasa Indonesia only.
function langButton() {
  return `<button class="link lang" id="xlang" data-test="lang">${esc(X().other)}</button>`;
}
function bindLang() {
  $("#xlang").onclick = () => {
    xlang = xlang === "en" ? "id" : "en";
    try { localStorage.setItem("rekap.lang", xlang); } catch (e) { /* private mode */ }
    document.documentElement.lang = xlang;
    crosscheckNav();
    render();
  };
  document.documentElement.lang = xlang;
}

const signed = (n) => (n > 0 ? "+" : n < 0 ? "−" : "") + num(Math.abs(n));

function categoryBadge(t) {
  const cls = { same: "accepted", different: "conflict", desk_only: "pending", kpu_only: "on_device", none: "pending" }[t.category];
  return badge(cls, X()[t.category]) + (t.kpu_misread ? badge("rejected", `${X().kpu_misread}: ${t.kpu_rules.join(", ")}`) : "");
}

function xRoute(contest, area, imp) {
  return `#/selisih/${contest}/${area}${imp ? "/" + imp : ""}`;
}

function importLine(d, contest, area) {
  if (!d.import) return `<p class="error" data-test="no-import">${esc(X().noImport)}</p>`;
  const im = d.import;
  const older = d.imports.length > 1 ? `<label>${esc(X().older)}
    <select id="ximport">${d.imports.slice().reverse().map((i) =>
      `<option value="${i.id}" ${i.id === im.id ? "selected" : ""}>#${i.id} ${esc(i.file_name)} · ${esc(localTime(i.imported_at))}</option>`).join("")}</select></label>` : "";
  return `<div class="kpu-import" data-test="import">${esc(X().import)} #${im.id}: <strong>${esc(im.file_name)}</strong>
    · SHA-256 <code title="${esc(im.file_sha256)}">${esc(im.file_sha256.slice(0, 16))}…</code>
    · ${esc(X().importedAt)} ${esc(localTime(im.imported_at))} · ${num(im.rows)} ${esc(X().rows)} ${older}</div>`;
}

function countCards(n, withChanges) {
  const keys = ["same", "different", "desk_only", "kpu_only", "kpu_misread", ...(withChanges ? ["kpu_changed"] : [])];
  return `<div class="cards xcounts" data-test="counts">${keys.map((k) =>
    `<div class="card stat x-${k}"><div class="label">${esc(X()[k])}</div><div class="value" data-count="${k}">${num(n[k])}</div></div>`).join("")}</div>`;
}

// Both sources over the TPS both have (docs/crosscheck.md, "By area"): a row is red only when
// a TPS in both differs in that box; what one source alone has stands in its own columns.
function lineLabel(l) {
  const box = X().boxes[l.field];
  return `${l.number ? String(l.number).padStart(2, "0") + " " : ""}${esc(l.label)}${box ? ` <span class="muted">${esc(box)}</span>` : ""}`;
}

function linesTable(d) {
  const both = d.counts.same + d.counts.different;
  return `<p class="muted" data-test="compared">${esc(X().compared(num(both)))}</p>
    <div class="scroll"><table class="compact xtable" data-test="lines"><thead><tr><th>${esc(X().line)}</th><th class="num">${esc(X().desk)}</th>
    <th class="num">${esc(X().kpu)}</th><th class="num">${esc(X().delta)}</th><th class="num">${esc(X().tpsDiffering)}</th>
    <th class="num">${esc(X().onlyDesk)}</th><th class="num">${esc(X().onlyKpu)}</th></tr></thead>
    <tbody>${d.lines.map((l) => `<tr class="${l.differing ? "diff" : ""}" data-field="${esc(l.field)}"><td>${lineLabel(l)}${l.kpu_blank ? `<div class="muted">${esc(X().kpuBlank(num(l.kpu_blank)))}</div>` : ""}</td>
      <td class="num">${num(l.desk)}</td><td class="num">${num(l.kpu)}</td><td class="num" data-test="delta">${signed(l.delta)}</td>
      <td class="num">${esc(X().ofTps(num(l.differing), num(l.tps)))}</td>
      <td class="num muted">${num(l.desk_only)}</td><td class="num muted">${num(l.kpu_only)}</td></tr>`).join("")}</tbody></table></div>`;
}

function diffText(t) {
  return t.differences.map((d) => `<span class="xdiff">${esc(d.label)}: ${d.desk === null ? "–" : num(d.desk)} → ${num(d.kpu)}${d.delta === null ? "" : ` (${signed(d.delta)})`}</span>`).join(" ");
}

async function renderCrosscheck(contest, area, imp) {
  const q = `contest=${encodeURIComponent(contest)}&area=${encodeURIComponent(area)}${imp ? "&import=" + encodeURIComponent(imp) : ""}`;
  const d = await api(`/api/v1/crosscheck?${q}`);
  const tabs = me.contests.map((c) =>
    `<a class="tab ${c.code === contest ? "active" : ""}" href="${xRoute(c.code, area)}">${esc(c.name)}</a>`).join("");
  const crumbs = d.path.map((a, i) => i === d.path.length - 1 ? `<span>${esc(a.name || a.code)}</span>`
    : `<a href="${xRoute(contest, a.code, imp)}">${esc(a.name || a.code)}</a>`).join(" › ");
  const valid = (c) => c.lines.find((l) => l.field === "summary.valid");
  const children = d.children.map((c) => {
    const v = valid(c);
    const link = c.area.level === "tps" ? `#/selisih-tps/${c.area.code}/${contest}${imp ? "/" + imp : ""}` : xRoute(contest, c.area.code, imp);
    // Red only for what both sources have and differ on; one source's TPS are counted, not red.
    const hot = (k) => (k === "different" || k === "kpu_misread") && c.counts[k];
    return `<tr class="${c.counts.different ? "diff" : ""}" data-area="${c.area.code}"><td><a href="${link}">${esc(c.area.name || c.area.code)}</a> <span class="muted">${c.area.code}</span></td>
      ${["same", "different", "desk_only", "kpu_only", "kpu_misread"].map((k) => `<td class="num ${hot(k) ? "hot" : ""}">${num(c.counts[k])}</td>`).join("")}
      ${v.tps ? `<td class="num">${num(v.desk)}</td><td class="num">${num(v.kpu)}</td>` : `<td class="num muted">–</td><td class="num muted">–</td>`}
      <td class="num" data-test="delta">${v.tps ? signed(v.delta) : "–"}</td></tr>`;
  }).join("");
  const listAll = d.area.level === "desa";
  // Differences first: they are what the desk can act on; then KPU's misreads.
  const order = (t) => (t.category === "different" ? 0 : 1);
  const tps = d.tps.slice().sort((a, b) => order(a) - order(b)).map((t) => `<tr data-tps="${t.tps}"><td><a href="#/selisih-tps/${t.tps}/${contest}${imp ? "/" + imp : ""}">${esc(t.name)}</a> <span class="muted">${t.tps}</span></td>
      <td>${esc(t.desa)}</td><td>${categoryBadge(t)}${t.desk_verified ? badge("verified", X().verified) : ""}</td><td>${diffText(t)}</td></tr>`).join("");
  $("#main").innerHTML = `
    <div class="tabs">${tabs}</div>
    <div class="titlebar">
      <div><div class="crumbs">${crumbs}</div>
        <h2>${esc(X().title)} — ${esc(d.contest.name)} — ${esc(d.area.name || d.area.code)}</h2>
        ${importLine(d, contest, area)}</div>
      <div class="actions">${langButton()}
        <a class="button" href="/api/v1/crosscheck.csv?${q}" data-test="xcsv">${esc(X().csv)}</a></div>
    </div>
    <div class="kpu-notice" data-test="kpu-notice">${esc(X().notice)}</div>
    ${countCards(d.counts, d.previous_import !== null)}
    <div class="xarea">
      <section class="card"><h3>${esc(X().lines)}</h3>${linesTable(d)}</section>
      ${d.children.length ? `<section class="card"><h3>${esc(X().children)}</h3><p class="muted">${esc(X().childNote)}</p><div class="scroll"><table class="compact xtable" data-test="xchildren"><thead><tr><th>${esc(X().area)}</th>
        ${["same", "different", "desk_only", "kpu_only", "kpu_misread"].map((k) => `<th class="num">${esc(X()[k])}</th>`).join("")}
        <th class="num">V.A ${esc(X().desk)}</th><th class="num">V.A KPU</th><th class="num">${esc(X().childDelta)}</th></tr></thead><tbody>${children}</tbody></table></div></section>` : ""}
    </div>
    <section class="card"><h3>${esc(listAll ? X().allTps : X().needLook)}</h3>
      ${d.tps.length ? `<div class="scroll"><table class="compact xtable" data-test="xtps"><thead><tr><th>${esc(X().tps)}</th><th>${esc(X().desa)}</th><th>${esc(X().category)}</th><th>${esc(X().differences)}</th></tr></thead>
      <tbody>${tps}</tbody></table></div>` : `<p class="muted">${esc(X().nothing)}</p>`}</section>`;
  bindLang();
  const sel = $("#ximport");
  if (sel) sel.onchange = () => { location.hash = xRoute(contest, area, sel.value); };
}

async function renderCrosscheckTps(tpsCode, contest, imp) {
  const d = await api(`/api/v1/crosscheck?contest=${encodeURIComponent(contest)}&area=${encodeURIComponent(tpsCode)}${imp ? "&import=" + encodeURIComponent(imp) : ""}`);
  const t = d.tps[0];
  if (!t) { $("#main").innerHTML = `<p class="muted">${esc(X().nothing)}</p>`; return; } // no such ballot here
  const sheet = t.desk_state ? await api(`/api/v1/sheets/${tpsCode}/${contest}`).catch(() => null) : null;
  const counted = sheet && (sheet.history.find((h) => h.id === sheet.winner) || null);
  const photo = counted && counted.photo;
  const msg = (f) => (xlang === "en" ? f.message_en : f.message_id);
  const up = d.path.length > 1 ? d.path[d.path.length - 2].code : d.area.code;
  $("#main").innerHTML = `
    <div class="titlebar"><div><div class="crumbs"><a href="${xRoute(contest, up, imp)}">${esc(X().back)}</a></div>
      <h2>${esc(X().title)} — ${esc(t.name)} ${esc(t.desa)} <span class="muted">${t.tps}</span></h2>
      <div>${categoryBadge(t)} ${t.desk_state ? badge(t.desk_state, X().states[t.desk_state]) : ""} ${t.desk_verified ? badge("verified", X().verified) : ""}</div>
      ${importLine(d, contest, tpsCode)}</div>
      <div class="actions">${langButton()}${t.desk_state ? `<a class="button" href="#/lembar/${tpsCode}/${contest}">${esc(X().sheet)}</a>` : ""}</div></div>
    <div class="kpu-notice" data-test="kpu-notice">${esc(X().notice)}</div>
    <div class="grid">
      <section class="card"><h3>${esc(X().form)}</h3>
        ${t.desk_state ? "" : `<p class="muted">${esc(X().noDesk)}</p>`}
        <div class="scroll"><table class="compact xtable" data-test="xform"><thead><tr><th>${esc(X().box)}</th><th class="num">${esc(X().desk)}</th><th class="num">${esc(X().kpu)}</th><th class="num">±</th></tr></thead>
        <tbody>${t.form.map((f) => `<tr class="${f.differs ? "diff" : ""}" data-field="${esc(f.field)}"><td>${esc(f.label)}</td>
          <td class="num">${f.desk === null ? "–" : num(f.desk)}</td>
          <td class="num">${f.kpu === null ? `<span class="muted">${esc(X().notPublished)}</span>` : num(f.kpu)}</td>
          <td class="num">${f.differs && f.desk !== null ? signed(f.kpu - f.desk) : ""}</td></tr>`).join("")}</tbody></table></div></section>
      <section class="card"><h3>${esc(X().photo)}</h3>
        ${photo ? `<a href="${photo}" target="_blank"><img class="photo xphoto" src="${photo}" alt="${esc(X().photo)}" data-test="xphoto"></a>` : `<p class="muted">${esc(X().noPhoto)}</p>`}
        ${t.kpu_findings.length ? `<h3>${esc(X().findings)}</h3>${t.kpu_findings.map((f) => `<div class="finding ${f.severity}">${esc(f.rule)}: ${esc(msg(f))}</div>`).join("")}` : ""}
        ${t.kpu_changes.length ? `<h3>${esc(X().changes)}</h3><table class="compact"><tbody>${t.kpu_changes.map((c) =>
          `<tr><td>${esc(c.label)}</td><td class="num">${esc(X().before)} ${c.before === null ? "–" : num(c.before)}</td><td class="num">${esc(X().after)} ${c.after === null ? "–" : num(c.after)}</td></tr>`).join("")}</tbody></table>` : ""}
      </section>
    </div>`;
  bindLang();
}

crosscheckNav();
