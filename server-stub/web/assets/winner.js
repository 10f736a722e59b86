// "Bisa mengubah pemenang": the tally report's winner_alert (docs/tally.md) as a badge on an
// area's row and a card on its page, with the numbers behind it. Uses app.js's helpers (esc,
// num) and crosscheck.js's language choice (xlang).
"use strict";

const W = () => WINNER_TEXT[typeof xlang === "undefined" ? "id" : xlang];
const lineName = (l) => `${String(l.number).padStart(2, "0")} ${l.name}`;

// The ballot reserve the receiver counted a missing TPS with: 2 % at the general election, 2.5 %
// at the Pilkada ("dpt_plus_25_permille_rounded_up"), with the language's decimal mark.
function reserveText(rule) {
  const m = /^dpt_plus_(\d+)_permille/.exec(rule || "");
  if (!m) return "2%";
  const text = String(Number(m[1]) / 10) + "%";
  return (typeof xlang === "undefined" || xlang === "id") ? text.replace(".", ",") : text;
}

function winnerNumbers(a) {
  return `${W().margin} ${num(a.margin)} · ${W().possible} ${num(a.possible)} · ${W().disputed} ${num(a.disputed)}`;
}

// On an area's row: the badge and its numbers, only when the winner could change.
function winnerBadge(a) {
  if (!a || !a.can_change) return "";
  return `<div class="winner-row"><span class="badge winner" data-test="winner-alert" title="${esc(winnerNumbers(a))}">${esc(W().badge)}</span>
    <span class="muted" data-test="winner-numbers">${esc(winnerNumbers(a))}</span></div>`;
}

// On the area's page: who leads whom by how much, and the sum against the margin.
function winnerCard(t) {
  const a = t.winner_alert;
  if (!a) return "";
  let body;
  if (!a.leader) body = `<p class="muted">${esc(W().noLeader)}</p>`;
  else if (!a.challenger) body = `<p class="muted">${esc(W().alone)}</p>`;
  else {
    const who = a.tie ? W().tie(lineName(a.leader), lineName(a.challenger))
      : W().leads(`${lineName(a.leader)} (${num(a.leader_votes)})`, `${lineName(a.challenger)} (${num(a.challenger_votes)})`, num(a.margin));
    const verdict = a.can_change ? W().can : a.tie ? W().finalTie : W().cannot;
    body = `<p>${esc(who)}</p>
      <table class="compact winner-sum"><tbody>
        <tr><td>${esc(W().possible)}<br><span class="muted">${esc(W().possibleHelp(reserveText(a.ballots_rule)))}</span></td><td class="num" data-test="winner-possible">${num(a.possible)}</td></tr>
        <tr><td>+ ${esc(W().disputed)}<br><span class="muted">${esc(W().disputedHelp)}</span></td><td class="num" data-test="winner-disputed">${num(a.disputed)}</td></tr>
        <tr><td>${a.can_change ? "≥" : "<"} ${esc(W().margin)}</td><td class="num" data-test="winner-margin">${num(a.margin)}</td></tr>
      </tbody></table>
      <p class="${a.can_change ? "error" : "muted"}">${esc(verdict)}</p>`;
  }
  return `<section class="card winner-card" data-test="winner-card"><h3>${esc(W().title)} ${a.can_change ? `<span class="badge winner" data-test="winner-alert">${esc(W().badge)}</span>` : ""}</h3>
    ${body}<p class="muted">${esc(W().rule)}</p></section>`;
}
