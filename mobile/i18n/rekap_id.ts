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
            <source>Online</source>
            <translation>Daring</translation>
        </message>
        <message>
            <source>Offline</source>
            <translation>Luring</translation>
        </message>
        <message>
            <source>Last contact</source>
            <translation>Terakhir tersambung</translation>
        </message>
        <message>
            <source>Sending</source>
            <translation>Mengirim</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Bahasa</translation>
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
            <translation>Perbarui</translation>
        </message>
        <message>
            <source>last seen %1</source>
            <translation>terakhir terlihat %1</translation>
        </message>
        <message>
            <source>Could not refresh.</source>
            <translation>Gagal memperbarui.</translation>
        </message>
        <message>
            <source>Shown: the state as of %1.</source>
            <translation>Yang tampil: keadaan per %1.</translation>
        </message>
        <message>
            <source>%1 of %2 sheets</source>
            <translation>%1 dari %2 lembar</translation>
        </message>
        <message numerus="yes">
            <source>%n still on the tablet</source>
            <translation>
                <numerusform>%n masih di tablet</numerusform>
            </translation>
        </message>
        <message>
            <source>Receive by QR</source>
            <translation>Terima lewat QR</translation>
        </message>
        <message>
            <source>Second reading</source>
            <translation>Bacaan kedua</translation>
        </message>
        <message>
            <source>Needs correction: %1</source>
            <translation>Perlu perbaikan: %1</translation>
        </message>
    </context>
    <context>
        <name>CamatTpsPage</name>
        <message>
            <source>%1 of %2 sheets received</source>
            <translation>%1 dari %2 lembar diterima</translation>
        </message>
        <message numerus="yes">
            <source>%n still on the tablet</source>
            <translation>
                <numerusform>%n masih di tablet</numerusform>
            </translation>
        </message>
        <message>
            <source>last seen %1</source>
            <translation>terakhir terlihat %1</translation>
        </message>
        <message>
            <source>no tablet has reported yet</source>
            <translation>belum ada tablet yang melapor</translation>
        </message>
        <message>
            <source>Corrected after the desk sent it back: %1</source>
            <translation>Sudah diperbaiki setelah dikembalikan desk: %1</translation>
        </message>
        <message>
            <source>Needs correction (desk, %1): %2</source>
            <translation>Perlu perbaikan (desk, %1): %2</translation>
        </message>
    </context>
    <context>
        <name>CapturePage</name>
        <message>
            <source>Photo of the C.Hasil plano</source>
            <translation>Foto C.Hasil plano</translation>
        </message>
        <message>
            <source>Is every number readable? Use it, or take it again.</source>
            <translation>Apakah semua angka terbaca? Pakai foto ini, atau ambil lagi.</translation>
        </message>
        <message>
            <source>Photograph the whole plano, straight on, in good light.</source>
            <translation>Foto seluruh plano, tegak lurus, di tempat terang.</translation>
        </message>
        <message>
            <source>No camera on this tablet. Choose a photo taken before.</source>
            <translation>Tablet ini tidak punya kamera. Pilih foto yang sudah diambil.</translation>
        </message>
        <message>
            <source>%1 × %2 pixels, %3 KB to send</source>
            <translation>%1 × %2 piksel, %3 KB untuk dikirim</translation>
        </message>
        <message>
            <source>Take the photo</source>
            <translation>Ambil foto</translation>
        </message>
        <message>
            <source>Take it again</source>
            <translation>Ambil lagi</translation>
        </message>
        <message>
            <source>Use this photo</source>
            <translation>Pakai foto ini</translation>
        </message>
        <message>
            <source>Choose a photo taken before</source>
            <translation>Pilih foto yang sudah diambil</translation>
        </message>
    </context>
    <context>
        <name>EnrolPage</name>
        <message>
            <source>Enrol this tablet</source>
            <translation>Daftarkan tablet ini</translation>
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
            <source>You do this once, with the slip from the desk. After that the tablet works without signal.</source>
            <translation>Ini dilakukan sekali, dengan slip dari desk. Setelah itu tablet bekerja tanpa sinyal.</translation>
        </message>
        <message>
            <source>Scan the QR code on the slip</source>
            <translation>Pindai kode QR di slip</translation>
        </message>
        <message>
            <source>Or type what the slip says:</source>
            <translation>Atau ketik yang tertulis di slip:</translation>
        </message>
    </context>
    <context>
        <name>ErrorText</name>
        <message>
            <source>No connection to the receiver. Your sheets stay saved on this tablet and are sent as soon as there is signal.</source>
            <translation>Tidak ada sambungan ke server. Lembar Anda tetap tersimpan di tablet ini dan dikirim begitu ada sinyal.</translation>
        </message>
        <message>
            <source>The receiver takes too long to answer. Move to a spot with better signal; the tablet keeps trying.</source>
            <translation>Server terlalu lama menjawab. Pindah ke tempat dengan sinyal lebih baik; tablet terus mencoba.</translation>
        </message>
        <message>
            <source>The receiver's security certificate is not trusted. Check the address with the desk.</source>
            <translation>Sertifikat keamanan server tidak dipercaya. Periksa alamatnya dengan desk.</translation>
        </message>
        <message>
            <source>The connection broke off. The tablet tries again by itself.</source>
            <translation>Sambungan terputus. Tablet mencoba lagi sendiri.</translation>
        </message>
        <message>
            <source>The receiver has a problem right now. The tablet tries again by itself; tell the desk if it lasts.</source>
            <translation>Server sedang bermasalah. Tablet mencoba lagi sendiri; kabari desk bila berlanjut.</translation>
        </message>
        <message>
            <source>The receiver's disk is full. Tell the desk; your sheets stay on this tablet.</source>
            <translation>Penyimpanan server penuh. Kabari desk; lembar Anda tetap di tablet ini.</translation>
        </message>
        <message>
            <source>No Rekap receiver answers at this address. Check the address with the desk.</source>
            <translation>Tidak ada server Rekap di alamat ini. Periksa alamatnya dengan desk.</translation>
        </message>
        <message>
            <source>This is not a receiver address. It starts with https:// - check it with the desk.</source>
            <translation>Ini bukan alamat server. Alamatnya diawali https:// — periksa dengan desk.</translation>
        </message>
        <message>
            <source>This code is not known. Check the letters, or ask the desk for a new code.</source>
            <translation>Kode ini tidak dikenal. Periksa hurufnya, atau minta kode baru ke desk.</translation>
        </message>
        <message>
            <source>This code has expired. Ask the desk for a new code.</source>
            <translation>Kode ini sudah kedaluwarsa — minta kode baru ke desk.</translation>
        </message>
        <message>
            <source>This code was already used by another tablet. Ask the desk for a new code.</source>
            <translation>Kode ini sudah dipakai tablet lain — minta kode baru ke desk.</translation>
        </message>
        <message>
            <source>The receiver no longer knows this tablet. Enrol it again with a new code from the desk.</source>
            <translation>Server tidak lagi mengenal tablet ini. Daftarkan lagi dengan kode baru dari desk.</translation>
        </message>
        <message>
            <source>The desk has blocked this tablet. Call the desk.</source>
            <translation>Desk telah memblokir tablet ini. Hubungi desk.</translation>
        </message>
        <message>
            <source>This app is too old for the receiver. Update the app.</source>
            <translation>Aplikasi ini terlalu lama untuk server. Perbarui aplikasinya.</translation>
        </message>
        <message>
            <source>A sheet or photo is too large for the receiver. Tell the desk.</source>
            <translation>Lembar atau foto terlalu besar untuk server. Kabari desk.</translation>
        </message>
        <message>
            <source>The receiver refused what was sent. Tell the desk.</source>
            <translation>Server menolak kiriman. Kabari desk.</translation>
        </message>
        <message>
            <source>This QR code is not a Rekap enrolment code. Scan the code printed by the desk.</source>
            <translation>Kode QR ini bukan kode pendaftaran Rekap. Pindai kode yang dicetak desk.</translation>
        </message>
        <message>
            <source>This enrolment code is for a newer app. Update the app.</source>
            <translation>Kode pendaftaran ini untuk aplikasi yang lebih baru. Perbarui aplikasinya.</translation>
        </message>
        <message>
            <source>The tablet could not save. Free some storage space and try again.</source>
            <translation>Tablet gagal menyimpan. Kosongkan sebagian penyimpanan, lalu coba lagi.</translation>
        </message>
        <message>
            <source>The photo could not be read. Take it again.</source>
            <translation>Foto tidak dapat dibaca. Ambil lagi.</translation>
        </message>
        <message>
            <source>The receiver's record does not match what this tablet saw before: its history was changed, or a decision was not made by the desk. Sending has stopped; your sheets stay on this tablet. Call the desk.</source>
            <translation>Catatan penerima tidak cocok dengan yang pernah dilihat tablet ini: riwayatnya diubah, atau ada keputusan yang bukan dari desk. Pengiriman dihentikan; lembar Anda tetap tersimpan di tablet ini. Hubungi desk.</translation>
        </message>
        <message>
            <source>Something went wrong. Try again; if it keeps happening, tell the desk.</source>
            <translation>Terjadi kesalahan. Coba lagi; bila terus terjadi, kabari desk.</translation>
        </message>
    </context>
    <context>
        <name>Form</name>
        <message>
            <source>I. Voters</source>
            <translation>I. Data pemilih</translation>
        </message>
        <message>
            <source>II. Ballot papers</source>
            <translation>II. Data surat suara</translation>
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
            <source>V. Votes</source>
            <translation>V. Jumlah suara</translation>
        </message>
        <message>
            <source>A. On the DPT</source>
            <translation>A. Pemilih dalam DPT</translation>
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
            <source>1. Received (with the 2% reserve)</source>
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
            <source>Voted</source>
            <translation>Menggunakan hak pilih</translation>
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
        <message>
            <source>Votes for the party only</source>
            <translation>Suara partai saja</translation>
        </message>
    </context>
    <context>
        <name>FormLine</name>
        <message>
            <source>L = male, P = female</source>
            <translation>L = laki-laki, P = perempuan</translation>
        </message>
        <message>
            <source>L</source>
            <translation>L</translation>
        </message>
        <message>
            <source>P</source>
            <translation>P</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Jumlah</translation>
        </message>
        <message>
            <source>Blank → 0</source>
            <translation>Kosong → 0</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Peringatan</translation>
        </message>
        <message>
            <source>Find a party or candidate</source>
            <translation>Cari partai atau calon</translation>
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
        <message>
            <source>Nothing finalized yet.</source>
            <translation>Belum ada yang difinalkan.</translation>
        </message>
        <message>
            <source>correction</source>
            <translation>koreksi</translation>
        </message>
        <message numerus="yes">
            <source>Send by QR (%n sheet(s))</source>
            <translation>
                <numerusform>Kirim lewat QR (%n lembar)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>OverviewPage</name>
        <message>
            <source>Receipt %1</source>
            <translation>Tanda terima %1</translation>
        </message>
        <message>
            <source>Operator</source>
            <translation>Operator</translation>
        </message>
        <message>
            <source>Your name</source>
            <translation>Nama Anda</translation>
        </message>
        <message numerus="yes">
            <source>%n result sheet(s) (C.Hasil) of this TPS</source>
            <translation>
                <numerusform>%n lembar hasil (C.Hasil) TPS ini</numerusform>
            </translation>
        </message>
        <message>
            <source>Sent without the plano photo</source>
            <translation>Terkirim tanpa foto plano</translation>
        </message>
        <message>
            <source>Needs correction</source>
            <translation>Perlu perbaikan</translation>
        </message>
        <message>
            <source>Desk (%1): %2</source>
            <translation>Desk (%1): %2</translation>
        </message>
        <message>
            <source>Correct it</source>
            <translation>Perbaiki sekarang</translation>
        </message>
    </context>
    <context>
        <name>PickerPage</name>
        <message>
            <source>Choose the photo</source>
            <translation>Pilih foto</translation>
        </message>
        <message>
            <source>No photos found on this tablet.</source>
            <translation>Tidak ada foto di tablet ini.</translation>
        </message>
    </context>
    <context>
        <name>ReadingPage</name>
        <message>
            <source>Second reading</source>
            <translation>Bacaan kedua</translation>
        </message>
        <message>
            <source>Type every number from the photo. The first entry is not shown: your reading is compared with it at the receiver.</source>
            <translation>Ketik setiap angka dari foto. Entri pertama tidak ditampilkan: bacaan Anda dibandingkan dengannya di penerima.</translation>
        </message>
        <message>
            <source>Looking for the next sheet…</source>
            <translation>Mencari lembar berikutnya…</translation>
        </message>
        <message>
            <source>Sending the reading… It goes as soon as there is a signal.</source>
            <translation>Mengirim bacaan… Terkirim begitu ada sinyal.</translation>
        </message>
        <message>
            <source>This name mixes letters of different scripts (for example Latin and Cyrillic). Type it again in one script.</source>
            <translation>Nama ini mencampur huruf dari aksara yang berbeda (misalnya Latin dan Kiril). Ketik ulang dalam satu aksara.</translation>
        </message>
        <message>
            <source>Could not get a sheet.</source>
            <translation>Gagal mengambil lembar.</translation>
        </message>
        <message>
            <source>Verified</source>
            <translation>Terverifikasi</translation>
        </message>
        <message>
            <source>Readings differ</source>
            <translation>Beda bacaan</translation>
        </message>
        <message>
            <source>Rejected by the rules</source>
            <translation>Ditolak aturan</translation>
        </message>
        <message>
            <source>Your reading equals the first entry: the sheet is verified by second reading.</source>
            <translation>Bacaan Anda sama dengan entri pertama: lembar terverifikasi oleh bacaan kedua.</translation>
        </message>
        <message>
            <source>Your reading differs from the first entry. The desk compares both with the photo and decides; until then the first entry counts.</source>
            <translation>Bacaan Anda berbeda dengan entri pertama. Meja rekap membandingkan keduanya dengan foto dan memutuskan; sampai saat itu entri pertama yang dihitung.</translation>
        </message>
        <message>
            <source>The receiver kept the reading as rejected: it breaks a consistency rule.</source>
            <translation>Penerima menyimpan bacaan sebagai ditolak: bacaan melanggar aturan konsistensi.</translation>
        </message>
        <message>
            <source>Type the numbers</source>
            <translation>Ketik angka</translation>
        </message>
        <message>
            <source>Look again</source>
            <translation>Cari lagi</translation>
        </message>
        <message>
            <source>Read the next sheet</source>
            <translation>Baca lembar berikutnya</translation>
        </message>
        <message>
            <source>Read by</source>
            <translation>Dibaca oleh</translation>
        </message>
        <message>
            <source>Your name</source>
            <translation>Nama Anda</translation>
        </message>
        <message>
            <source>No sheet of the kecamatan waits for a second reading by %1 now.</source>
            <translation>Saat ini tidak ada lembar kecamatan yang menunggu bacaan kedua oleh %1.</translation>
        </message>
        <message>
            <source>this reader</source>
            <translation>pembaca ini</translation>
        </message>
        <message>
            <source>A sheet is offered once its plano photo has arrived, and never to whoever entered it. If that is you, another reader types it: change the name above and look again.</source>
            <translation>Lembar baru ditawarkan setelah foto planonya tiba, dan tidak pernah kepada orang yang mengisinya. Jika itu Anda, pembaca lain yang mengetiknya: ganti nama di atas lalu cari lagi.</translation>
        </message>
        <message>
            <source>Refused by the receiver</source>
            <translation>Ditolak penerima</translation>
        </message>
        <message>
            <source>The receiver did not take the reading. Its reason:</source>
            <translation>Penerima tidak menerima bacaan ini. Alasannya:</translation>
        </message>
    </context>
    <context>
        <name>RelayScanPage</name>
        <message>
            <source>Receive by QR</source>
            <translation>Terima lewat QR</translation>
        </message>
        <message>
            <source>This tablet has no camera: it cannot receive by QR.</source>
            <translation>Tablet ini tidak punya kamera: tidak bisa menerima lewat QR.</translation>
        </message>
        <message>
            <source>Point the camera at the operator's tablet showing Send by QR. Codes already read are skipped.</source>
            <translation>Arahkan kamera ke tablet operator yang menampilkan Kirim lewat QR. Kode yang sudah terbaca dilewati.</translation>
        </message>
        <message numerus="yes">
            <source>%n sheet(s) wait to be forwarded: they go with the next sync.</source>
            <translation>
                <numerusform>%n lembar menunggu diteruskan: ikut terkirim pada sinkronisasi berikutnya.</numerusform>
            </translation>
        </message>
        <message>
            <source>Every sheet received was forwarded.</source>
            <translation>Semua lembar yang diterima sudah diteruskan.</translation>
        </message>
        <message>
            <source>Forward now</source>
            <translation>Teruskan sekarang</translation>
        </message>
        <message>
            <source>TPS %1</source>
            <translation>TPS %1</translation>
        </message>
    </context>
    <context>
        <name>RelayShowPage</name>
        <message>
            <source>Send by QR</source>
            <translation>Kirim lewat QR</translation>
        </message>
        <message>
            <source>Nothing is waiting to be sent.</source>
            <translation>Tidak ada lembar yang menunggu dikirim.</translation>
        </message>
        <message>
            <source>Code %1 of %2</source>
            <translation>Kode %1 dari %2</translation>
        </message>
        <message>
            <source>The sheets stay in this tablet's queue. Its next sync with a signal shows whether the receiver has them.</source>
            <translation>Lembar tetap dalam antrean tablet ini. Sinkronisasi berikutnya saat ada sinyal menunjukkan apakah penerima sudah memilikinya.</translation>
        </message>
        <message>
            <source>Previous</source>
            <translation>Sebelumnya</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>Berikutnya</translation>
        </message>
        <message>
            <source>Change code by itself</source>
            <translation>Ganti kode otomatis</translation>
        </message>
        <message numerus="yes">
            <source>Show all %1 codes, one after another, to the camat's tablet (Receive by QR). Together the %1 codes carry %n sheet(s), signed by this tablet: nobody on the way can change a number unseen.</source>
            <translation>
                <numerusform>Tunjukkan semua %1 kode ini satu per satu ke tablet camat (Terima lewat QR). Bersama-sama, %1 kode ini membawa %n lembar yang ditandatangani tablet ini: tak seorang pun di jalan dapat mengubah angka tanpa ketahuan.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ReviewPage</name>
        <message>
            <source>Review: %1</source>
            <translation>Periksa: %1</translation>
        </message>
        <message>
            <source>Checks</source>
            <translation>Pemeriksaan</translation>
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
            <source>Photo of the C.Hasil plano</source>
            <translation>Foto C.Hasil plano</translation>
        </message>
        <message>
            <source>All numbers: %1</source>
            <translation>Semua angka: %1</translation>
        </message>
        <message>
            <source>Correction: each number beside the one sent before; changed lines are marked.</source>
            <translation>Koreksi: setiap angka di samping angka yang dikirim sebelumnya; baris yang berubah ditandai.</translation>
        </message>
        <message>
            <source>Every box typed, every check passes.</source>
            <translation>Semua kotak terisi, semua pemeriksaan lolos.</translation>
        </message>
        <message numerus="yes">
            <source>%n box(es) still blank. Go back and type them; 0 where there is none.</source>
            <translation>
                <numerusform>%n kotak masih kosong. Kembali dan isi; tulis 0 bila tidak ada.</numerusform>
            </translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>Peringatan</translation>
        </message>
        <message>
            <source>Retake the photo of the plano</source>
            <translation>Ambil ulang foto plano</translation>
        </message>
        <message>
            <source>Your name</source>
            <translation>Nama Anda</translation>
        </message>
        <message>
            <source>e.g. paslon 02 misread as 105</source>
            <translation>mis. paslon 02 salah baca jadi 105</translation>
        </message>
        <message>
            <source>Finalize the correction</source>
            <translation>Finalkan koreksi</translation>
        </message>
        <message>
            <source>Finalize and send</source>
            <translation>Finalkan dan kirim</translation>
        </message>
        <message>
            <source>Finalize %1?</source>
            <translation>Finalkan %1?</translation>
        </message>
        <message>
            <source>The correction is kept beside the numbers sent before, with your reason.</source>
            <translation>Koreksi disimpan di samping angka yang dikirim sebelumnya, beserta alasan Anda.</translation>
        </message>
        <message>
            <source>The numbers are locked and sent to the receiver. A change after this is a correction.</source>
            <translation>Angka dikunci dan dikirim ke server. Perubahan setelah ini menjadi koreksi.</translation>
        </message>
        <message>
            <source>Not yet</source>
            <translation>Belum</translation>
        </message>
        <message>
            <source>Finalize</source>
            <translation>Finalkan</translation>
        </message>
        <message>
            <source>Read by</source>
            <translation>Dibaca oleh</translation>
        </message>
        <message>
            <source>Your reading is locked, signed by this tablet and sent to the receiver, which compares it with the first entry.</source>
            <translation>Bacaan Anda dikunci, ditandatangani tablet ini dan dikirim ke penerima, yang membandingkannya dengan entri pertama.</translation>
        </message>
        <message>
            <source>Send the reading</source>
            <translation>Kirim bacaan</translation>
        </message>
        <message numerus="yes">
            <source>%n box(es) still blank.</source>
            <translation>
                <numerusform>%n kotak masih kosong.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s) to fix first (above).</source>
            <translation>
                <numerusform>%n masalah harus diperbaiki dulu (lihat di atas).</numerusform>
            </translation>
        </message>
        <message>
            <source>Type your name under "Read by".</source>
            <translation>Ketik nama Anda di bawah "Dibaca oleh".</translation>
        </message>
        <message>
            <source>Type your name under "Operator".</source>
            <translation>Ketik nama Anda di bawah "Operator".</translation>
        </message>
        <message>
            <source>Type why the sheet is corrected.</source>
            <translation>Ketik alasan lembar ini dikoreksi.</translation>
        </message>
        <message>
            <source>Not ready to send:</source>
            <translation>Belum dapat dikirim:</translation>
        </message>
        <message>
            <source>No photo of the plano is attached. The desk needs it to check these numbers: send the sheet without it only if the photo cannot be taken now.</source>
            <translation>Foto plano belum dilampirkan. Meja pusat membutuhkannya untuk memeriksa angka-angka ini: kirim tanpa foto hanya jika foto tidak dapat diambil sekarang.</translation>
        </message>
        <message>
            <source>Take the photo first</source>
            <translation>Ambil foto dulu</translation>
        </message>
        <message>
            <source>Send without photo, photo later</source>
            <translation>Kirim tanpa foto, foto menyusul</translation>
        </message>
    </context>
    <context>
        <name>ScanPage</name>
        <message>
            <source>Scan the enrolment code</source>
            <translation>Pindai kode pendaftaran</translation>
        </message>
        <message>
            <source>Hold the slip from the desk in front of the camera, so that the QR code fills the frame.</source>
            <translation>Pegang slip dari desk di depan kamera, sampai kode QR memenuhi bingkai.</translation>
        </message>
        <message>
            <source>This tablet has no camera. Go back and type the address and the code.</source>
            <translation>Tablet ini tidak punya kamera. Kembali dan ketik alamat serta kodenya.</translation>
        </message>
    </context>
    <context>
        <name>SheetPage</name>
        <message>
            <source>Attach the plano photo (sent later)</source>
            <translation>Lampirkan foto plano (foto menyusul)</translation>
        </message>
        <message>
            <source>correction</source>
            <translation>koreksi</translation>
        </message>
        <message numerus="yes">
            <source>%n warning(s)</source>
            <translation>
                <numerusform>%n peringatan</numerusform>
            </translation>
        </message>
        <message>
            <source>finalized</source>
            <translation>sudah difinalkan</translation>
        </message>
        <message>
            <source>This sheet is finalized: these are the numbers sent. To change a number, make a correction.</source>
            <translation>Lembar ini sudah difinalkan: inilah angka yang dikirim. Untuk mengubah angka, buat koreksi.</translation>
        </message>
        <message>
            <source>Make a correction</source>
            <translation>Buat koreksi</translation>
        </message>
        <message>
            <source>no photo</source>
            <translation>belum ada foto</translation>
        </message>
        <message>
            <source>Retake the photo of the plano</source>
            <translation>Ambil ulang foto plano</translation>
        </message>
        <message>
            <source>Photo of the C.Hasil plano</source>
            <translation>Foto C.Hasil plano</translation>
        </message>
        <message numerus="yes">
            <source>%n box(es) blank</source>
            <translation>
                <numerusform>%n kotak kosong</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n problem(s)</source>
            <translation>
                <numerusform>%n masalah</numerusform>
            </translation>
        </message>
        <message>
            <source>Every box typed, every check passes</source>
            <translation>Semua kotak terisi, semua pemeriksaan lolos</translation>
        </message>
        <message>
            <source>All numbers</source>
            <translation>Semua angka</translation>
        </message>
        <message>
            <source>Review and finalize</source>
            <translation>Periksa dan finalkan</translation>
        </message>
        <message>
            <source>second reading</source>
            <translation>bacaan kedua</translation>
        </message>
        <message>
            <source>Correction of the sheet sent: change the numbers that were wrong. The review shows each beside the number sent before.</source>
            <translation>Koreksi lembar yang sudah dikirim: ubah angka yang salah. Tinjauan menunjukkan setiap angka di samping angka yang dikirim sebelumnya.</translation>
        </message>
        <message>
            <source>Type 0 in the blank boxes?</source>
            <translation>Isi kotak kosong dengan 0?</translation>
        </message>
        <message numerus="yes">
            <source>%n blank box(es) of %1 get 0. Only where the plano shows no vote: a box with votes must be typed.</source>
            <translation>
                <numerusform>%n kotak kosong %1 diisi 0. Hanya jika plano tidak menunjukkan suara: kotak yang ada suaranya harus diketik.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Type 0 in %n box(es)</source>
            <translation>
                <numerusform>Isi 0 di %n kotak</numerusform>
            </translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Batal</translation>
        </message>
        <message>
            <source>Needs correction. The desk (%1) sent this sheet back: %2</source>
            <translation>Perlu perbaikan. Desk (%1) mengembalikan lembar ini: %2</translation>
        </message>
    </context>
    <context>
        <name>States</name>
        <message>
            <source>not typed</source>
            <translation>belum diisi</translation>
        </message>
        <message>
            <source>draft</source>
            <translation>draf</translation>
        </message>
        <message>
            <source>waiting to send</source>
            <translation>menunggu dikirim</translation>
        </message>
        <message>
            <source>sending</source>
            <translation>sedang dikirim</translation>
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
            <source>still on the tablet</source>
            <translation>masih di tablet</translation>
        </message>
        <message>
            <source>partly received</source>
            <translation>sebagian diterima</translation>
        </message>
        <message>
            <source>all received</source>
            <translation>semua diterima</translation>
        </message>
    </context>
    <context>
        <name>SyncBar</name>
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
        <name>rekap::tablet::CamatModel</name>
        <message>
            <source>not received</source>
            <translation>belum masuk</translation>
        </message>
        <message>
            <source>All</source>
            <translation>Semua</translation>
        </message>
        <message>
            <source>No connection to the receiver. Refresh again when there is signal.</source>
            <translation>Tidak ada sambungan ke server. Perbarui lagi saat ada sinyal.</translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::OutboxModel</name>
        <message>
            <source>The receiver refused this sheet: %1. Make a correction, or call the desk.</source>
            <translation>Server menolak lembar ini: %1. Buat koreksi, atau hubungi desk.</translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::RelayCodes</name>
        <message>
            <source>Too many sheets for QR codes: send them when there is a signal.</source>
            <translation>Terlalu banyak lembar untuk kode QR: kirim saat ada sinyal.</translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::RelayInbox</name>
        <message>
            <source>Waiting to be forwarded</source>
            <translation>menunggu diteruskan</translation>
        </message>
        <message>
            <source>Refused by the receiver</source>
            <translation>ditolak penerima</translation>
        </message>
        <message>
            <source>Code %1 of %2</source>
            <translation>Kode %1 dari %2</translation>
        </message>
        <message>
            <source>%1 was scanned already.</source>
            <translation>%1 sudah dipindai.</translation>
        </message>
        <message numerus="yes">
            <source>%1 read: %n sheet(s) received.</source>
            <translation>
                <numerusform>%1 terbaca: %n lembar diterima.</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 read.</source>
            <translation>%1 terbaca.</translation>
        </message>
        <message>
            <source>Still to scan: %1.</source>
            <translation>Belum dipindai: %1.</translation>
        </message>
        <message>
            <source>All codes of this tablet are read.</source>
            <translation>Semua kode dari tablet ini sudah terbaca.</translation>
        </message>
        <message>
            <source>This code could not be read whole. Scan it again.</source>
            <translation>Kode ini tidak terbaca utuh. Pindai ulang.</translation>
        </message>
        <message>
            <source>This is not a Rekap relay code. Scan the codes the operator's tablet shows under "Send by QR".</source>
            <translation>Ini bukan kode relai Rekap. Pindai kode yang ditampilkan tablet operator di "Kirim lewat QR".</translation>
        </message>
        <message>
            <source>Sync this tablet once before relaying.</source>
            <translation>Sinkronkan tablet ini sekali sebelum meneruskan.</translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::SheetEditor</name>
        <message numerus="yes">
            <source>%n box(es) still blank. Type every number of the form; 0 where there is none.</source>
            <translation>
                <numerusform>%n kotak masih kosong. Isi setiap angka formulir; tulis 0 bila tidak ada.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The sheet breaks %n rule(s): fix the marked boxes first.</source>
            <translation>
                <numerusform>Lembar melanggar %n aturan: perbaiki dulu kotak yang ditandai.</numerusform>
            </translation>
        </message>
        <message>
            <source>Write why the sheet is corrected.</source>
            <translation>Tulis alasan lembar dikoreksi.</translation>
        </message>
        <message>
            <source>Photo attached after sending: received, receipt %1</source>
            <translation>Foto menyusul: diterima, tanda terima %1</translation>
        </message>
        <message>
            <source>Photo attached after sending: refused by the receiver (%1)</source>
            <translation>Foto menyusul: ditolak penerima (%1)</translation>
        </message>
        <message>
            <source>Photo attached after sending: waiting to be sent</source>
            <translation>Foto menyusul: menunggu dikirim</translation>
        </message>
    </context>
    <context>
        <name>rekap::tablet::SyncService</name>
        <message numerus="yes">
            <source>%n sheet(s) waiting to be sent</source>
            <translation>
                <numerusform>%n lembar menunggu dikirim</numerusform>
            </translation>
        </message>
        <message>
            <source>No sheet finalized yet</source>
            <translation>Belum ada lembar yang difinalkan</translation>
        </message>
        <message>
            <source>Every finalized sheet has been sent</source>
            <translation>Semua lembar yang difinalkan sudah terkirim</translation>
        </message>
        <message>
            <source>Looking for the receiver...</source>
            <translation>Mencari server...</translation>
        </message>
        <message>
            <source>Sending...</source>
            <translation>Mengirim...</translation>
        </message>
        <message>
            <source>No connection to the receiver. Nothing is waiting to be sent.</source>
            <translation>Tidak ada sambungan ke server. Tidak ada yang menunggu dikirim.</translation>
        </message>
        <message numerus="yes">
            <source>Connected. %n sheet(s) accepted in the last sync.</source>
            <translation>
                <numerusform>Tersambung. %n lembar diterima pada pengiriman terakhir.</numerusform>
            </translation>
        </message>
        <message>
            <source>Connected. Last sync: %1 accepted, %2 in conflict, %3 rejected - see the outbox.</source>
            <translation>Tersambung. Pengiriman terakhir: %1 diterima, %2 konflik, %3 ditolak — lihat kotak keluar.</translation>
        </message>
        <message numerus="yes">
            <source>Next try at %1 (in %n s)</source>
            <translation>
                <numerusform>Coba lagi pukul %1 (%n detik lagi)</numerusform>
            </translation>
        </message>
        <message>
            <source>Last contact %1</source>
            <translation>Terakhir tersambung %1</translation>
        </message>
        <message>
            <source>Connected to the receiver.</source>
            <translation>Tersambung ke server.</translation>
        </message>
    </context>
</TS>
