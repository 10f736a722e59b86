// Second reading (docs/second-reading.md): the work queue by kecamatan and the blind reading of
// one sheet. The reader sees the place, the photo and empty boxes, never the first entry's
// numbers; after sending, "Terverifikasi" or "Beda bacaan" with both values of each box that
// differs, for the desk to decide on the Konflik page. Uses app.js's helpers ($, esc, api, ...).
"use strict";

// One card of the tally: how much of what counts two people have read alike.
function verificationCard(t) {
  const v = t.verification;
  if (!v) return "";
  return `<div class="card stat" data-test="verification"><div class="label">${esc(READING_TEXT.verifiedCard)}</div>
    <div class="value">${num(t.tps.verified)} / ${num(t.tps.reported)}</div>
    ${bar(v.tps_verified_over_reported)}
    <div class="muted">${esc(READING_TEXT.tpsVerified)} · ${pct(v.valid_votes_verified_over_valid)} ${esc(READING_TEXT.votesVerified)}</div>
    ${v.provisional ? badge("pending", READING_TEXT.provisional) : badge("verified", READING_TEXT.allVerified)}</div>`;
}

// On the Konflik page, beside a "beda bacaan": the photo both readings were typed from.
function readingPhoto(c) {
  const h = c.heads.find((x) => x.photo);
  return h ? `<a href="${esc(h.photo)}" target="_blank"><img class="photo" data-test="conflict-photo" src="${esc(h.photo)}" alt="${esc(READING_TEXT.photo)}"></a>` : "";
}

// Under a child area's "TPS masuk": how many of its reported TPS are verified.
function verifiedNote(c) {
  if (!c.tps.reported) return "";
  return `<div class="muted" data-test="child-verified">${num(c.tps.verified)} ${esc(READING_TEXT.verifiedShort)}${c.verified ? "" : " · " + esc(READING_TEXT.provisional)}</div>`;
}

async function renderReadingQueue(area) {
  const q = await api(`/api/v1/reading/queue?area=${encodeURIComponent(area)}`);
  const T = READING_TEXT;
  // Every counted sheet sits in one column: counted = verified + beda bacaan + konflik + to read
  // + waiting for the photo; "being read" is part of "to read".
  const rows = q.kecamatan.map((k) => `<tr data-kecamatan="${esc(k.code)}">
      <td>${esc(k.name)} <span class="muted">${esc(k.code)}</span></td>
      <td class="num" data-col="sheets">${num(k.sheets)}</td>
      <td class="num" data-col="verified">${num(k.verified)} ${bar(k.sheets ? 100 * k.verified / k.sheets : 0)}</td>
      <td class="num" data-col="differ">${k.differ ? badge("conflict", `${num(k.differ)} ${T.differ}`) : "0"}</td>
      <td class="num" data-col="conflict">${k.conflict ? `<a href="#/konflik">${badge("conflict", `${num(k.conflict)} ${T.conflict}`)}</a>` : "0"}</td>
      <td class="num" data-test="to-read" data-col="to_read">${num(k.to_read)}</td>
      <td class="num" data-col="claimed">${num(k.claimed)}</td>
      <td class="num" data-col="no_photo">${num(k.no_photo)}</td>
      <td>${k.to_read > k.claimed && may("POST /api/v1/reading/next") ? `<a class="button primary" href="#/baca/${esc(k.code)}" data-test="read-next">${esc(T.readNext)}</a>` : ""}</td></tr>`).join("");
  $("#main").innerHTML = `<h2>${esc(T.queueTitle)}</h2>
    <p class="muted">${esc(T.queueHelp)}</p>
    ${may("POST /api/v1/reading/next") ? `<div class="actions"><a class="button primary" href="#/baca/${esc(q.area.code)}">${esc(T.readNextAny)}</a></div>` : ""}
    <section class="card"><p class="muted">${esc(T.columnsHelp)}</p><div class="scroll"><table class="xtable queue" data-test="reading-queue"><thead><tr><th>${esc(T.kecamatan)}</th><th class="num">${esc(T.sheets)}</th>
      <th class="num">${esc(T.verified)}</th><th class="num">${esc(T.differHead)}</th><th class="num">${esc(T.conflictHead)}</th><th class="num">${esc(T.toRead)}</th>
      <th class="num">${esc(T.claimed)}</th><th class="num">${esc(T.noPhoto)}</th><th></th></tr></thead>
      <tbody>${rows || `<tr><td colspan="9" class="muted">${esc(T.nothing)}</td></tr>`}</tbody>
      <tfoot><tr class="total" data-test="queue-totals"><td>${esc(q.area.name || q.area.code)}</td><td class="num" data-col="sheets">${num(q.totals.sheets)}</td><td class="num" data-col="verified">${num(q.totals.verified)}</td>
        <td class="num" data-col="differ">${num(q.totals.differ)}</td><td class="num" data-col="conflict">${num(q.totals.conflict)}</td><td class="num" data-col="to_read">${num(q.totals.to_read)}</td><td class="num" data-col="claimed">${num(q.totals.claimed)}</td><td class="num" data-col="no_photo">${num(q.totals.no_photo)}</td><td></td></tr></tfoot></table></div></section>`;
}

