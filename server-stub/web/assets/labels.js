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
const STATE_LABEL = {
  accepted: "diterima", conflict: "konflik", rejected: "ditolak", superseded: "dikesampingkan",
  not_received: "belum masuk", on_device: "di perangkat", partial: "sebagian masuk", pending: "tertunda",
};
// Second reading (assets/reading.js).
const READING_TEXT = {
  verifiedCard: "Verifikasi (bacaan kedua)", tpsVerified: "TPS masuk terverifikasi", verifiedShort: "terverifikasi", votesVerified: "suara sah terverifikasi",
  provisional: "sementara", allVerified: "terverifikasi seluruhnya",
  queueTitle: "Bacaan kedua", queueHelp: "Setiap lembar yang masuk dengan foto diketik ulang dari foto oleh orang lain, tanpa melihat entri pertama. Sama: terverifikasi. Beda: desk memutuskan di halaman Konflik; sampai itu entri pertama yang dihitung. Satu lembar hanya diberikan kepada satu pembaca pada satu waktu.",
  kecamatan: "Kecamatan", sheets: "Lembar masuk", verified: "Terverifikasi", differ: "beda bacaan", differHead: "Beda bacaan", toRead: "Perlu dibaca",
  claimed: "Sedang dibaca", noPhoto: "Menunggu foto", nothing: "Belum ada lembar yang masuk.",
  readNext: "Baca lembar berikutnya", readNextAny: "Baca lembar berikutnya (semua kecamatan)",
  readingTitle: "Bacaan kedua", nothingToRead: "Tidak ada lembar yang menunggu bacaan kedua di wilayah ini.",
  backToQueue: "kembali ke antrean", blindHelp: "Ketik angka dari foto C.Hasil plano. Entri pertama tidak ditampilkan.",
  claimedUntil: "Lembar ini dipegang untuk Anda sampai", skip: "Lewati", photo: "Foto C.Hasil plano",
  typeNumbers: "Ketik angka dari foto", total: "Jml", computed: "otomatis", computedHelp: "Dihitung dari kotak lain",
  candidate: "Nomor urut", partyTotal: "jumlah", partyOnly: "suara partai", caleg: "calon",
  send: "Kirim bacaan", blank: "{n} kotak masih kosong: kotak kosong bukan nol.",
  verifiedBadge: "Terverifikasi", verifiedText: "Bacaan kedua sama dengan entri pertama.",
  differBadge: "Beda bacaan", differText: "Bacaan kedua berbeda dengan entri pertama pada kotak berikut. Entri pertama tetap dihitung sampai desk memutuskan.",
  box: "Kotak", firstEntry: "Entri pertama", secondReading: "Bacaan kedua", toConflicts: "Putuskan di halaman Konflik",
  rejectedBadge: "Ditolak aturan", rejectedText: "Bacaan ini melanggar aturan konsistensi; periksa dan kirim lagi.",
  unverifiedText: "Bacaan disimpan.",
};
