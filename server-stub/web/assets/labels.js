// Labels of the C.Hasil form's fields, as the desk reads them (Bahasa Indonesia).
const SHEET_ROWS = [
  ["voters.dpt", "I.A Pemilih terdaftar dalam DPT"],
  ["voters.from_dpt", "I.B1 Pengguna hak pilih dari DPT"],
  ["voters.from_dptb", "I.B2 Pengguna hak pilih dari DPTb"],
  ["voters.from_dpk", "I.B3 Pengguna hak pilih dari DPK"],
  ["voters.total", "I.B4 Jumlah pengguna hak pilih"],
  ["disabled_voters", "III Pemilih disabilitas yang menggunakan hak pilih"],
];
const BALLOT_ROWS = [
  ["ballots.received", "II.1 Surat suara diterima"],
  ["ballots.used", "II.2 Surat suara digunakan"],
  ["ballots.damaged", "II.3 Surat suara rusak/keliru coblos"],
  ["ballots.unused", "II.4 Surat suara tidak digunakan"],
];
const SUMMARY_ROWS = [
  ["summary.valid", "V.A Suara sah"],
  ["summary.invalid", "V.B Suara tidak sah"],
  ["summary.total", "V.C Jumlah suara sah dan tidak sah"],
];
// A sheet's states by name, as the receiver writes them (rekap/sheet_state.h, sheetStateName):
// the dashboard compares with SHEET_STATE.rejected, never with a string of its own
// (tests/shared/test_sheet_state.cpp holds this copy to the C++ table).
const SHEET_STATE = Object.freeze({
  empty: "empty", draft: "draft", queued: "queued", sending: "sending", not_received: "not_received",
  on_device: "on_device", partial: "partial", accepted: "accepted", conflict: "conflict",
  rejected: "rejected", superseded: "superseded", refused: "refused",
});
const STATE_LABEL = {
  accepted: "diterima", conflict: "konflik", rejected: "ditolak", superseded: "dikesampingkan",
  not_received: "belum masuk", on_device: "di perangkat", partial: "sebagian masuk", pending: "tertunda",
};

