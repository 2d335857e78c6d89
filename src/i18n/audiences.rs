//! Sending an audience through an ad platform's API, from the audience dialog.

/// (key, English, Turkish)
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("push.heading", "Send through the platform's API", "Platformun API'si ile gönder"),
    (
        "push.token_expired",
        "The {0} token has expired or was revoked. Give a new one and send again: what was sent is recorded, and only the rest will go.",
        "{0} erişim anahtarının süresi dolmuş ya da iptal edilmiş. Yenisini girip yeniden gönderin: gönderilenler kayıtlı, yalnızca kalanlar gidecek.",
    ),
    ("push.google_account", "Google Ads account id", "Google Ads hesap kimliği"),
    ("push.google_list", "Customer list id", "Müşteri listesi kimliği"),
    ("push.google_login", "Manager account id (optional)", "Yönetici hesap kimliği (isteğe bağlı)"),
    ("push.meta_account", "Ad account id", "Reklam hesabı kimliği"),
    ("push.meta_audience", "Audience id (empty: create one)", "Kitle kimliği (boş: yeni oluştur)"),
    ("push.token", "Access token", "Erişim anahtarı"),
    (
        "push.token_hint",
        "Held in memory for this session only; never saved to the workspace. Or set {0} before starting Kitle.",
        "Yalnızca bu oturum boyunca bellekte tutulur; çalışma alanına asla kaydedilmez. Ya da Kitle'yi başlatmadan önce {0} değişkenini tanımlayın.",
    ),
    ("push.token_env", "Using the token in {0}.", "{0} içindeki anahtar kullanılıyor."),
    (
        "push.token_session",
        "Using the token given earlier in this session (not saved).",
        "Bu oturumda daha önce verilen anahtar kullanılıyor (kaydedilmez).",
    ),
    ("push.forget", "Forget token", "Anahtarı unut"),
    (
        "push.token_keychain",
        "Using the token kept in the system keychain.",
        "Sistem anahtarlığında saklanan anahtar kullanılıyor.",
    ),
    ("push.keep", "Keep it in the system keychain", "Sistem anahtarlığında sakla"),
    (
        "push.no_keychain",
        "No system keychain is running here: the token is kept for this session only.",
        "Burada çalışan bir sistem anahtarlığı yok: anahtar yalnızca bu oturum için tutulur.",
    ),
    (
        "push.changes",
        "Since the last push: {0} to add, {1} to remove, {2} unchanged (requests: {3}).",
        "Son gönderimden beri: {0} eklenecek, {1} çıkarılacak, {2} değişmedi (istek: {3}).",
    ),
    (
        "push.left_out",
        "{0} members have nothing this platform matches on.",
        "{0} üyede bu platformun eşleştirebileceği bir bilgi yok.",
    ),
    ("push.button", "Save and push changes", "Kaydet ve değişiklikleri gönder"),
    (
        "push.save_first",
        "Save the workspace first: what was pushed is recorded beside it.",
        "Önce çalışma alanını kaydedin: gönderilenler onun yanında kaydedilir.",
    ),
    ("push.no_token", "Give an access token to push.", "Göndermek için bir erişim anahtarı girin."),
    ("push.no_destination", "Give the account and list ids.", "Hesap ve liste kimliklerini girin."),
    ("push.done", "{0}: {1} added and {2} removed in {3} requests.", "{0}: {3} istekte {1} eklendi, {2} çıkarıldı."),
    (
        "push.stopped",
        "{0}: the push stopped ({1}). What the platform accepted is recorded; push again to resume.",
        "{0}: gönderim durdu ({1}). Platformun kabul ettikleri kaydedildi; kaldığı yerden sürdürmek için yeniden gönderin.",
    ),
    ("push.failed", "{0}: nothing was sent ({1}).", "{0}: hiçbir şey gönderilmedi ({1})."),
    (
        "push.too_small",
        "{0} refused to remove members: the audience would be left too small. They stay in it until a later push can remove them.",
        "{0} üyeleri çıkarmayı reddetti: kitle çok küçük kalacaktı. Sonraki bir gönderim çıkarana kadar kitlede kalıyorlar.",
    ),
    (
        "push.cancelled",
        "{0}: the push was cancelled. What the platform accepted is recorded; send again to carry on.",
        "{0}: gönderim iptal edildi. Platformun kabul ettikleri kaydedildi; sürdürmek için yeniden gönderin.",
    ),
    (
        "audience.file_changes",
        "Since the last file: {0} entered, {1} left, {2} unchanged.",
        "Son dosyadan beri: {0} girdi, {1} çıktı, {2} değişmedi.",
    ),
    ("audience.how_api", "API", "API"),
    ("audience.how_file", "upload file", "yükleme dosyası"),
    ("audience.sent", "sent", "gönderildi"),
    ("audience.stopped", "stopped: push again to resume", "durdu: sürdürmek için yeniden gönderin"),
    ("status.pushing", "Sending audience…", "Kitle gönderiliyor…"),
    (
        "push.keychain_failed",
        "The token could not be kept in the system keychain: {0}",
        "Anahtar sistem anahtarlığında saklanamadı: {0}",
    ),
];
