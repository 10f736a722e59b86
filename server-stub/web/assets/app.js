// The central desk's dashboard: a small single-page app over rekap-central's JSON API.
"use strict";

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const num = (n) => Number(n ?? 0).toLocaleString("id-ID");
const pct = (n) => Number(n ?? 0).toLocaleString("id-ID", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + "%";
const TZ_HOURS = { WIB: 7, WITA: 8, WIT: 9 };
// "2024-02-14T10:06:00Z" -> "14-02 18.06 WITA": the desk reads times in the regency's zone.
function localTime(iso) {
  if (!iso || !me) return iso || "-";
  const tz = me.regency.time_zone;
  const d = new Date(Date.parse(iso) + TZ_HOURS[tz] * 3600 * 1000);
  if (isNaN(d)) return iso;
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)} ${two(d.getUTCHours())}.${two(d.getUTCMinutes())} ${tz}`;
}
const COLORS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7b83", "#6e7781"];

let me = null;
let version = null;
let chart = null;

async function api(path, options = {}) {
  const res = await fetch(path, { credentials: "same-origin", ...options });
  if (res.status === 401) { showLogin(); throw new Error("unauthorized"); }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error ? body.error.message : "HTTP " + res.status);
  return body;
}

// What the logged-in account may do, by route ("GET /api/v1/tally"), from /api/v1/me: the
// dashboard shows only that (the receiver checks every request anyway, desk_access.cpp).
function may(route) {
  return !!me && Array.isArray(me.may) && me.may.includes(route);
}

function showLogin(message) {
  const A = ACCOUNT_TEXT[xlang];
  $("#nav").hidden = true;
  $("#menu-toggle").hidden = true;
  openMenu(false);
  $("#main").innerHTML = `
    <section class="card login">
      <div class="titlebar"><h2>${esc(A.title)}</h2><div class="actions">${langButton()}</div></div>
      <p>${esc(A.intro)}</p>
      <form id="account-form" data-test="account-form">
        <label for="login-name">${esc(A.name)}</label>
        <input id="login-name" name="name" autocomplete="username" required>
        <label for="login-password">${esc(A.password)}</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required>
        <button class="primary" type="submit">${esc(A.login)}</button>
        <p class="error" data-test="login-error">${esc(message || "")}</p>
      </form>
      <form id="login-form">
        <h3>${esc(A.tokenTitle)}</h3>
        <label for="token">${esc(A.token)}</label>
        <input id="token" name="token" autocomplete="off" required>
        <button type="submit">${esc(A.login)}</button>
      </form>
    </section>`;
  $("#xlang").onclick = () => {
    xlang = xlang === "en" ? "id" : "en";
    try { localStorage.setItem("rekap.lang", xlang); } catch (e) { /* private mode */ }
    document.documentElement.lang = xlang;
    crosscheckNav();
    showLogin();
  };
  document.documentElement.lang = xlang;
  const login = async (body, wrong) => {
    const res = await fetch("/desk/login", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (res.ok) start(); else showLogin(res.status === 503 ? A.busy : wrong);
  };
  $("#account-form").onsubmit = (e) => {
    e.preventDefault();
    login({ name: $("#login-name").value.trim(), password: $("#login-password").value }, A.wrong);
  };
  $("#login-form").onsubmit = (e) => {
    e.preventDefault();
    login({ token: $("#token").value.trim() }, A.tokenWrong);
  };
}

function badge(state, text) {
  return `<span class="badge ${esc(state)}">${esc(text ?? STATE_LABEL[state] ?? state)}</span>`;
}

function bar(value, label) {
  const v = Math.max(0, Math.min(100, Number(value) || 0));
  return `<div class="bar" title="${esc(label ?? pct(v))}"><div style="width:${v}%"></div></div>`;
}

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  return { view: parts[0] || "rekap", args: parts.slice(1) };
}

// On a narrow screen the menu is one button that opens the list (style.css); choosing a page
// closes it again.
function openMenu(open) {
  $(".top").classList.toggle("menu-open", open);
  $("#menu-toggle").setAttribute("aria-expanded", String(open));
}

// The menu entry a page belongs to.
const NAV_OF = { lembar: "rekap", cetak: "rekap", "selisih-tps": "selisih", baca: "bacaan" };

async function render() {
  const { view, args } = route();
  // A page this account's role cannot use: its first page instead (a reader's is the queue).
  const nav = document.querySelector(`[data-nav="${NAV_OF[view] || view}"]`);
  if (nav && nav.hidden) {
    const first = [...document.querySelectorAll("[data-nav]")].find((a) => !a.hidden);
    if (first && first !== nav) { location.hash = first.getAttribute("href"); return; }
  }
  openMenu(false);
  document.querySelectorAll("[data-nav]").forEach((a) =>
    a.classList.toggle("active", a.dataset.nav === view || (view === "lembar" && a.dataset.nav === "rekap") ||
      (view === "selisih-tps" && a.dataset.nav === "selisih") ||
      (view === "baca" && a.dataset.nav === "bacaan")));
  try {
    if (view === "rekap") await renderTally(args[0] || me.contests[0].code, args[1] || me.scope);
    else if (view === "lembar") await renderSheet(args[0], args[1]);
    else if (view === "konflik") await renderConflicts();
    else if (view === "ditolak") await renderRejected();
    else if (view === "perbaikan") await renderSendBacks();
    else if (view === "status") await renderStatus(args[0] || me.scope);
    else if (view === "selisih") await renderCrosscheck(args[0] || me.contests[0].code, args[1] || me.scope, args[2]);
    else if (view === "selisih-tps") await renderCrosscheckTps(args[0], args[1], args[2]);
    else if (view === "cetak") await renderPrint(args[0] || me.contests[0].code, args[1] || me.scope);
    else if (view === "daftar") renderEnrol();
    else if (view === "akun") await renderAccounts();
    else if (view === "bacaan") await renderReadingQueue(args[0] || me.scope);
    else if (view === "baca") await renderReading(args[0] || me.scope);
    else $("#main").innerHTML = `<p>Halaman tidak dikenal.</p>`;
  } catch (e) {
    if (e.message !== "unauthorized")
      $("#main").innerHTML = `<p class="error">Gagal memuat: ${esc(e.message)}</p>`;
  }
  refreshCounts();
}

async function refreshCounts() {
  if (!me) return;
  checkIntegrity();
  if (!may("GET /api/v1/conflicts")) return; // a reader's or an administrator's menu has no counts
  const [c, r, s] = await Promise.all([api("/api/v1/conflicts"), api("/api/v1/rejected"),
    may("GET /api/v1/send-backs") ? api("/api/v1/send-backs") : Promise.resolve({ waiting: 0 })]);
  $("#conflict-count").textContent = c.conflicts.length || "";
  $("#rejected-count").textContent = r.rejected.length || "";
  sendBackNav(s.waiting);
  $("#menu-count").textContent = c.conflicts.length + r.rejected.length || "";
}

function lines(t) {
  return (t.parties || t.candidates || []).map((l) => ({
    number: l.number, label: l.abbreviation || l.name, name: l.name, votes: l.votes, share: l.share,
    candidates: l.candidates,
  }));
}

function drawChart(t) {
  if (chart) { chart.destroy(); chart = null; }
  const canvas = $("#chart");
  if (!canvas || typeof Chart === "undefined") return;
  const ls = lines(t);
  chart = new Chart(canvas, {
    type: "bar",
    data: {
      // A pair's long name on two lines (at " - "), so that the axis does not cut it off.
      labels: ls.map((l) => {
        const text = `${String(l.number).padStart(2, "0")} ${l.label}`;
        const cut = text.indexOf(" - ");
        return text.length > 32 && cut > 0 ? [text.slice(0, cut + 2), text.slice(cut + 3)] : text;
      }),
      datasets: [{ label: "% suara sah", data: ls.map((l) => l.share),
                   backgroundColor: ls.map((_, i) => COLORS[i % COLORS.length]) }],
    },
    options: {
      indexAxis: "y", animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false },
                 tooltip: { callbacks: { label: (c) => `${pct(c.raw)} (${num(ls[c.dataIndex].votes)} suara)` } } },
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } },
    },
  });
}

function summaryCards(t) {
  const tps = t.tps;
  return `
  <div class="cards">
    <div class="card stat"><div class="label">Data masuk (suara ÷ DPT)</div>
      <div class="value" data-test="data-masuk">${pct(t.data_masuk.votes_over_dpt)}</div>
      ${bar(t.data_masuk.votes_over_dpt)}<div class="muted">${num(t.votes.total)} dari DPT ${num(t.dpt)}</div></div>
    <div class="card stat"><div class="label">TPS masuk</div>
      <div class="value" data-test="tps-masuk">${num(tps.reported)} / ${num(tps.total)}</div>
      ${bar(t.data_masuk.tps_reported_over_total)}<div class="muted">${pct(t.data_masuk.tps_reported_over_total)}</div></div>
    <div class="card stat"><div class="label">Status TPS</div>
      <div class="badges">${badge("pending", `${num(tps.pending)} tertunda`)}
        ${badge("conflict", `${num(tps.conflict)} konflik`)}
        ${badge("rejected", `${num(tps.rejected)} ditolak`)}
        ${badge("verified", `${num(tps.verified)} terverifikasi`)}</div>
      <div class="muted">${t.verified ? "Terverifikasi seluruhnya" : "Sementara (belum semua diverifikasi)"}</div></div>
    <div class="card stat"><div class="label">Suara</div>
      <div class="value">${num(t.votes.valid)}</div>
      <div class="muted">sah · ${num(t.votes.invalid)} tidak sah</div></div>
    ${verificationCard(t)}
  </div>`;
}

function breadcrumb(t, contest) {
  return t.path.map((a, i) => i === t.path.length - 1
    ? `<span>${esc(a.name || a.code)}</span>`
    : `<a href="#/rekap/${contest}/${a.code}">${esc(a.name || a.code)}</a>`).join(" › ");
}

// "Segel data": the signed ledger head these figures stand under, so that a screen or a
// printout can be held against the published ledger (docs/integrity.md).
function sealLine(seal) {
  if (!seal || seal.size === undefined) return "";
  return `<div class="seal" data-test="seal" title="Kunci publik penerima: ${esc(seal.receiver_key)}">Segel data: ${num(seal.size)} entri · akar ${esc(seal.root_short)} · ${esc(seal.local)} · kunci penerima ${esc(seal.receiver_key_fingerprint)}</div>`;
}

// On every page and every poll, on its own request: a slow or failed count must not hide it.
function checkIntegrity() {
  api("/api/v1/ledger/head").then((h) => showIntegrity(h.seal)).catch(() => {});
}

// A ledger that failed its check when the receiver started is shown in red on every page.
function showIntegrity(seal) {
  const box = $("#integrity");
  const failed = seal && seal.verification && seal.verification.state === "failed";
  box.hidden = !failed;
  if (failed) box.textContent = `PERINGATAN: buku besar (ledger) gagal diperiksa saat penerima dimulai — ${seal.verification.message}. Angka di bawah tidak dapat dipercaya sampai diperiksa (rekap-central verify).`;
}

async function renderTally(contest, area) {
  const t = await api(`/api/v1/tally?contest=${encodeURIComponent(contest)}&area=${encodeURIComponent(area)}`);
  const ls = lines(t);
  // A contest's English name where the regency file gives one (the Pilkada's does), when the
  // page is in English.
  const tabs = me.contests.map((c) =>
    `<a class="tab ${c.code === contest ? "active" : ""}" href="#/rekap/${c.code}/${area}">${esc(xlang === "en" && c.name_en ? c.name_en : c.name)}</a>`).join("");
  const isTps = t.area.level === "tps";
  const head = ls.map((l) => `<th class="num" title="${esc(l.name)}">${String(l.number).padStart(2, "0")} ${esc(l.label)}</th>`).join("");
  const children = t.children.map((c) => {
    const link = c.area.level === "tps" ? `#/lembar/${c.area.code}/${contest}` : `#/rekap/${contest}/${c.area.code}`;
    const state = c.state ? badge(c.state) :
      `${c.tps.conflict ? badge("conflict", c.tps.conflict + " konflik") : ""}${c.tps.rejected ? badge("rejected", c.tps.rejected + " ditolak") : ""}`;
    return `<tr data-area="${esc(c.area.code)}"><td><a href="${link}">${esc(c.area.name || c.area.code)}</a> <span class="muted">${c.area.code}</span> ${state}${winnerBadge(c.winner_alert)}</td>
      <td>${num(c.tps.reported)}/${num(c.tps.total)} ${bar(c.data_masuk.tps_reported_over_total)}${verifiedNote(c)}</td>
      <td class="num">${pct(c.data_masuk.votes_over_dpt)}</td>
      ${lines(c).map((l) => `<td class="num">${num(l.votes)}<br><span class="muted">${pct(l.share)}</span></td>`).join("")}</tr>`;
  }).join("");
  const calegs = t.parties ? `
    <details class="card"><summary>Perolehan suara calon per partai</summary>
      ${t.parties.map((p) => `<h4>${String(p.number).padStart(2, "0")} ${esc(p.name)} — ${num(p.votes)} (${pct(p.share)}), suara partai ${num(p.party_only)}</h4>
        <table class="compact"><tbody>${(p.candidates || []).map((c) =>
          `<tr><td>${esc(c.dapil)} · ${c.number}</td><td>${esc(c.name)}</td><td class="num">${num(c.votes)}</td><td class="num">${pct(c.share)}</td></tr>`).join("")}</tbody></table>`).join("")}
      ${t.contest.synthetic_candidates ? `<p class="muted">Nama calon dan dapil pada data contoh ini sintetis.</p>` : ""}
    </details>` : "";
  $("#main").innerHTML = `
    <div class="tabs">${tabs}</div>
    <div class="titlebar">
      <div><div class="crumbs">${breadcrumb(t, contest)}</div>
        <h2>${esc(t.contest.name)} — ${esc(t.area.name || t.area.code)}</h2>
        <div class="asof" data-test="as-of">Data per ${esc(t.as_of.local.split(" ")[0])} ${esc(t.as_of.clock)}</div>
        ${sealLine(t.seal)}</div>
      <div class="actions">${langButton()}
        <a class="button" href="/api/v1/tally.csv?contest=${contest}&area=${t.area.code}" data-test="csv">Unduh CSV</a>
        <a class="button" href="#/cetak/${contest}/${t.area.code}">Cetak rekap</a>
        <a class="button" href="#/status/${t.area.level === "tps" ? t.area.code.slice(0, 10) : t.area.code}">Status sinkronisasi</a>
        ${isTps ? `<a class="button primary" href="#/lembar/${t.area.code}/${contest}">Lembar C.Hasil</a>` : ""}
      </div>
    </div>
    ${summaryCards(t)}
    ${winnerCard(t)}
    <div class="grid">
      <section class="card"><h3>Perolehan suara</h3><div class="chartbox"><canvas id="chart"></canvas></div></section>
      <section class="card"><h3>Rincian</h3><table><thead><tr><th>No</th><th>${t.parties ? "Partai" : "Nama"}</th><th class="num">Suara</th><th class="num">%</th></tr></thead>
        <tbody>${ls.map((l) => `<tr><td>${String(l.number).padStart(2, "0")}</td><td>${esc(l.name)}</td><td class="num">${num(l.votes)}</td><td class="num">${pct(l.share)}</td></tr>`).join("")}</tbody></table></section>
    </div>
    ${calegs}
    ${t.children.length ? `<section class="card"><h3>${t.area.level === "desa" ? "TPS" : "Wilayah"}</h3>
      <div class="scroll"><table data-test="children"><thead><tr><th>Wilayah</th><th>TPS masuk</th><th class="num">Data masuk</th>${head}</tr></thead>
      <tbody>${children}</tbody></table></div></section>` : ""}`;
  drawChart(t);
  bindLang();
  showIntegrity(t.seal);
}