// While typing from the photo, the photo stays in view: beside the form at desk widths, a strip
// pinned at the top on a narrow screen (style.css). Zoom in steps, the whole photo at one tap; a
// box reached by Tab is scrolled out from under the strip.
const ZOOMS = [1, 1.5, 2, 3, 4];
function keepPhotoInView() {
  const card = $("[data-test=reading-photo-card]"), frame = $("[data-test=reading-photo-frame]");
  let level = 0;
  card.querySelectorAll("[data-zoom]").forEach((b) => {
    b.onclick = () => {
      const step = Number(b.dataset.zoom);
      level = step === 0 ? 0 : Math.max(0, Math.min(ZOOMS.length - 1, level + step));
      frame.style.setProperty("--zoom", ZOOMS[level]);
      frame.classList.toggle("zoomed", level > 0);
    };
  });
  $("#reading-form").addEventListener("focusin", (e) => {
    const pinned = card.getBoundingClientRect(), r = e.target.getBoundingClientRect();
    const under = pinned.left < r.right && r.left < pinned.right && r.top < pinned.bottom + 8;
    if (under) window.scrollBy(0, r.top - pinned.bottom - 8 - r.height);
  });
}

// The label of a form row, from the labels the desk already reads (labels.js).
function readingRowLabel(row) {
  const T = READING_TEXT;
  if (row.kind === "candidate") return `IV ${T.candidate} ${row.number}${row.name ? " — " + row.name : ""}`;
  if (row.kind === "party_total") return `IV ${row.party_name || row.party}: ${T.partyTotal}`;
  if (row.kind === "party_only") return `IV ${row.party_name || row.party}: ${T.partyOnly}`;
  if (row.kind === "party_candidate") return `IV ${row.party_name || row.party}: ${T.caleg} ${row.number}`;
  const all = [...SHEET_ROWS, ...BALLOT_ROWS, ...SUMMARY_ROWS];
  const found = all.find(([, label]) => label.startsWith(row.code + " "));
  return found ? found[1] : row.code;
}

function readingForm(form) {
  const T = READING_TEXT;
  const box = (f) => f.computed
    ? `<input class="box computed" data-field="${esc(f.id)}" disabled placeholder="${esc(T.computed)}" title="${esc(T.computedHelp)}">`
    : `<input class="box" data-field="${esc(f.id)}" inputmode="numeric" pattern="[0-9]*" maxlength="3" autocomplete="off" aria-label="${esc(f.id)}">`;
  return `<table class="compact reading-form" data-test="reading-form"><tbody>${form.map((row) => {
    const lp = row.kind === "lp";
    return `<tr><td>${esc(readingRowLabel(row))}</td>${lp
      ? row.fields.map((f, i) => `<td><span class="muted">${["L", "P", T.total][i]}</span> ${box(f)}</td>`).join("")
      : `<td colspan="3">${box(row.fields[0])}</td>`}</tr>`;
  }).join("")}</tbody></table>`;
}

// "I.B1 Pengguna hak pilih dari DPT (L)": a box by its row's label and its column.
function boxLabel(claim, id) {
  for (const row of claim.form) {
    const i = row.fields.findIndex((f) => f.id === id);
    if (i < 0) continue;
    return readingRowLabel(row) + (row.kind === "lp" ? ` (${["L", "P", READING_TEXT.total][i]})` : "");
  }
  return id;
}

function readingValues() {
  const values = {};
  for (const input of document.querySelectorAll(".reading-form input.box:not(.computed)")) {
    const v = input.value.trim();
    if (v !== "") values[input.dataset.field] = Number(v);
  }
  return values;
}

