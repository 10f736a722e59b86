// "Perlu perbaikan": the desk sends a sheet back to its operator with a reason
// (POST /api/v1/sheets/send-back); the sheet page shows its marks, and a page lists every mark
// with its state, waiting or corrected (GET /api/v1/send-backs). Uses app.js's helpers ($, esc,
// api, badge, localTime, render) and crosscheck.js's language choice (xlang).
"use strict";

const SB = () => SENDBACK_TEXT[typeof xlang === "undefined" ? "id" : xlang];

function sendBackBadge(m) {
  return m.state === "answered" ? badge("accepted", SB().answered) : badge("on_device", SB().waiting);
}

// On the sheet page: each mark with its reason and state, and the action while none waits.
function sendBackCard(d) {
  const marks = d.send_backs || [];
  const waiting = marks.some((m) => m.state === "waiting");
  return `<section class="card sendback" data-test="sendback-card"><h3>${esc(SB().title)}</h3>
    ${marks.map((m) => `<div class="sendback-mark" data-test="sendback-mark">${sendBackBadge(m)}
      <strong data-test="sendback-reason">${esc(m.reason)}</strong>
      <div class="muted">${esc(SB().sentBy(m.by, localTime(m.at)))}${m.answered_by ? " · " + esc(SB().answeredBy(m.answered_by.slice(0, 8))) : ""}</div></div>`).join("")}
    ${waiting ? `<p class="muted" data-test="sendback-waiting">${esc(SB().waitingNote)}</p>`
      : !may("POST /api/v1/sheets/send-back") ? "" // a coordinator's action (docs/desk-accounts.md)
      : `<button class="primary" data-test="sendback-open" id="sendback-open">${esc(SB().action)}</button>`}
  </section>`;
}

function bindSendBack(d) {
  const open = $("#sendback-open");
  if (!open) return;
  open.onclick = () => {
    const dialog = $("#sendback-dialog");
    $("#sendback-title").textContent = SB().dialogTitle;
    $("#sendback-label").textContent = SB().reason;
    $("#sendback-reason").placeholder = SB().placeholder;
    $("#sendback-reason").value = "";
    $("#sendback-ok").textContent = SB().send;
    $("#sendback-cancel").textContent = SB().cancel;
    $("#sendback-what").textContent = d.place && d.place.tps.name
      ? `${d.place.tps.name} · Desa ${d.place.desa.name} — ${d.place.contest.code.toUpperCase()} (${d.sheet})` : d.sheet;
    dialog.onclose = async () => {
      if (dialog.returnValue !== "ok") return;
      try {
        await api("/api/v1/sheets/send-back", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ sheet: d.sheet, reason: $("#sendback-reason").value.trim() }) });
      } catch (e) { alert(SB().failed + e.message); }
      render();
    };
    dialog.showModal();
  };
}

// The list: every mark of the desk's area, newest first, with its state.
async function renderSendBacks() {
  const d = await api("/api/v1/send-backs");
  $("#main").innerHTML = `<div class="titlebar"><h2>${esc(SB().title)}</h2>${langButton()}</div>
    <p class="muted">${esc(SB().help)}</p>
    <p data-test="sendback-counts">${esc(SB().counts(d.waiting, d.answered))}</p>
    ${d.send_backs.length ? `<section class="card"><ul class="sendback-list" data-test="sendback-list">
      ${d.send_backs.map((m) => { const [tps, contest] = m.sheet.split("/"); return `<li data-sheet="${esc(m.sheet)}" data-state="${esc(m.state)}">
        <div><a href="#/lembar/${esc(tps)}/${esc(contest)}">${sheetTitle(m.sheet, m.place)}</a> ${sendBackBadge(m)}</div>
        <div><strong>${esc(m.reason)}</strong></div>
        <div class="muted">${esc(SB().sentBy(m.by, localTime(m.at)))}</div></li>`; }).join("")}</ul></section>`
      : `<p class="muted" data-test="sendback-none">${esc(SB().none)}</p>`}`;
  bindLang();
}

function sendBackNav(waiting) {
  const a = document.querySelector('[data-nav="perbaikan"]');
  if (a) a.firstChild.textContent = SB().nav + " ";
  const c = $("#sendback-count");
  if (c) c.textContent = waiting || "";
}