// "TPS 003 · Desa HAMALAU · Kec. SUNGAI RAYA — PPWP": a sheet by its place (the receiver names
// it from the master data), its code small beside it.
function sheetTitle(sheet, place) {
  if (!place || !place.tps.name) return `<span class="sheet-code">${esc(sheet)}</span>`;
  const contest = place.contest.code.toUpperCase();
  return `<span data-test="sheet-place">${esc(place.tps.name)} · Desa ${esc(place.desa.name)} · Kec. ${esc(place.kecamatan.name)} — <abbr title="${esc(place.contest.name)}">${esc(contest)}</abbr></span>
    <span class="muted sheet-code" data-test="sheet-code">${esc(sheet)}</span>`;
}

// A line of section IV by its name as on the ballot: "IV Nomor urut 1 — ANIES ...".
function lineNames(place) {
  const cands = new Map(((place && place.candidates) || []).map((c) => [c.number, c.name]));
  const parties = new Map(((place && place.parties) || []).map((p) =>
    [p.number, { label: `${p.number} ${p.abbreviation || p.name}`, calegs: new Map(p.candidates.map((c) => [c.number, c.name])) }]));
  const named = (label, name) => (name ? `${label} — ${name}` : label);
  return {
    candidate: (n) => named(`IV Nomor urut ${n}`, cands.get(n)),
    party: (n) => (parties.get(n) || { label: String(n) }).label,
    caleg: (p, n) => named(`calon ${n}`, parties.get(p) && parties.get(p).calegs.get(n)),
  };
}