function readingResult(claim, result) {
  const T = READING_TEXT;
  if (result.outcome === "verified")
    return `<div class="card result verified" data-test="reading-result" data-outcome="verified">
      <h3>${badge("verified", T.verifiedBadge)} ${esc(T.verifiedText)}</h3></div>`;
  if (result.outcome === "differs")
    return `<div class="card result differs" data-test="reading-result" data-outcome="differs">
      <h3>${badge("conflict", T.differBadge)} ${esc(T.differText)}</h3>
      <table class="compact" data-test="differences"><thead><tr><th>${esc(T.box)}</th><th class="num">${esc(T.secondReading)}</th></tr></thead>
      <tbody>${result.differences.map((d) => `<tr class="diff" data-field="${esc(d.field)}"><td>${esc(boxLabel(claim, d.field))}</td><td class="num">${esc(d.second)}</td></tr>`).join("")}</tbody></table>
      ${may("GET /api/v1/conflicts") ? `<p><a class="button primary" href="#/konflik">${esc(T.toConflicts)}</a></p>` : ""}</div>`;
  if (result.outcome === SHEET_STATE.rejected)
    return `<div class="card result rejected" data-test="reading-result" data-outcome="rejected">
      <h3>${badge("rejected", T.rejectedBadge)} ${esc(T.rejectedText)}</h3>
      ${result.findings.filter((f) => f.severity !== "warning").map((f) => `<div class="finding error">${esc(f.rule)}: ${esc(f.message_id)}</div>`).join("")}</div>`;
  return `<div class="card result" data-test="reading-result" data-outcome="${esc(result.outcome)}"><h3>${esc(T.unverifiedText)}</h3></div>`;
}

async function renderReading(area) {
  const T = READING_TEXT;
  const { claim } = await api("/api/v1/reading/next", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ area }),
  });
  if (!claim) {
    $("#main").innerHTML = `<h2>${esc(T.readingTitle)}</h2><p class="muted" data-test="nothing-to-read">${esc(T.nothingToRead)}</p>
      <a class="button" href="#/bacaan">${esc(T.backToQueue)}</a>`;
    return;
  }
  $("#main").innerHTML = `<div class="titlebar"><div><div class="crumbs"><a href="#/bacaan">← ${esc(T.backToQueue)}</a></div>
      <h2>${esc(T.readingTitle)}: ${esc(claim.contest_name)}</h2>
      <div data-test="reading-place">${esc(claim.kecamatan_name)} › ${esc(claim.desa_name)} › ${esc(claim.tps_name)} <span class="muted">${esc(claim.sheet)}</span></div>
      <div class="muted">${esc(T.blindHelp)} ${esc(T.claimedUntil)} ${esc(claim.expires_at)}.</div></div>
      <div class="actions"><button id="reading-skip">${esc(T.skip)}</button></div></div>
    <div class="grid reading">
      <section class="card reading-photo-card" data-test="reading-photo-card">
        <div class="photo-head"><h3>${esc(T.photo)}</h3><div class="actions">
          <button type="button" data-zoom="-1" data-test="zoom-out" aria-label="${esc(T.zoomOut)}">−</button>
          <button type="button" data-zoom="0" data-test="zoom-fit">${esc(T.zoomFit)}</button>
          <button type="button" data-zoom="1" data-test="zoom-in" aria-label="${esc(T.zoomIn)}">+</button>
          <a class="button" href="${esc(claim.photo)}" target="_blank">${esc(T.openPhoto)}</a></div></div>
        <div class="photo-frame" data-test="reading-photo-frame"><img class="reading-photo" data-test="reading-photo" src="${esc(claim.photo)}" alt="${esc(T.photo)}"></div></section>
      <section class="card"><h3>${esc(T.typeNumbers)}</h3>
        <form id="reading-form">${readingForm(claim.form)}
          <p class="error" id="reading-error"></p>
          <button class="primary" type="submit" id="reading-send">${esc(T.send)}</button></form>
        <div id="reading-result"></div></section>
    </div>`;
  keepPhotoInView();
  $("#reading-skip").onclick = async () => {
    await api("/api/v1/reading/release", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sheet: claim.sheet }) }).catch(() => {});
    location.hash = "#/bacaan";
  };
  $("#reading-form").onsubmit = async (e) => {
    e.preventDefault();
    $("#reading-error").textContent = "";
    const values = readingValues();
    const blank = [...document.querySelectorAll(".reading-form input.box:not(.computed)")].filter((i) => i.value.trim() === "");
    if (blank.length) {
      $("#reading-error").textContent = T.blank.replace("{n}", blank.length);
      blank[0].focus();
      return;
    }
    try {
      const result = await api("/api/v1/reading/submit", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sheet: claim.sheet, parent: claim.parent, values }) });
      $("#reading-result").innerHTML = readingResult(claim, result) +
        (result.outcome === SHEET_STATE.rejected ? "" : `<p><a class="button primary" href="#/baca/${esc(area)}/${Date.now()}" data-test="read-next-after">${esc(T.readNext)}</a></p>`);
      if (result.outcome !== SHEET_STATE.rejected) {
        document.querySelectorAll(".reading-form input").forEach((i) => { i.disabled = true; });
        $("#reading-send").disabled = true;
      }
    } catch (err) {
      if (err.message !== "unauthorized") $("#reading-error").textContent = err.message;
    }
  };
  const first = document.querySelector(".reading-form input.box:not(.computed)");
  if (first) first.focus();
}
