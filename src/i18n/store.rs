//! Store connectors: connecting a Shopify or WooCommerce store, refreshing it,
//! and the notes its local copy adds to the import report.

/// (key, English, Turkish)
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("start.connect", "Connect a store (Shopify, WooCommerce)…", "Mağaza bağla (Shopify, WooCommerce)…"),
    ("store.title", "Connect a store", "Mağaza bağla"),
    (
        "store.intro",
        "Kitle reads the store's customers and orders (nothing else, and it changes nothing). A copy stays on this computer so the workspace opens offline; Refresh pulls only what changed. The token is never written to the workspace.",
        "Kitle mağazanın yalnızca müşterilerini ve siparişlerini okur (hiçbir şeyi değiştirmez). Çalışma alanı çevrimdışı açılsın diye bir kopya bu bilgisayarda kalır; Yenile yalnızca değişenleri alır. Erişim anahtarı çalışma alanına asla yazılmaz.",
    ),
    ("store.platform", "Platform", "Platform"),
    ("store.address", "Store address", "Mağaza adresi"),
    ("store.token", "Admin API access token", "Admin API erişim anahtarı"),
    ("store.sign_in", "Sign in with", "Giriş yolu"),
    ("store.sign_in_app", "App client ID and secret", "Uygulama istemci kimliği ve gizli anahtarı"),
    (
        "store.sign_in_token",
        "Access token (apps made before 2026)",
        "Erişim anahtarı (2026'dan önce yapılan uygulamalar)",
    ),
    ("store.client_id", "Client ID", "İstemci kimliği (Client ID)"),
    ("store.client_secret", "Client secret", "Gizli anahtar (Client secret)"),
    (
        "store.app_help",
        "Shopify Dev Dashboard → Apps → your app → Settings: the Client ID and Secret. Install the app on this store with the scopes read_customers and read_orders (and read_all_orders for orders older than 60 days). Kitle exchanges them for an access token and renews it when it expires.",
        "Shopify Dev Dashboard → Uygulamalar → uygulamanız → Ayarlar: Client ID ve Secret. Uygulamayı bu mağazaya read_customers ve read_orders kapsamlarıyla (60 günden eski siparişler için read_all_orders ile) kurun. Kitle bunları bir erişim anahtarıyla değiştirir ve süresi dolunca yeniler.",
    ),
    (
        "store.token_help",
        "For custom apps made in the store admin before 2026: Shopify admin → Settings → Apps and sales channels → Develop apps → your app → API credentials. Scopes: read_customers, read_orders (and read_all_orders for orders older than 60 days).",
        "2026'dan önce mağaza yönetiminde yapılan özel uygulamalar için: Shopify yönetici → Ayarlar → Uygulamalar ve satış kanalları → Uygulama geliştir → uygulamanız → API kimlik bilgileri. Kapsamlar: read_customers, read_orders (60 günden eski siparişler için read_all_orders).",
    ),
    ("store.key", "Consumer key", "Tüketici anahtarı (consumer key)"),
    ("store.secret", "Consumer secret", "Tüketici gizli anahtarı (consumer secret)"),
    (
        "store.keys_help",
        "WooCommerce → Settings → Advanced → REST API → Add key, with Read permission.",
        "WooCommerce → Ayarlar → Gelişmiş → REST API → Anahtar ekle, Okuma izniyle.",
    ),
    ("store.api_version", "API version", "API sürümü"),
    (
        "store.remember",
        "Keep the credentials in the system keychain",
        "Kimlik bilgilerini sistem anahtar zincirinde sakla",
    ),
    ("store.connect", "Connect", "Bağlan"),
    ("store.needs_address", "Enter the store's address.", "Mağazanın adresini girin."),
    (
        "store.needs_credentials",
        "Enter the token (or the key and the secret).",
        "Erişim anahtarını (ya da anahtar ile gizli anahtarı) girin.",
    ),
    (
        "store.pulling",
        "Pulling from {0}: {1} customers, {2} orders so far…",
        "{0} mağazasından alınıyor: şimdiye dek {1} müşteri, {2} sipariş…",
    ),
    ("store.failed", "The store could not be read: {0}", "Mağaza okunamadı: {0}"),
    ("store.refresh", "Refresh from store", "Mağazadan yenile"),
    ("store.refresh_title", "Refresh {0}", "{0} yenile"),
    (
        "store.refresh_credentials",
        "No saved credentials were found for this store; enter them to refresh (they are kept only if you tick the box).",
        "Bu mağaza için kayıtlı kimlik bilgisi bulunamadı; yenilemek için girin (yalnızca kutuyu işaretlerseniz saklanır).",
    ),
    (
        "store.refreshed",
        "Refreshed: {0} customers added, {1} updated; {2} orders added, {3} updated.",
        "Yenilendi: {0} müşteri eklendi, {1} güncellendi; {2} sipariş eklendi, {3} güncellendi.",
    ),
    (
        "store.deleted",
        "{0} customers the store deleted were removed, with their orders.",
        "Mağazanın sildiği {0} müşteri siparişleriyle birlikte kaldırıldı.",
    ),
    (
        "store.refresh_failed",
        "The refresh failed; the last good data is kept. {0}",
        "Yenileme başarısız oldu; son sağlam veriler korunuyor. {0}",
    ),
    (
        "store.keychain_failed",
        "The credentials could not be kept in the keychain: {0}",
        "Kimlik bilgileri anahtar zincirinde saklanamadı: {0}",
    ),
    ("status.syncing", "Syncing the store", "Mağaza eşitleniyor"),
    (
        "msg.err_store_copy_missing",
        "The local copy of the {0} store is missing ({1}); use Refresh from store to pull it again.",
        "{0} mağazasının yerel kopyası eksik ({1}); yeniden almak için Mağazadan yenile'yi kullanın.",
    ),
    (
        "msg.store_copy_reset",
        "The local copy could not be used ({0}); everything was pulled again.",
        "Yerel kopya kullanılamadı ({0}); her şey yeniden alındı.",
    ),
    (
        "msg.store_synced",
        "Customers and orders of the {0} store {1}, last synced {2} (UTC).",
        "{0} mağazası {1} müşterileri ve siparişleri; son eşitleme {2} (UTC).",
    ),
    (
        "msg.store_orders_60_days",
        "The access token can only read the last 60 days of orders, so older orders are missing from LTV, RFM and order counts. Ask the store owner to grant the app the read_all_orders scope, then refresh.",
        "Erişim anahtarı yalnızca son 60 günün siparişlerini okuyabiliyor; eski siparişler LTV, RFM ve sipariş sayılarında eksik. Mağaza sahibinden uygulamaya read_all_orders kapsamını vermesini isteyin, sonra yenileyin.",
    ),
    ("net.with_detail", "{0} (the platform said: {1})", "{0} (platformun iletisi: {1})"),
    ("net.no_answer", "The server could not be reached", "Sunucuya ulaşılamadı"),
    (
        "net.denied",
        "The platform refused access: the key or its permissions are not valid",
        "Platform erişimi reddetti: anahtar ya da yetkileri geçerli değil",
    ),
    (
        "net.not_found",
        "The platform does not know this address or account",
        "Platform bu adresi ya da hesabı tanımıyor",
    ),
    (
        "net.too_many",
        "The platform asks to slow down: try again in a little while",
        "Platform yavaşlamamızı istiyor: biraz sonra yeniden deneyin",
    ),
    ("net.refused", "The platform refused the request", "Platform isteği kabul etmedi"),
    (
        "net.platform_error",
        "The platform had an error: try again later",
        "Platformda bir hata oluştu: daha sonra yeniden deneyin",
    ),
];