function sheetFields(s, place) {
  const names = lineNames(place);
  const out = [];
  for (const [k, label] of SHEET_ROWS) {
    const [a, b] = k.split(".");
    const row = b ? s[a][b] : s[a];
    out.push([k, label + " (L/P/Jml)", `${row.l} / ${row.p} / ${row.total}`]);
  }
  for (const [k, label] of BALLOT_ROWS) { const [a, b] = k.split("."); out.push([k, label, s[a][b]]); }
  for (const c of s.votes.candidates || []) out.push([`c${c.number}`, names.candidate(c.number), c.votes]);
  for (const p of s.votes.parties || []) {
    const party = `IV Partai ${names.party(p.party)}`;
    out.push([`p${p.party}`, `${party}: jumlah`, p.total]);
    out.push([`p${p.party}o`, `${party}: suara partai`, p.party_only]);
    for (const c of p.candidates) out.push([`p${p.party}c${c.number}`, `${party}: ${names.caleg(p.party, c.number)}`, c.votes]);
  }
  for (const [k, label] of SUMMARY_ROWS) { const [a, b] = k.split("."); out.push([k, label, s[a][b]]); }
  return out;
}

// A revision's photos: the one it carried, then each attached after it was sent ("foto
// menyusul", signed by its tablet); the last is the one the desk reads from.
function photoHistory(h) {
  const all = h.photos || (h.photo ? [{ photo: h.photo, later: false }] : []);
  if (!all.length) return h.decision ? "" : `<div class="muted" data-test="no-photo">Tanpa foto plano</div>`;
  return `<div class="photo-history" data-test="photo-history">${all.map((p, i) => `<figure>
      <a href="${esc(p.photo)}" target="_blank"><img class="photo" src="${esc(p.photo)}" alt="Foto C.Hasil plano"></a>
      <figcaption class="muted">${p.later ? `Foto menyusul · dilampirkan tablet ${esc(localTime(p.attached_at))} · diterima ${esc(localTime(p.received_at))}` : "Dikirim bersama lembar"}${all.length > 1 || p.later ? (i === all.length - 1 ? " · <strong>foto yang dipakai</strong>" : " · diganti") : ""}</figcaption>
    </figure>`).join("")}</div>`;
}