// The cross-check with KPU ("Selisih dengan KPU", crosscheck.js) in both UI languages: Bahasa
// Indonesia by default, English chosen on the page and remembered.
const CROSSCHECK_TEXT = {
  id: {
    nav: "Selisih dengan KPU",
    title: "Selisih dengan KPU",
    notice: "Angka KPU: salinan publikasi KPU (Sirekap) sebagaimana diimpor — milik KPU. Angka desk: rekap internal Pemkab, sementara. Keduanya bukan hasil resmi rekapitulasi.",
    noImport: "Belum ada impor angka KPU untuk surat suara ini (rekap-central kpu-import).",
    import: "Impor KPU", importedAt: "diimpor", rows: "baris TPS", older: "Bandingkan dengan impor",
    same: "sama", different: "berbeda", desk_only: "hanya di desk", kpu_only: "hanya di KPU",
    none: "tidak di keduanya", kpu_misread: "salah baca KPU", kpu_changed: "berubah di KPU sejak impor sebelumnya",
    line: "Baris", desk: "Desk (internal)", kpu: "KPU", delta: "Selisih (KPU − desk)",
    lines: "Perolehan kedua sumber", children: "Per wilayah", area: "Wilayah",
    compared: (n) => `Dibandingkan atas ${n} TPS yang ada di kedua sumber, kotak demi kotak yang dipublikasikan KPU. TPS yang hanya ada di satu sumber dijumlah terpisah dan bukan selisih.`,
    tpsDiffering: "TPS berbeda", onlyDesk: "Hanya di desk", onlyKpu: "Hanya di KPU",
    ofTps: (d, n) => `${d} dari ${n}`, kpuBlank: (n) => `KPU kosong di ${n} TPS`,
    childDelta: "Selisih V.A", childNote: "Satu baris merah hanya bila ada TPS di kedua sumber yang berbeda.",
    boxes: { "summary.valid": "suara sah", "summary.invalid": "suara tidak sah", "summary.total": "suara sah + tidak sah",
             "voters.total.total": "pemilih yang memilih", "voters.dpt.total": "DPT" },
    tps: "TPS", desa: "Desa", category: "Kategori", rules: "Aturan yang dilanggar angka KPU",
    differences: "Baris berbeda", needLook: "TPS yang perlu dicek", allTps: "Semua TPS",
    nothing: "Tidak ada TPS yang perlu dicek.", csv: "Unduh CSV", open: "lihat",
    form: "Lembar C.Hasil: desk dan KPU", box: "Isian", notPublished: "tidak dipublikasikan",
    photo: "Foto C.Hasil plano (desk)", noPhoto: "Tidak ada foto.", findings: "Angka KPU melanggar aturan",
    changes: "Berubah sejak impor sebelumnya", before: "sebelumnya", after: "sekarang",
    back: "← kembali", sheet: "Lembar desk dan riwayat", noDesk: "Desk belum menghitung lembar TPS ini.",
    verified: "terverifikasi", other: "English",
    states: { accepted: "diterima", conflict: "konflik", rejected: "ditolak" },
  },
  en: {
    nav: "Differences with KPU",
    title: "Differences with KPU",
    notice: "KPU's numbers: a copy of what KPU published (Sirekap) as imported — KPU's own. The desk's numbers: the regency's internal count, provisional. Neither is the official recapitulation.",
    noImport: "No KPU numbers imported for this contest yet (rekap-central kpu-import).",
    import: "KPU import", importedAt: "imported", rows: "TPS rows", older: "Compare with import",
    same: "same", different: "different", desk_only: "desk only", kpu_only: "KPU only",
    none: "in neither", kpu_misread: "KPU misread", kpu_changed: "changed at KPU since the import before",
    line: "Line", desk: "Desk (internal)", kpu: "KPU", delta: "Difference (KPU − desk)",
    lines: "Both sources' figures", children: "By area", area: "Area",
    compared: (n) => `Compared over the ${n} TPS both sources have, box by box where KPU published it. TPS at one source only are summed apart and are no difference.`,
    tpsDiffering: "TPS differing", onlyDesk: "Desk only", onlyKpu: "KPU only",
    ofTps: (d, n) => `${d} of ${n}`, kpuBlank: (n) => `blank at KPU in ${n} TPS`,
    childDelta: "V.A difference", childNote: "A row is red only when a TPS both sources have differs.",
    boxes: { "summary.valid": "valid votes", "summary.invalid": "invalid votes", "summary.total": "valid + invalid",
             "voters.total.total": "voters who voted", "voters.dpt.total": "DPT" },
    tps: "TPS", desa: "Desa", category: "Category", rules: "Rules KPU's numbers break",
    differences: "Differing lines", needLook: "TPS to check", allTps: "Every TPS",
    nothing: "No TPS to check.", csv: "Download CSV", open: "open",
    form: "C.Hasil sheet: desk and KPU", box: "Box", notPublished: "not published",
    photo: "Photo of the C.Hasil plano (desk)", noPhoto: "No photo.", findings: "KPU's numbers break rules",
    changes: "Changed since the previous import", before: "before", after: "now",
    back: "← back", sheet: "Desk sheet and history", noDesk: "The desk counts no sheet of this TPS yet.",
    verified: "verified", other: "Bahasa Indonesia",
    states: { accepted: "accepted", conflict: "conflict", rejected: "rejected" },
  },
};

