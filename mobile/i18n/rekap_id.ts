<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AppHeader</name>
    <message>
        <source>Back</source>
        <translation>Kembali</translation>
    </message>
    <message>
        <source>Sending...</source>
        <translation>Mengirim...</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Daring</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Luring</translation>
    </message>
</context>
<context>
    <name>CamatPage</name>
    <message>
        <source>Kecamatan %1</source>
        <translation>Kecamatan %1</translation>
    </message>
    <message>
        <source>State as of %1</source>
        <translation>Keadaan per %1</translation>
    </message>
    <message>
        <source>Not fetched yet</source>
        <translation>Belum pernah diambil</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Semua</translation>
    </message>
    <message>
        <source>%1/%2 sheets</source>
        <translation>%1/%2 lembar</translation>
    </message>
    <message numerus="yes">
        <source>%n on the device</source>
        <translation><numerusform>%n di perangkat</numerusform></translation>
    </message>
    <message>
        <source>last seen %1</source>
        <translation>terakhir terlihat %1</translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <source>Enrol this tablet</source>
        <translation>Daftarkan tablet ini</translation>
    </message>
    <message>
        <source>Enter the receiver's address and the one-time code from the desk. You do this once; after that the tablet works without signal.</source>
        <translation>Masukkan alamat server penerima dan kode sekali pakai dari desk. Ini dilakukan sekali saja; setelah itu tablet bekerja tanpa sinyal.</translation>
    </message>
    <message>
        <source>Receiver address</source>
        <translation>Alamat server penerima</translation>
    </message>
    <message>
        <source>One-time code</source>
        <translation>Kode sekali pakai</translation>
    </message>
    <message>
        <source>Enrolling...</source>
        <translation>Mendaftarkan...</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>Daftarkan</translation>
    </message>
    <message>
        <source>Tablet</source>
        <translation>Tablet</translation>
    </message>
    <message>
        <source>Enrolment failed: %1</source>
        <translation>Pendaftaran gagal: %1</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Rekap - C.Hasil capture</source>
        <translation>Rekap - pencatatan C.Hasil</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>Outbox</source>
        <translation>Kotak keluar</translation>
    </message>
    <message>
        <source>decided by the desk</source>
        <translation>diputuskan desk</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Nama Anda</translation>
    </message>
    <message>
        <source>The five result sheets (C.Hasil) of this TPS</source>
        <translation>Lima lembar hasil (C.Hasil) TPS ini</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Review: %1</source>
        <translation>Periksa: %1</translation>
    </message>
    <message>
        <source>Voters (I.B4)</source>
        <translation>Pengguna hak pilih (I.B4)</translation>
    </message>
    <message>
        <source>Ballots used (II.2)</source>
        <translation>Surat suara digunakan (II.2)</translation>
    </message>
    <message>
        <source>Valid votes (V.A)</source>
        <translation>Suara sah (V.A)</translation>
    </message>
    <message>
        <source>Invalid votes (V.B)</source>
        <translation>Suara tidak sah (V.B)</translation>
    </message>
    <message>
        <source>Votes cast (V.C)</source>
        <translation>Jumlah suara (V.C)</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>Pemeriksaan</translation>
    </message>
    <message>
        <source>All checks pass.</source>
        <translation>Semua pemeriksaan lolos.</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Why is it corrected? (required)</source>
        <translation>Alasan koreksi (wajib)</translation>
    </message>
    <message>
        <source>Attach photo of the C.Hasil plano</source>
        <translation>Lampirkan foto C.Hasil plano</translation>
    </message>
    <message>
        <source>Photo attached</source>
        <translation>Foto terlampir</translation>
    </message>
    <message>
        <source>No photo</source>
        <translation>Belum ada foto</translation>
    </message>
    <message>
        <source>Finalize and queue for sending</source>
        <translation>Finalisasi dan antrekan untuk dikirim</translation>
    </message>
    <message>
        <source>Photo of the C.Hasil plano</source>
        <translation>Foto C.Hasil plano</translation>
    </message>
    <message>
        <source>Photos (*.jpg *.jpeg *.png)</source>
        <translation>Foto (*.jpg *.jpeg *.png)</translation>
    </message>