// What a revision changed from its parent: each box whose value differs, old → new.
function changesFrom(h, history, place) {
  const parent = h.parent && history.find((x) => x.id === h.parent);
  if (!parent) return "";
  const before = new Map(sheetFields(parent.sheet, place).map(([k, , v]) => [k, String(v)]));
  const changed = sheetFields(h.sheet, place).filter(([k, , v]) => before.get(k) !== String(v));
  if (!changed.length)
    return h.decision ? "" : `<div class="muted" data-test="changes">Tidak ada angka yang berubah dari ${esc(parent.id.slice(0, 8))}.</div>`;
  return `<div class="changes" data-test="changes"><div class="muted">Berubah dari ${esc(parent.id.slice(0, 8))} (${changed.length} isian):</div>
    <table class="compact"><tbody>${changed.map(([k, l, v]) => `<tr data-field="${esc(k)}"><td>${esc(l)}</td>
      <td class="num nowrap"><span class="old">${esc(before.get(k) ?? "–")}</span> → <strong>${esc(v)}</strong></td></tr>`).join("")}</tbody></table></div>`;
}

async function renderSheet(tps, contest) {
  const d = await api(`/api/v1/sheets/${tps}/${contest}`);
  const counted = d.history.find((h) => h.id === d.winner) || d.history[d.history.length - 1];
  const fields = sheetFields(counted.sheet, d.place);
  $("#main").innerHTML = `
    <div class="titlebar"><div><div class="crumbs"><a href="#/rekap/${contest}/${tps}">← kembali ke rekap TPS</a></div>
      <h2 data-test="sheet-title">Lembar ${esc(d.place.contest.form || "C.Hasil")} ${sheetTitle(d.sheet, d.place)}</h2>
      <div>${badge(d.state || SHEET_STATE.rejected)} ${counted.decision ? badge("verified", "keputusan desk") : ""}</div></div></div>
    ${sendBackCard(d)}
    <div class="grid">
      <section class="card"><h3>Angka yang dihitung</h3>
        <table class="compact" data-test="sheet-numbers"><tbody>${fields.map(([, l, v]) => `<tr><td>${esc(l)}</td><td class="num">${esc(v)}</td></tr>`).join("")}</tbody></table></section>
      <section class="card"><h3>Riwayat revisi</h3><ol class="history" data-test="history">
        ${d.history.map((h) => `<li><div>${badge(h.state)} <strong>${esc(h.operator)}</strong> · ${esc(h.device)} ${h.decision ? badge("verified", "desk") : ""}${h.reading ? badge("reading", "bacaan kedua") : ""}</div>
          <div class="muted">dicatat ${esc(localTime(h.captured_at))} · diterima ${esc(localTime(h.received_at))} · ${esc(h.id.slice(0, 8))}${h.parent ? " ← " + esc(h.parent.slice(0, 8)) : ""}</div>
          ${h.reason ? `<div>Alasan: ${esc(h.reason)}</div>` : ""}
          ${changesFrom(h, d.history, d.place)}
          ${(h.findings || []).map((f) => `<div class="finding ${f.severity}">${esc(f.rule)}: ${esc(f.message_id)}</div>`).join("")}
          ${photoHistory(h)}
        </li>`).join("")}</ol></section>
    </div>`;
  bindSendBack(d);
}