// Second reading (assets/reading.js).
const READING_TEXT = {
  verifiedCard: "Verifikasi (bacaan kedua)", tpsVerified: "TPS masuk terverifikasi", verifiedShort: "terverifikasi", votesVerified: "suara sah terverifikasi",
  provisional: "sementara", allVerified: "terverifikasi seluruhnya",
  queueTitle: "Bacaan kedua", queueHelp: "Setiap lembar yang masuk dengan foto diketik ulang dari foto oleh orang lain, tanpa melihat entri pertama. Sama: terverifikasi. Beda: desk memutuskan di halaman Konflik; sampai itu entri pertama yang dihitung. Satu lembar hanya diberikan kepada satu pembaca pada satu waktu.",
  kecamatan: "Kecamatan", sheets: "Lembar masuk", verified: "Terverifikasi", differ: "beda bacaan", differHead: "Beda bacaan", toRead: "Perlu dibaca",
  conflict: "konflik", conflictHead: "Konflik antartablet",
  columnsHelp: "Setiap lembar masuk ada di satu kolom: terverifikasi, beda bacaan, konflik antartablet (desk memutuskan di halaman Konflik), perlu dibaca, atau menunggu foto. Sedang dibaca adalah bagian dari perlu dibaca.",
  claimed: "Sedang dibaca", noPhoto: "Menunggu foto", nothing: "Belum ada lembar yang masuk.",
  readNext: "Baca lembar berikutnya", readNextAny: "Baca lembar berikutnya (semua kecamatan)",
  readingTitle: "Bacaan kedua", nothingToRead: "Tidak ada lembar yang menunggu bacaan kedua di wilayah ini.",
  backToQueue: "kembali ke antrean", blindHelp: "Ketik angka dari foto C.Hasil plano. Entri pertama tidak ditampilkan.",
  claimedUntil: "Lembar ini dipegang untuk Anda sampai", skip: "Lewati", photo: "Foto C.Hasil plano",
  zoomIn: "Perbesar", zoomOut: "Perkecil", zoomFit: "Seluruh foto", openPhoto: "Buka foto",
  typeNumbers: "Ketik angka dari foto", total: "Jml", computed: "otomatis", computedHelp: "Dihitung dari kotak lain",
  candidate: "Nomor urut", partyTotal: "jumlah", partyOnly: "suara partai", caleg: "calon",
  send: "Kirim bacaan", blank: "{n} kotak masih kosong: kotak kosong bukan nol.",
  verifiedBadge: "Terverifikasi", verifiedText: "Bacaan kedua sama dengan entri pertama.",
  differBadge: "Beda bacaan", differText: "Bacaan kedua berbeda dengan entri pertama pada kotak berikut (angka entri pertama tidak ditampilkan kepada pembaca). Entri pertama tetap dihitung sampai koordinator memutuskan.",
  box: "Kotak", firstEntry: "Entri pertama", secondReading: "Bacaan kedua", toConflicts: "Putuskan di halaman Konflik",
  rejectedBadge: "Ditolak aturan", rejectedText: "Bacaan ini melanggar aturan konsistensi; periksa dan kirim lagi.",
  unverifiedText: "Bacaan disimpan.",
};

// "Bisa mengubah pemenang" (assets/winner.js, docs/tally.md) in both UI languages, following the
// language chosen on the page (the same choice as "Selisih dengan KPU").
const WINNER_TEXT = {
  id: {
    badge: "Bisa mengubah pemenang", title: "Bisa mengubah pemenang?",
    margin: "selisih", possible: "suara masih mungkin", disputed: "suara dipersoalkan",
    leads: (l, c, m) => `${l} unggul ${m} suara atas ${c}.`,
    tie: (l, c) => `${l} dan ${c} seri.`,
    possibleHelp: (r) => `surat suara TPS yang belum masuk (DPT + ${r} cadangan, dibulatkan ke atas)`,
    disputedHelp: "suara yang bisa berpindah dari lembar ditolak, konflik dan belum terverifikasi",
    can: "Suara yang belum pasti cukup untuk menyamai atau menyalip pemimpin.",
    cannot: "Suara yang belum pasti tidak cukup untuk mengubah pemimpin.",
    finalTie: "Seri, dan tidak ada suara yang belum pasti.",
    noLeader: "Belum ada suara yang dihitung.", alone: "Hanya satu peserta.",
    rule: "Aturan: lihat docs/tally.md.",
  },
  en: {
    badge: "Could change the winner", title: "Could the winner change?",
    margin: "margin", possible: "votes still possible", disputed: "votes disputed",
    leads: (l, c, m) => `${l} leads ${c} by ${m} votes.`,
    tie: (l, c) => `${l} and ${c} are tied.`,
    possibleHelp: (r) => `ballots of the TPS not in yet (DPT + ${r} reserve, rounded up)`,
    disputedHelp: "votes that could move in sheets rejected, in conflict or not yet verified",
    can: "The uncertain votes are enough to draw level with or overtake the leader.",
    cannot: "The uncertain votes are not enough to change the leader.",
    finalTie: "Tied, with no uncertain votes left.",
    noLeader: "No votes counted yet.", alone: "Only one contender.",
    rule: "Rule: see docs/tally.md.",
  },
};