</context>
<context>
    <name>SheetPage</name>
    <message>
        <source>correction</source>
        <translation>koreksi</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix</source>
        <translation><numerusform>%n masalah perlu diperbaiki</numerusform></translation>
    </message>
    <message>
        <source>All checks pass</source>
        <translation>Semua pemeriksaan lolos</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation><numerusform>%n peringatan</numerusform></translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Periksa</translation>
    </message>
    <message>
        <source>I. Voters</source>
        <translation>I. Data pemilih</translation>
    </message>
    <message>
        <source>Male (L)</source>
        <translation>Laki-laki (L)</translation>
    </message>
    <message>
        <source>Female (P)</source>
        <translation>Perempuan (P)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Jumlah</translation>
    </message>
    <message>
        <source>A. Voters on the DPT</source>
        <translation>A. Pemilih terdaftar dalam DPT</translation>
    </message>
    <message>
        <source>B1. Voted, from the DPT</source>
        <translation>B1. Pengguna hak pilih dari DPT</translation>
    </message>
    <message>
        <source>B2. Voted, from the DPTb</source>
        <translation>B2. Pengguna hak pilih dari DPTb</translation>
    </message>
    <message>
        <source>B3. Voted, from the DPK</source>
        <translation>B3. Pengguna hak pilih dari DPK</translation>
    </message>
    <message>
        <source>B4. All who voted (B1+B2+B3)</source>
        <translation>B4. Jumlah pengguna hak pilih (B1+B2+B3)</translation>
    </message>
    <message>
        <source>II. Ballot papers</source>
        <translation>II. Data surat suara</translation>
    </message>
    <message>
        <source>1. Received (including the 2% reserve)</source>
        <translation>1. Diterima (termasuk cadangan 2%)</translation>
    </message>
    <message>
        <source>2. Used</source>
        <translation>2. Digunakan</translation>
    </message>
    <message>
        <source>3. Returned damaged or mis-marked</source>
        <translation>3. Dikembalikan rusak atau keliru coblos</translation>
    </message>
    <message>
        <source>4. Unused</source>
        <translation>4. Tidak digunakan</translation>
    </message>
    <message>
        <source>III. Voters with disabilities who voted</source>
        <translation>III. Pemilih disabilitas yang menggunakan hak pilih</translation>
    </message>
    <message>
        <source>IV. Valid votes</source>
        <translation>IV. Perolehan suara sah</translation>
    </message>
    <message>
        <source>Search party or candidate</source>
        <translation>Cari partai atau calon</translation>
    </message>
    <message>
        <source>party total</source>
        <translation>jumlah partai</translation>
    </message>
    <message>
        <source>votes for the party only</source>
        <translation>suara partai saja</translation>
    </message>
    <message>
        <source>V. Votes</source>
        <translation>V. Jumlah suara</translation>
    </message>
    <message>
        <source>A. Valid votes</source>
        <translation>A. Suara sah</translation>
    </message>
    <message>
        <source>B. Invalid votes</source>
        <translation>B. Suara tidak sah</translation>
    </message>
    <message>
        <source>C. Valid and invalid (A+B)</source>
        <translation>C. Jumlah suara sah dan tidak sah (A+B)</translation>
    </message>
</context>
<context>
    <name>StateNames</name>
    <message>
        <source>empty</source>
        <translation>kosong</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>draf</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>antre</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>terkirim</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>diterima</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>konflik</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>ditolak</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>dikesampingkan</translation>
    </message>
    <message>
        <source>not received</source>
        <translation>belum masuk</translation>
    </message>
    <message>
        <source>on device</source>
        <translation>di perangkat</translation>
    </message>
</context>
<context>
    <name>SyncBar</name>
    <message numerus="yes">
        <source>%n sheet(s) waiting to be sent</source>
        <translation><numerusform>%n lembar menunggu dikirim</numerusform></translation>
    </message>
    <message>
        <source>Everything has been sent</source>
        <translation>Semua sudah terkirim</translation>
    </message>
    <message>
        <source>Last sync %1. </source>
        <translation>Sinkron terakhir pukul %1. </translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Kotak keluar</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Kirim sekarang</translation>
    </message>
</context>
<context>
    <name>rekap::tablet::SheetEditor</name>
    <message numerus="yes">
        <source>The sheet breaks %n rule(s): fix the marked fields first.</source>
        <translation><numerusform>Lembar melanggar %n aturan: perbaiki dulu isian yang ditandai.</numerusform></translation>
    </message>
</context>
<context>
    <name>rekap::tablet::SyncWorker</name>
    <message>
        <source>The receiver cannot be reached; sheets stay queued.</source>
        <translation>Server penerima tidak terjangkau; lembar tetap dalam antrean.</translation>
    </message>
    <message>
        <source>%1 of %2 sheets, %3 of %4 KB</source>
        <translation>%1 dari %2 lembar, %3 dari %4 KB</translation>
    </message>
    <message>
        <source>%1 accepted, %2 conflict, %3 rejected</source>
        <translation>%1 diterima, %2 konflik, %3 ditolak</translation>
    </message>
</context>
</TS>