async function renderConflicts() {
  const d = await api("/api/v1/conflicts");
  if (!d.conflicts.length) { $("#main").innerHTML = `<h2>Konflik</h2><p class="muted" data-test="no-conflicts">Tidak ada konflik.</p>`; return; }
  $("#main").innerHTML = `<h2>Konflik</h2><p class="muted">Dua lembar yang diterima untuk TPS dan surat suara yang sama berisi angka berbeda. Angka yang berbeda disorot. Sampai diputuskan, versi yang pertama diterima dihitung sementara.</p>` +
    d.conflicts.map((c, ci) => {
      const cols = c.heads.map((h) => new Map(sheetFields(h.sheet, c.place).map(([k, l, v]) => [k, [l, v]])));
      const keys = [...cols[0].keys()];
      return `<section class="card conflict" data-sheet="${esc(c.sheet)}"><h3>${sheetTitle(c.sheet, c.place)} ${c.reading_differs ? badge("conflict", "beda bacaan") : ""}</h3>
        ${c.reading_differs ? readingPhoto(c) : ""}
        <div class="scroll"><table class="compact conflict-table"><thead><tr><th>Isian</th>${c.heads.map((h) => `<th>${esc(h.operator)}<br><span class="muted">${esc(h.device)} · ${esc(localTime(h.received_at))}</span>${h.provisional_winner ? "<br>" + badge("pending", "dihitung sementara") : ""}${h.reading ? "<br>" + badge("reading", "bacaan kedua") : ""}</th>`).join("")}</tr></thead>
        <tbody>${keys.map((k) => {
          const vals = cols.map((m) => String((m.get(k) || ["", ""])[1]));
          const differ = new Set(vals).size > 1;
          return `<tr class="${differ ? "diff" : ""}"><td>${esc(cols[0].get(k)[0])}</td>${vals.map((v) => `<td class="num">${esc(v)}</td>`).join("")}</tr>`;
        }).join("")}</tbody>
        <tfoot><tr><td></td>${c.heads.map((h, hi) => `<td>${may("POST /api/v1/conflicts/resolve") ? `<button class="primary" data-resolve="${ci}:${hi}">Pilih versi ini</button>` : ""}</td>`).join("")}</tr></tfoot></table></div></section>`;
    }).join("");
  document.querySelectorAll("[data-resolve]").forEach((b) => b.onclick = () => {
    const [ci, hi] = b.dataset.resolve.split(":").map(Number);
    const c = d.conflicts[ci], h = c.heads[hi];
    const where = c.place && c.place.tps.name ? `${c.place.tps.name} · Desa ${c.place.desa.name} — ${c.place.contest.code.toUpperCase()} (${c.sheet})` : c.sheet;
    $("#resolve-what").textContent = `${where}: versi dari ${h.operator} (${h.device})`;
    $("#resolve-reason").value = "";
    const dialog = $("#resolve-dialog");
    dialog.onclose = async () => {
      if (dialog.returnValue !== "ok") return;
      try {
        await api("/api/v1/conflicts/resolve", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ sheet: c.sheet, revision: h.id, reason: $("#resolve-reason").value.trim() }) });
      } catch (e) { alert("Gagal menyimpan: " + e.message); }
      render();
    };
    dialog.showModal();
  });
}

