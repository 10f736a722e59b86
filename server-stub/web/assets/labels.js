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