// Desk accounts (docs/desk-accounts.md): the login page and who is logged in, in both UI
// languages, following the language chosen on the page.
const ACCOUNT_TEXT = {
  id: {
    title: "Masuk desk", intro: "Masuk dengan akun desk Anda (dibuat administrator: rekap-central user add).",
    name: "Nama", password: "Kata sandi", login: "Masuk", wrong: "Nama atau kata sandi salah.",
    busy: "Terlalu banyak yang masuk bersamaan: coba lagi sebentar lagi.",
    tokenTitle: "Atau dengan token desk", token: "Token desk", tokenWrong: "Token tidak dikenal.",
    roles: { administrator: "Administrator", coordinator: "Koordinator", reader: "Pembaca", observer: "Pemantau" },
    accounts: "Akun desk", accountsIntro: "Setiap orang desk punya akun dengan satu peran. Akun dibuat dan kata sandi diatur dengan rekap-central user.",
    role: "Peran", state: "Status", enabled: "aktif", disabled: "dinonaktifkan", disable: "Nonaktifkan",
    disableConfirm: "Nonaktifkan akun {name}? Semua sesinya langsung berakhir.",
  },
  en: {
    title: "Desk login", intro: "Log in with your desk account (made by the administrator: rekap-central user add).",
    name: "Name", password: "Password", login: "Log in", wrong: "Wrong name or password.",
    busy: "Too many logins at once: try again in a moment.",
    tokenTitle: "Or with a desk token", token: "Desk token", tokenWrong: "Unknown token.",
    roles: { administrator: "Administrator", coordinator: "Coordinator", reader: "Reader", observer: "Observer" },
    accounts: "Desk accounts", accountsIntro: "Each person of the desk has an account with one role. Accounts are made and passwords set with rekap-central user.",
    role: "Role", state: "State", enabled: "enabled", disabled: "disabled", disable: "Disable",
    disableConfirm: "Disable the account {name}? All its sessions end at once.",
  },
};

// "Perlu perbaikan": sheets the desk sends back to their operator (assets/sendback.js), in both
// UI languages, following the language chosen on the page (as "Selisih dengan KPU").
const SENDBACK_TEXT = {
  id: {
    nav: "Perlu perbaikan", title: "Perlu perbaikan",
    help: "Lembar yang dikembalikan desk ke operator TPS dengan alasannya. Tablet operator menampilkannya pada sinkron berikutnya; koreksi operator (boleh dengan foto plano baru) menjawabnya.",
    action: "Perlu perbaikan", dialogTitle: "Kembalikan lembar ke operator",
    reason: "Alasan (wajib, dibaca operator di tablet)", placeholder: "mis. suara paslon 2 tidak terbaca di foto, mohon foto ulang",
    send: "Kirim ke operator", cancel: "Batal",
    waiting: "menunggu koreksi", answered: "sudah dikoreksi",
    sentBy: (by, at) => `dikembalikan oleh ${by}, ${at}`,
    answeredBy: (id) => `dijawab oleh revisi ${id}`,
    waitingNote: "Menunggu koreksi dari operator: tablet menampilkan alasan ini.",
    none: "Belum ada lembar yang dikembalikan.", failed: "Gagal mengirim: ",
    counts: (w, a) => `${w} menunggu koreksi · ${a} sudah dikoreksi`,
  },
  en: {
    nav: "Needs correction", title: "Needs correction",
    help: "Sheets the desk sent back to their TPS operator, with the reason. The operator's tablet shows it on its next sync; the operator's correction (a new plano photo allowed) answers it.",
    action: "Needs correction", dialogTitle: "Send the sheet back to its operator",
    reason: "Reason (required, the operator reads it on the tablet)", placeholder: "e.g. paslon 2's votes cannot be read on the photo, please retake it",
    send: "Send to the operator", cancel: "Cancel",
    waiting: "waiting for the correction", answered: "corrected",
    sentBy: (by, at) => `sent back by ${by}, ${at}`,
    answeredBy: (id) => `answered by revision ${id}`,
    waitingNote: "Waiting for the operator's correction: the tablet shows this reason.",
    none: "No sheet has been sent back yet.", failed: "Could not send: ",
    counts: (w, a) => `${w} waiting for the correction · ${a} corrected`,
  },
};