async function renderRejected() {
  const d = await api("/api/v1/rejected");
  $("#main").innerHTML = `<h2>Lembar ditolak</h2><p class="muted">Lembar yang melanggar aturan konsistensi disimpan dan tidak dihitung sampai operator mengirim koreksi.</p>
    ${d.rejected.length ? d.rejected.map((r) => { const [tps, contest] = r.sheet.split("/"); return `<section class="card" data-sheet="${esc(r.sheet)}"><h3><a href="#/lembar/${tps}/${contest}">${sheetTitle(r.sheet, r.place)}</a></h3>
      <div class="muted">${esc(r.operator)} · ${esc(r.device)} · diterima ${esc(localTime(r.received_at))}</div>
      ${r.findings.filter((f) => f.severity !== "warning").map((f) => `<div class="finding error">${esc(f.rule)}: ${esc(f.message_id)}</div>`).join("")}</section>`; }).join("")
      : `<p class="muted">Tidak ada lembar ditolak.</p>`}`;
}

async function renderStatus(area) {
  const d = await api(`/api/v1/status?area=${encodeURIComponent(area)}`);
  const totals = Object.entries(d.totals).map(([k, v]) => badge(k, `${v} ${STATE_LABEL[k] || k}`)).join(" ");
  $("#main").innerHTML = `<h2>Status sinkronisasi — ${esc(d.area.name || d.area.code)}</h2><div class="badges">${totals}</div>
    ${d.desa.map((ds) => `<section class="card"><h3>${esc(ds.name)} <span class="muted">${ds.code}</span></h3><div class="tpsgrid">
      ${ds.tps.map((t) => `<div class="tps ${t.status}" title="${esc(t.tps)}"><strong>${esc(t.name)}</strong>${badge(t.status)}
        <div class="muted">${Object.keys(t.contests).length}/${t.expected_contests} lembar</div>
        ${t.devices.map((v) => `<div class="muted">${v.queue_depth ? `<strong>${v.queue_depth} di perangkat</strong> · ` : ""}kontak ${esc(localTime(v.last_seen_at))}</div>`).join("")}</div>`).join("")}
    </div></section>`).join("")}`;
}

async function renderPrint(contest, area) {
  const t = await api(`/api/v1/tally?contest=${encodeURIComponent(contest)}&area=${encodeURIComponent(area)}`);
  const ls = lines(t);
  const rows = [{ ...t, area: t.area }, ...t.children];
  // The regency once, then the way down to the area: "Hulu Sungai Selatan › KANDANGAN".
  const where = t.path.map((a) => a.name || a.code).join(" › ");
  // Of the TPS counted, how many the desk has not yet verified (a second reading or a decision).
  const unverified = (r) => Math.max(0, r.tps.reported - r.tps.verified);
  $("#main").innerHTML = `<article class="print">
    <div class="noprint"><button class="primary" id="print-now">Cetak</button> <a href="#/rekap/${contest}/${area}">kembali</a></div>
    <h2>Rekapitulasi ${esc(t.contest.name)}</h2>
    ${me.election ? `<p data-test="print-election">${esc(me.election.name)} · pemungutan suara ${esc(electionDate(me.election.date))}</p>` : ""}
    <p data-test="print-where">${esc(where)} · Data per ${esc(t.as_of.local)}</p>
    <p><strong>DATA SEMENTARA</strong> — hasil rekap internal Pemkab, bukan hasil resmi KPU.</p>
    <p data-test="print-counts">TPS masuk ${num(t.tps.reported)} dari ${num(t.tps.total)} ·
      <span data-count="conflict">${num(t.tps.conflict)} konflik</span> ·
      <span data-count="rejected">${num(t.tps.rejected)} ditolak</span> ·
      <span data-count="unverified">${num(unverified(t))} belum diverifikasi</span> (dari TPS masuk; konflik dihitung sementara, ditolak tidak dihitung)</p>
    ${t.winner_alert && t.winner_alert.can_change ? `<p data-test="print-winner"><strong>${esc(W().badge)}</strong>: ${esc(winnerNumbers(t.winner_alert))}</p>` : ""}
    <div class="scroll"><table class="compact" data-test="print-table"><thead><tr><th>Wilayah</th><th>TPS masuk</th><th class="num">Konflik</th><th class="num">Ditolak</th><th class="num">Belum diverifikasi</th><th>Data masuk</th>${ls.map((l) => `<th>${String(l.number).padStart(2, "0")} ${esc(l.label)}</th>`).join("")}<th>Sah</th><th>Tidak sah</th></tr></thead>
    <tbody>${rows.map((r, i) => `<tr class="${i === 0 ? "total" : ""}" data-area="${esc(r.area.code)}"><td>${esc(r.area.name || r.area.code)}${i > 0 ? winnerBadge(r.winner_alert) : ""}</td><td>${num(r.tps.reported)}/${num(r.tps.total)}</td>
      <td class="num" data-count="conflict">${num(r.tps.conflict)}</td><td class="num" data-count="rejected">${num(r.tps.rejected)}</td><td class="num" data-count="unverified">${num(unverified(r))}</td><td>${pct(r.data_masuk.votes_over_dpt)}</td>
      ${lines(r).map((l) => `<td class="num">${num(l.votes)} (${pct(l.share)})</td>`).join("")}<td class="num">${num(r.votes.valid)}</td><td class="num">${num(r.votes.invalid)}</td></tr>`).join("")}</tbody></table></div>
    <p class="muted">Dicetak dari Rekap.</p>
    ${sealLine(t.seal)}
    ${t.seal && t.seal.receiver_key ? `<p class="muted">Kunci publik penerima: <code>${esc(t.seal.receiver_key)}</code>. Periksa dengan rekap-verify pada ekspor audit.</p>` : ""}</article>`;
  $("#print-now").onclick = () => window.print(); // no inline handlers: the CSP forbids them
}

// The administrator's accounts page: who has which role, and disabling an account (its sessions
// end at once). Accounts are made and passwords set with rekap-central user (docs/desk-accounts.md).
async function renderAccounts() {
  const A = ACCOUNT_TEXT[xlang];
  const d = await api("/api/v1/accounts");
  $("#main").innerHTML = `<div class="titlebar"><div><h2>${esc(A.accounts)}</h2><p class="muted">${esc(A.accountsIntro)}</p></div>
      <div class="actions">${langButton()}</div></div>
    <section class="card"><div class="scroll"><table class="compact" data-test="accounts">
      <thead><tr><th>${esc(A.name)}</th><th>${esc(A.role)}</th><th>${esc(A.state)}</th><th></th></tr></thead>
      <tbody>${d.accounts.map((a) => `<tr data-account="${esc(a.name)}"><td>${esc(a.name)}</td><td>${esc(A.roles[a.role] || a.role)}</td>
        <td>${a.disabled_at ? badge("rejected", `${A.disabled} ${localTime(a.disabled_at)}`) : badge("accepted", A.enabled)}</td>
        <td>${!a.disabled_at && a.name !== me.name ? `<button data-disable="${esc(a.name)}">${esc(A.disable)}</button>` : ""}</td></tr>`).join("")}</tbody>
    </table></div><p class="error" id="accounts-error"></p></section>`;
  bindLang();
  document.querySelectorAll("[data-disable]").forEach((b) => b.onclick = async () => {
    if (!confirm(A.disableConfirm.replace("{name}", b.dataset.disable))) return;
    try {
      await api("/api/v1/accounts/disable", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: b.dataset.disable }) });
      renderAccounts();
    } catch (err) { $("#accounts-error").textContent = err.message; }
  });
}

// Enrolment slips: one-time codes minted by the desk, printed with a QR code that a tablet
// scans (receiver address and code), as `rekap-central mint --qr` does.
function renderEnrol() {
  $("#main").innerHTML = `<h2>Daftarkan tablet</h2>
    <section class="card noprint"><form id="mint-form" class="mint">
      <label>Peran <select id="mint-role"><option value="operator">Operator TPS</option><option value="camat">Camat</option></select></label>
      <label>Kode wilayah <input id="mint-area" required inputmode="numeric" placeholder="TPS: 13 digit · kecamatan: 6 digit"></label>
      <label>Jumlah kode <input id="mint-count" type="number" min="1" max="200" value="1"></label>
      <label>Berlaku (hari) <input id="mint-days" type="number" min="1" max="60" value="3"></label>
      <label>Catatan <input id="mint-label" placeholder="mis. nama operator"></label>
      <label>Alamat penerima untuk tablet <input id="mint-server" required value="${esc(location.origin)}"></label>
      <button class="primary" type="submit" data-test="mint">Buat kode</button>
      <p class="error" id="mint-error"></p>
    </form></section>
    <div id="slips"></div>`;
  $("#mint-form").onsubmit = async (e) => {
    e.preventDefault();
    $("#mint-error").textContent = "";
    try {
      const d = await api("/api/v1/enrolment/codes", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ role: $("#mint-role").value, area: $("#mint-area").value.trim(),
          count: Number($("#mint-count").value), days: Number($("#mint-days").value),
          ...($("#mint-label").value.trim() ? { label: $("#mint-label").value.trim() } : {}),
          server: $("#mint-server").value.trim() }) });
      const who = d.role === "camat" ? "Camat" : "Operator TPS";
      $("#slips").innerHTML = `<div class="noprint actions"><button class="primary" id="print-slips">Cetak slip</button></div>
        ${d.codes.map((c) => `<div class="slip" data-test="slip">
          <div class="qr" data-test="slip-qr">${c.svg}</div>
          <div><div class="muted">Rekap — pendaftaran tablet</div>
            <div class="code" data-test="slip-code">${esc(c.code)}</div>
            <div>${who} · ${esc(d.area.name)} <span class="muted">${esc(d.area.code)}</span></div>
            ${d.label ? `<div>${esc(d.label)}</div>` : ""}
            <div class="muted">Sekali pakai, berlaku ${d.days} hari. Di tablet: Daftar → Pindai kode QR, atau ketik alamat <code>${esc(d.server)}</code> dan kode di atas.</div></div>
        </div>`).join("")}`;
      $("#print-slips").onclick = () => window.print(); // no inline handlers: the CSP forbids them
    } catch (err) { $("#mint-error").textContent = "Gagal membuat kode: " + err.message; }
  };
}

async function poll() {
  try {
    checkIntegrity();
    const v = await api("/api/v1/version");
    // Never under a clerk typing a second reading: a refresh would clear the boxes.
    if (version !== null && v.version !== version && !$("#resolve-dialog").open && !$("#sendback-dialog").open && route().view !== "baca") render();
    version = v.version;
  } catch (e) { /* offline for a moment: try again */ }
}

// "2024-11-27" -> "27-11-2024", as the desk writes dates.
function electionDate(iso) {
  return iso.split("-").reverse().join("-");
}

async function start() {
  try { me = await api("/api/v1/me"); } catch (e) { return; }
  $("#nav").hidden = false;
  $("#menu-toggle").hidden = false;
  $("#menu-toggle").onclick = () => openMenu(!$(".top").classList.contains("menu-open"));
  // Choosing a page closes the list at once, before the page's hashchange comes round to render.
  $("#nav").addEventListener("click", (e) => { if (e.target.closest("a")) openMenu(false); });
  document.querySelectorAll("[data-may]").forEach((el) => { el.hidden = !may(el.dataset.may); });
  const A = ACCOUNT_TEXT[xlang];
  $("#who").textContent = `${me.name} · ${A.roles[me.role] || me.role}`;
  $("#regency").textContent = `Desk Pemilu ${me.regency.name}`;
  // Which election this store is for: a desk runs February's and November's side by side, one
  // receiver and store each, and must never mistake one dashboard for the other.
  $("#election").hidden = !me.election;
  if (me.election) $("#election").textContent = `${me.election.name} · ${electionDate(me.election.date)}`;
  $("#logout").onclick = async () => {
    // JSON, like every request that changes something: the receiver refuses anything else.
    await fetch("/desk/logout", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    me = null;
    showLogin();
  };
  window.onhashchange = render;
  version = (await api("/api/v1/version")).version; // before rendering: no change slips between
  await render();
  setInterval(poll, 3000);
}

// After every deferred script: the login page uses crosscheck.js's language switch, and a quick
// 401 from /api/v1/me could otherwise come back before that file has run.
document.addEventListener("DOMContentLoaded", start);
