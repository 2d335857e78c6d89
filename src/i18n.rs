//! Every user-facing text, in English and Turkish, in one table: the desktop app's
//! labels and the engine's messages (import notes, errors), which the command line
//! prints in English. [`t`] looks a key up; a test checks every key has both
//! languages. No UI code here, so the engine can use it.

pub use crate::format::Lang;

/// (key, English, Turkish)
const TEXTS: &[(&str, &str, &str)] = &[
    // Hub and tabs
    ("app.hub", "Audiences & Customers", "Kitleler & Müşteriler"),
    ("tab.dashboard", "Dashboard", "Gösterge Paneli"),
    ("tab.segments", "Segments", "Segmentler"),
    ("tab.personas", "Personas", "Personalar"),
    ("tab.explore", "Explore", "Keşfet"),
    ("tab.customers", "Customers", "Müşteriler"),
    // Menu
    ("menu.file", "File", "Dosya"),
    ("menu.new", "New workspace", "Yeni çalışma alanı"),
    ("menu.open", "Open…", "Aç…"),
    ("menu.save", "Save", "Kaydet"),
    ("menu.save_as", "Save as…", "Farklı kaydet…"),
    ("menu.import", "Import data…", "Veri içe aktar…"),
    ("menu.report", "Last import report", "Son içe aktarma raporu"),
    ("menu.quit", "Quit", "Çıkış"),
    ("menu.view", "View", "Görünüm"),
    ("menu.language", "Language", "Dil"),
    ("menu.theme", "Theme", "Tema"),
    ("theme.system", "Follow the system", "Sistemle aynı"),
    ("theme.light", "Light", "Açık"),
    ("theme.dark", "Dark", "Koyu"),
    ("lang.en", "English", "English"),
    ("lang.tr", "Türkçe", "Türkçe"),
    // Start screen
    ("start.title", "Welcome to Kitle", "Kitle'ye hoş geldiniz"),
    (
        "start.subtitle",
        "Open your customer spreadsheets and see your customer universe in seconds. Everything stays on this computer.",
        "Müşteri tablolarınızı açın, müşteri evreninizi saniyeler içinde görün. Her şey bu bilgisayarda kalır.",
    ),
    ("start.open", "Open workspace…", "Çalışma alanı aç…"),
    ("start.import", "Import spreadsheet…", "Tablo içe aktar…"),
    ("start.demo", "Open the demo store", "Demo mağazayı aç"),
    ("start.recent", "Recent workspaces", "Son çalışma alanları"),
    ("start.no_recent", "No recent workspaces yet.", "Henüz son kullanılan çalışma alanı yok."),
    (
        "start.drop",
        "Or drop a .kitle, .csv, .xlsx, .xls or .ods file on this window.",
        "Ya da bu pencereye bir .kitle, .csv, .xlsx, .xls veya .ods dosyası bırakın.",
    ),
    // Status and jobs
    ("status.loading", "Loading customers…", "Müşteriler yükleniyor…"),
    ("status.importing", "Importing…", "İçe aktarılıyor…"),
    ("status.cancel", "Cancel", "İptal"),
    ("status.customers", "customers", "müşteri"),
    ("status.as_of", "as of {}", "{} itibarıyla"),
    ("status.unsaved", "unsaved changes", "kaydedilmemiş değişiklikler"),
    ("status.saved", "Saved.", "Kaydedildi."),
    ("status.cancelled", "Cancelled.", "İptal edildi."),
    ("untitled", "Untitled", "Adsız"),
    ("error.title", "Something went wrong", "Bir sorun oluştu"),
    (
        "error.dialog_unavailable",
        "No file dialog is available on this system (install xdg-desktop-portal or zenity), so type the file's path instead.",
        "Bu sistemde dosya penceresi yok (xdg-desktop-portal veya zenity kurun); dosya yolunu elle yazın.",
    ),
    ("close", "Close", "Kapat"),
    ("prompt.ok", "OK", "Tamam"),
    // Unsaved changes
    ("confirm.title", "Unsaved changes", "Kaydedilmemiş değişiklikler"),
    (
        "confirm.body",
        "This workspace has changes that are not saved. Save them first?",
        "Bu çalışma alanında kaydedilmemiş değişiklikler var. Önce kaydedilsin mi?",
    ),
    ("confirm.save", "Save", "Kaydet"),
    ("confirm.discard", "Don't save", "Kaydetme"),
    ("confirm.cancel", "Cancel", "Vazgeç"),
    // Import dialog
    ("import.title", "Import data", "Veri içe aktar"),
    (
        "import.intro",
        "Choose a customers file, an orders file, or both. Spend per channel is optional (for CAC).",
        "Bir müşteri dosyası, bir sipariş dosyası ya da ikisini seçin. Kanal başına harcama isteğe bağlıdır (CAC için).",
    ),
    ("import.customers", "Customers file", "Müşteri dosyası"),
    ("import.orders", "Orders file", "Sipariş dosyası"),
    ("import.spend", "Spend file", "Harcama dosyası"),
    ("import.path", "File path", "Dosya yolu"),
    ("import.browse", "Browse…", "Gözat…"),
    ("import.filter", "Spreadsheets", "Tablolar"),
    ("import.remove", "Remove", "Kaldır"),
    ("import.sheet", "Sheet", "Sayfa"),
    ("import.sheet_auto", "Automatic", "Otomatik"),
    ("import.preview", "First rows", "İlk satırlar"),
    ("import.mapping", "Columns", "Sütunlar"),
    ("import.column", "Column", "Sütun"),
    ("import.becomes", "Becomes", "Alan"),
    ("import.type", "Type", "Tür"),
    ("import.custom", "Custom field", "Özel alan"),
    ("import.ignore", "Don't import", "İçe aktarma"),
    ("import.auto_type", "automatic", "otomatik"),
    ("import.run", "Import", "İçe aktar"),
    (
        "import.need_file",
        "Choose a customers file or an orders file.",
        "Bir müşteri dosyası veya sipariş dosyası seçin.",
    ),
    ("import.reading", "Reading the file…", "Dosya okunuyor…"),
    ("report.title", "Import report", "İçe aktarma raporu"),
    ("report.summary", "customers imported", "müşteri içe aktarıldı"),
    ("report.orders", "orders counted", "sipariş sayıldı"),
    ("report.rows_read", "rows read", "satır okundu"),
    ("report.rows_skipped", "rows skipped", "satır atlandı"),
    ("report.unparsed", "cells could not be read and were left empty", "hücre okunamadı ve boş bırakıldı"),
    ("report.examples", "e.g.", "örn."),
    (
        "report.ambiguous",
        "Dates that could be day or month first (read as day first):",
        "Gün mü ay mı önce belirsiz tarihler (gün önce okundu):",
    ),
    ("report.notes", "Notes", "Notlar"),
    ("report.merged", "duplicate customer rows merged", "yinelenen müşteri satırı birleştirildi"),
    // Customers tab
    ("customers.search", "Search name, email, phone, city", "Ad, e-posta, telefon, şehir ara"),
    ("customers.search_label", "Search", "Ara"),
    ("customers.columns", "Columns", "Sütunlar"),
    ("customers.showing", "shown", "gösteriliyor"),
    ("customers.of", "of", "/"),
    ("customers.details", "Customer details", "Müşteri ayrıntıları"),
    ("customers.orders", "Orders", "Siparişler"),
    ("customers.no_orders", "No orders imported for this customer.", "Bu müşteri için sipariş yok."),
    ("customers.sorting", "Sorting…", "Sıralanıyor…"),
    ("customers.none", "No customer matches this search.", "Bu aramaya uyan müşteri yok."),
    ("order.id", "Order", "Sipariş"),
    ("order.date", "Date", "Tarih"),
    ("order.total", "Net total", "Net tutar"),
    // Tabs not built yet
    (
        "soon.dashboard",
        "Metric cards (total customers, average LTV, CAC, revenue, repeat rate) and charts (customers by LTV, acquisition channels, customer growth) will live here.",
        "Metrik kartları (toplam müşteri, ortalama LTV, CAC, ciro, tekrar alım oranı) ve grafikler (LTV'ye göre müşteriler, edinim kanalları, müşteri artışı) burada olacak.",
    ),
    (
        "soon.segments",
        "The Smart Segment Builder will live here: conditions joined by AND/OR, instant counts and average LTV, saved segments.",
        "Akıllı Segment Oluşturucu burada olacak: VE/VEYA ile bağlanan koşullar, anında sayım ve ortalama LTV, kayıtlı segmentler.",
    ),
    (
        "soon.personas",
        "Personas will live here: ideal customer profiles, checked against the real customers of a segment.",
        "Personalar burada olacak: ideal müşteri profilleri, bir segmentin gerçek müşterileriyle karşılaştırılarak.",
    ),
    (
        "soon.explore",
        "Explore will live here: new audiences discovered in the raw data.",
        "Keşfet burada olacak: ham veride keşfedilen yeni kitleler.",
    ),
    ("soon.note", "Not built yet.", "Henüz hazır değil."),
    // Dashboard
    ("dash.range", "Period", "Dönem"),
    ("dash.last30", "Last 30 days", "Son 30 gün"),
    ("dash.last90", "Last 90 days", "Son 90 gün"),
    ("dash.last365", "Last 365 days", "Son 365 gün"),
    ("dash.this_year", "This year", "Bu yıl"),
    ("dash.all_time", "All time", "Tüm zamanlar"),
    ("dash.all_time_span", "all customers, all orders", "tüm müşteriler, tüm siparişler"),
    ("dash.spend_period", "Spend period", "Harcama dönemi"),
    ("dash.total_customers", "Total customers", "Toplam müşteri"),
    ("dash.avg_ltv", "Average LTV", "Ortalama LTV"),
    ("dash.cac", "CAC", "CAC"),
    ("dash.revenue", "Total revenue", "Toplam ciro"),
    ("dash.aov", "Average order value", "Ortalama sepet"),
    ("dash.repeat_rate", "Repeat-purchase rate", "Tekrar alım oranı"),
    ("dash.ltv_cac", "LTV : CAC", "LTV : CAC"),
    ("dash.points", "pts", "puan"),
    (
        "dash.vs_previous",
        "Change against the previous period of the same length",
        "Aynı uzunluktaki önceki döneme göre değişim",
    ),
    (
        "dash.hint_customers",
        "Customers acquired by the end of the period (signup date, else first order).",
        "Dönem sonuna kadar kazanılan müşteriler (kayıt tarihi, yoksa ilk sipariş).",
    ),
    (
        "dash.hint_ltv",
        "Average lifetime value (net revenue) of these customers.",
        "Bu müşterilerin ortalama yaşam boyu değeri (net ciro).",
    ),
    (
        "dash.hint_cac",
        "Marketing spend in the period ÷ customers acquired in the period.",
        "Dönemdeki pazarlama harcaması ÷ dönemde kazanılan müşteri.",
    ),
    (
        "dash.hint_cac_no_new",
        "No customer was acquired in this period, so CAC can't be computed.",
        "Bu dönemde yeni müşteri yok; CAC hesaplanamaz.",
    ),
    (
        "dash.hint_no_spend",
        "No spend data: import a spend file or type spend per channel.",
        "Harcama verisi yok: harcama dosyası içe aktarın veya kanal başına harcama girin.",
    ),
    (
        "dash.hint_revenue",
        "Net revenue of the orders in the period (lifetime LTV without orders).",
        "Dönemdeki siparişlerin net cirosu (sipariş yoksa toplam LTV).",
    ),
    ("dash.hint_aov", "Revenue ÷ number of orders.", "Ciro ÷ sipariş sayısı."),
    (
        "dash.hint_repeat",
        "Share of customers with 2 or more orders.",
        "2 veya daha fazla sipariş veren müşterilerin oranı.",
    ),
    (
        "dash.hint_ltv_cac",
        "Average LTV ÷ CAC: above 3 is usually healthy.",
        "Ortalama LTV ÷ CAC: 3'ün üzeri genelde sağlıklıdır.",
    ),
    ("dash.by_ltv", "Customers by LTV", "LTV'ye göre müşteriler"),
    ("dash.bands", "LTV bands", "LTV dilimleri"),
    (
        "dash.bands_hint",
        "Upper limits of the bands, separated by ; (e.g. 1000; 5000; 10000). Saved in the workspace.",
        "Dilimlerin üst sınırları, ; ile ayrılmış (örn. 1000; 5000; 10000). Çalışma alanına kaydedilir.",
    ),
    ("dash.no_ltv", "No LTV values to show.", "Gösterilecek LTV değeri yok."),
    ("dash.channels", "Acquisition channels", "Müşterilerin geldiği kanallar"),
    ("dash.show_customers", "By customers", "Müşteriye göre"),
    ("dash.show_revenue", "By revenue", "Ciroya göre"),
    ("dash.growth", "Customer growth", "Zaman içinde müşteri artışı"),
    (
        "dash.no_dates",
        "No signup or order dates to draw growth from.",
        "Artışı çizmek için kayıt veya sipariş tarihi yok.",
    ),
    ("dash.cumulative", "Customers (cumulative)", "Müşteri (kümülatif)"),
    ("dash.new_per_month", "New customers per month", "Aylık yeni müşteri"),
    ("dash.channel", "Channel", "Kanal"),
    ("dash.customers", "Customers", "Müşteri"),
    ("dash.new_customers", "New in period", "Dönemde yeni"),
    ("dash.spend", "Spend", "Harcama"),
    ("dash.unknown", "(unknown)", "(bilinmiyor)"),
    (
        "dash.click_to_segment",
        "Click to start a segment of these customers",
        "Bu müşterilerle segment başlatmak için tıklayın",
    ),
    ("dash.edit_spend", "Enter spend…", "Harcama gir…"),
    ("dash.spend_title", "Marketing spend", "Pazarlama harcaması"),
    (
        "dash.spend_intro",
        "Spend per channel per month, typed by hand. It is saved in the workspace and added to any spend file.",
        "Kanal ve ay başına elle girilen harcama. Çalışma alanına kaydedilir ve harcama dosyasına eklenir.",
    ),
    ("dash.month", "Month (YYYY-MM)", "Ay (YYYY-AA)"),
    ("dash.add_spend", "Add a row", "Satır ekle"),
    (
        "dash.spend_invalid",
        "Rows need a channel and a month like 2026-03; others are not counted.",
        "Satırlar bir kanal ve 2026-03 gibi bir ay içermeli; diğerleri sayılmaz.",
    ),
    ("segments.new", "+ New segment", "+ Yeni Segment Oluştur"),
    ("segments.new_name", "New segment", "Yeni segment"),
    ("segments.gallery", "Template gallery", "Şablon galerisi"),
    ("segments.add", "Add", "Ekle"),
    (
        "segments.none",
        "No saved segments yet. Create one with + New segment.",
        "Henüz kayıtlı segment yok. + Yeni Segment Oluştur ile başlayın.",
    ),
    ("segments.name", "Name", "Ad"),
    ("segments.description", "Description", "Açıklama"),
    ("segments.count", "Customers", "Müşteri"),
    ("segments.share", "% of customers", "Müşterilerin %'si"),
    ("segments.edited", "Last edited", "Son düzenleme"),
    ("segments.edit", "Edit", "Düzenle"),
    ("segments.duplicate", "Duplicate", "Çoğalt"),
    ("segments.delete", "Delete", "Sil"),
    ("segments.deleted", "Deleted \"{}\".", "\"{}\" silindi."),
    ("segments.undo", "Undo", "Geri al"),
    ("segments.copy", "copy", "kopya"),
    ("segments.back", "← Segments", "← Segmentler"),
    ("segments.builder", "Smart Segment Builder", "Akıllı Segment Oluşturucu"),
    (
        "segments.intro",
        "Return, from all customers, those matching THESE conditions:",
        "Tüm Müşteriler Arasından ŞU Koşulları Sağlayanları Getir:",
    ),
    ("segments.and", "AND", "VE"),
    ("segments.or", "OR", "VEYA"),
    ("segments.not", "NOT", "DEĞİL"),
    (
        "segments.toggle_join",
        "Click to switch between AND and OR. AND binds tighter: each framed run of AND-ed rows is one alternative.",
        "VE / VEYA arasında geçmek için tıklayın. VE önce uygulanır: çerçeve içindeki VE'li satırlar bir seçenektir.",
    ),
    ("segments.group", "Group (all of these, in brackets):", "Grup (parantez içindekiler):"),
    ("segments.up", "Move up", "Yukarı taşı"),
    ("segments.down", "Move down", "Aşağı taşı"),
    ("segments.wrap", "Wrap in a group", "Gruba al"),
    ("segments.remove", "Remove", "Kaldır"),
    ("segments.add_condition", "+ Add condition", "+ Koşul Ekle"),
    ("segments.add_group", "+ Add group", "+ Grup Ekle"),
    ("segments.field", "Field", "Alan"),
    ("segments.operator", "Operator", "Koşul"),
    ("segments.value", "Value", "Değer"),
    ("segments.pick_value", "Pick a value", "Değer seç"),
    ("segments.add_value", "+ value", "+ değer"),
    ("segments.and_between", "and", "ile"),
    ("segments.include_empty", "include empty", "boşlar dahil"),
    (
        "segments.include_empty_hint",
        "Customers with no value here are left out unless this is ticked.",
        "Bu alanı boş olan müşteriler, bu işaretlenmedikçe dahil edilmez.",
    ),
    (
        "segments.invalid_row",
        "This row is incomplete or doesn't fit the field; it is ignored.",
        "Bu satır eksik veya alana uymuyor; yok sayılıyor.",
    ),
    ("segments.text_form", "Text form (editable)", "Metin hali (düzenlenebilir)"),
    ("segments.text_error", "Can't read the rule at character", "Kural okunamadı, karakter"),
    ("segments.results", "RESULTS (update instantly):", "SONUÇLAR (Anlık Güncellenir):"),
    (
        "segments.matching",
        "{} customers match these conditions ({%} of all).",
        "Bu koşullara uyan {} müşteri bulundu (tümünün {%}'i).",
    ),
    ("segments.avg_ltv", "Average LTV of this segment", "Bu segmentin Ortalama LTV'si"),
    ("segments.avg_orders", "Average orders", "Ortalama sipariş"),
    ("segments.ignored", "{} row(s) ignored:", "{} satır yok sayıldı:"),
    ("segments.funnel", "Step by step", "Adım adım"),
    ("segments.after_row", "After row", "Satırdan sonra"),
    ("segments.save", "Save segment", "Segmenti Kaydet"),
    (
        "segments.remarketing",
        "Create remarketing audience from this segment",
        "Bu Segmentten Yeniden Pazarlama Kitlesi Oluştur",
    ),
    (
        "segments.remarketing_soon",
        "Remarketing audiences for Google Ads and Meta are not built yet; they come with the audiences feature.",
        "Google Ads ve Meta için yeniden pazarlama kitleleri henüz hazır değil; kitleler özelliğiyle gelecek.",
    ),
    ("segments.export_csv", "Export members (CSV)", "Üyeleri dışa aktar (CSV)"),
    ("segments.export_xlsx", "Export members (XLSX)", "Üyeleri dışa aktar (XLSX)"),
    ("segments.exported", "Members exported to {}.", "Üyeler {} dosyasına aktarıldı."),
    ("invalid.unknown_field", "this field is not in the data", "bu alan veride yok"),
    ("invalid.operator", "this operator doesn't fit the field", "bu koşul alana uymuyor"),
    ("invalid.missing", "a value is missing", "bir değer eksik"),
    ("invalid.number", "the value is not a number", "değer bir sayı değil"),
    ("invalid.date", "the value is not a date (YYYY-MM-DD)", "değer bir tarih değil (YYYY-AA-GG)"),
    ("invalid.whole", "give a whole number", "bir tam sayı girin"),
    ("op.eq", "equals", "eşittir"),
    ("op.ne", "does not equal", "eşit değildir"),
    ("op.gt", "greater than", "büyüktür"),
    ("op.ge", "at least", "en az"),
    ("op.lt", "less than", "küçüktür"),
    ("op.le", "at most", "en fazla"),
    ("op.between", "between", "arasında"),
    ("op.is_empty", "is empty", "boş"),
    ("op.is_not_empty", "is not empty", "boş değil"),
    ("op.before", "before", "önce"),
    ("op.after", "after", "sonra"),
    ("op.on", "on", "tarihinde"),
    ("op.more_days", "was more than N days ago", "N günden daha önceydi"),
    ("op.more_weeks", "was more than N weeks ago", "N haftadan daha önceydi"),
    ("op.more_months", "was more than N months ago", "N aydan daha önceydi"),
    ("op.within_days", "within the last N days", "son N gün içinde"),
    ("op.within_weeks", "within the last N weeks", "son N hafta içinde"),
    ("op.within_months", "within the last N months", "son N ay içinde"),
    ("op.in", "is one of", "şunlardan biri"),
    ("op.not_in", "is none of", "şunlardan hiçbiri"),
    ("op.contains", "contains", "içerir"),
    ("op.not_contains", "does not contain", "içermez"),
    ("op.starts_with", "starts with", "ile başlar"),
    ("op.ends_with", "ends with", "ile biter"),
    ("op.contains_any", "contains any of", "şunlardan birini içerir"),
    ("op.is_yes", "is yes", "evet"),
    ("op.is_no", "is no", "hayır"),
    // Engine messages ({0}, {1} … are filled in)
    (
        "msg.duplicates_merged",
        "{0} rows repeated a customer already listed; they were merged into one customer each.",
        "{0} satır zaten listelenmiş bir müşteriyi tekrarlıyordu; her biri tek müşteride birleştirildi.",
    ),
    (
        "msg.unkeyed_email",
        "{0} customers have no email; they can't be matched to orders.",
        "{0} müşterinin e-postası yok; siparişlerle eşleştirilemezler.",
    ),
    (
        "msg.unkeyed_id",
        "{0} customers have no customer id; they can't be matched to orders.",
        "{0} müşterinin müşteri numarası yok; siparişlerle eşleştirilemezler.",
    ),
    (
        "msg.added_from_orders",
        "{0} customers appear only in the orders file; they were added.",
        "{0} müşteri yalnızca sipariş dosyasında var; eklendiler.",
    ),
    (
        "msg.kept_file_values",
        "LTV and orders come from the orders file; {0} customers with no orders there keep the customers file's values.",
        "LTV ve sipariş sayısı sipariş dosyasından gelir; orada siparişi olmayan {0} müşteri, müşteri dosyasındaki değerleri korur.",
    ),
    ("msg.orders_no_email", "{0} orders have no email; they were skipped.", "{0} siparişin e-postası yok; atlandılar."),
    (
        "msg.orders_no_id",
        "{0} orders have no customer id; they were skipped.",
        "{0} siparişin müşteri numarası yok; atlandılar.",
    ),
    (
        "msg.cancelled",
        "{0} cancelled, voided or failed orders were not counted.",
        "İptal edilmiş, geçersiz veya başarısız {0} sipariş sayılmadı.",
    ),
    ("msg.no_amount", "{0} orders have no amount; they count as 0.", "{0} siparişin tutarı yok; 0 sayıldılar."),
    (
        "msg.returns",
        "{0} returns (negative totals) reduce their customers' revenue.",
        "{0} iade (eksi tutar) müşterilerinin cirosunu düşürür.",
    ),
    (
        "msg.bad_periods",
        "{0} spend rows have no readable date or month; they were skipped.",
        "{0} harcama satırında okunabilir tarih veya ay yok; atlandılar.",
    ),
    (
        "msg.read_sheet",
        "Read sheet \"{0}\" (the workbook has {1} sheets).",
        "\"{0}\" sayfası okundu (çalışma kitabında {1} sayfa var).",
    ),
    (
        "msg.starts_at_row",
        "The table starts at row {0}; the rows above it were ignored.",
        "Tablo {0}. satırda başlıyor; üstündeki satırlar yok sayıldı.",
    ),
    (
        "msg.starts_at_line",
        "The table starts at line {0}; the lines above it were ignored.",
        "Tablo {0}. satırda başlıyor; üstündeki satırlar yok sayıldı.",
    ),
    ("msg.blank_rows", "{0} blank rows were skipped.", "{0} boş satır atlandı."),
    (
        "msg.short_rows",
        "{0} rows had fewer cells than the header; the missing cells are empty.",
        "{0} satırda başlıktan az hücre vardı; eksik hücreler boş bırakıldı.",
    ),
    (
        "msg.long_rows",
        "{0} rows had more cells than the header; the extra cells were ignored (check the delimiter or quotes).",
        "{0} satırda başlıktan fazla hücre vardı; fazlası yok sayıldı (ayırıcıyı veya tırnakları kontrol edin).",
    ),
    (
        "msg.unmatched_quote",
        "The file has an unmatched quote (\"); the rows after it may have been read as one cell. Check the file.",
        "Dosyada kapanmamış bir tırnak (\") var; sonraki satırlar tek hücre olarak okunmuş olabilir. Dosyayı kontrol edin.",
    ),
    (
        "msg.bad_characters",
        "Some characters are not valid {0}; they show as �.",
        "Bazı karakterler geçerli {0} değil; � olarak görünürler.",
    ),
    ("msg.encoding", "Text encoding: {0}.", "Metin kodlaması: {0}."),
    (
        "msg.encoding_mixed",
        "Text encoding: mixed; some lines are UTF-8 and others Windows-1254 (Turkish).",
        "Metin kodlaması: karışık; bazı satırlar UTF-8, diğerleri Windows-1254 (Türkçe).",
    ),
    ("msg.encoding_1254", "Text encoding: Windows-1254 (Turkish).", "Metin kodlaması: Windows-1254 (Türkçe)."),
    (
        "msg.ambiguous_day_first",
        "Column \"{0}\" has dates like 05/04/2026 that could be day or month first; read as day first.",
        "\"{0}\" sütununda 05/04/2026 gibi gün mü ay mı önce belirsiz tarihler var; gün önce okundu.",
    ),
    (
        "msg.ambiguous_month_first",
        "Column \"{0}\" has dates like 05/04/2026 that could be day or month first; read as month first.",
        "\"{0}\" sütununda 05/04/2026 gibi gün mü ay mı önce belirsiz tarihler var; ay önce okundu.",
    ),
    ("msg.err_io", "{0} could not be read: {1}", "{0} okunamadı: {1}"),
    ("msg.err_internal", "Internal table error: {0}", "İç tablo hatası: {0}"),
    (
        "msg.err_workbook",
        "The workbook could not be opened ({0}); it may be damaged or not a workbook.",
        "Çalışma kitabı açılamadı ({0}); bozuk olabilir ya da bir çalışma kitabı değil.",
    ),
    ("msg.err_no_sheets", "The workbook has no sheets.", "Çalışma kitabında sayfa yok."),
    (
        "msg.err_no_such_sheet",
        "The workbook has no sheet named \"{0}\"; its sheets are: {1}.",
        "Çalışma kitabında \"{0}\" adlı sayfa yok; sayfaları: {1}.",
    ),
    ("msg.err_sheet_read", "Sheet \"{0}\" could not be read ({1}).", "\"{0}\" sayfası okunamadı ({1})."),
    (
        "msg.err_no_sheet_readable",
        "No sheet of the workbook could be read.",
        "Çalışma kitabının hiçbir sayfası okunamadı.",
    ),
    ("msg.err_sheet_empty", "the sheet is empty.", "sayfa boş."),
    ("msg.err_file_empty", "the file is empty.", "dosya boş."),
    ("msg.err_encoding", "Unknown text encoding \"{0}\".", "Bilinmeyen metin kodlaması \"{0}\"."),
    ("msg.err_not_table", "The file could not be read as a table: {0}", "Dosya tablo olarak okunamadı: {0}"),
    (
        "msg.err_too_large",
        "{0} is larger than 4 GiB; split it into smaller files.",
        "{0} 4 GiB'tan büyük; daha küçük dosyalara bölün.",
    ),
    ("msg.err_empty", "{0} is empty.", "{0} boş."),
    (
        "msg.err_not_spreadsheet",
        "{0} is {1}, not a spreadsheet. Kitle reads CSV, TSV, TXT, XLSX, XLS and ODS files.",
        "{0} bir tablo değil, {1}. Kitle CSV, TSV, TXT, XLSX, XLS ve ODS dosyalarını okur.",
    ),
    ("msg.err_no_header_row", "{0} has no header row.", "{0} dosyasında başlık satırı yok."),
    (
        "msg.err_no_data_rows",
        "{0} has a header row but no data rows.",
        "{0} dosyasında başlık satırı var ama veri satırı yok.",
    ),
    (
        "msg.err_no_header",
        "no header row was found: the first rows hold values, not column names. Add a row of column names at the top.",
        "başlık satırı bulunamadı: ilk satırlarda sütun adları değil değerler var. En üste sütun adlarından oluşan bir satır ekleyin.",
    ),
    (
        "msg.err_need_file",
        "Import a customers file or an orders file (or both).",
        "Bir müşteri dosyası veya sipariş dosyası (ya da ikisini) içe aktarın.",
    ),
    (
        "msg.err_no_known_column",
        "No column of the customers file was recognised (its columns: {0}). Map at least one column to a customer field such as email or ltv.",
        "Müşteri dosyasının hiçbir sütunu tanınmadı (sütunları: {0}). En az bir sütunu e-posta veya LTV gibi bir müşteri alanına eşleyin.",
    ),
    (
        "msg.err_cant_link",
        "Customers and orders can't be linked: they need a customer id column or an email column in both files.",
        "Müşteriler ve siparişler bağlanamıyor: iki dosyada da müşteri numarası veya e-posta sütunu olmalı.",
    ),
    (
        "msg.err_orders_no_key",
        "The orders file has no customer id or email column, so its orders can't be given to customers.",
        "Sipariş dosyasında müşteri numarası veya e-posta sütunu yok; siparişler müşterilere bağlanamıyor.",
    ),
    (
        "msg.err_orders_no_amount",
        "The orders file has no order total and no unit price column, so revenue can't be computed.",
        "Sipariş dosyasında sipariş tutarı veya birim fiyat sütunu yok; ciro hesaplanamıyor.",
    ),
    (
        "msg.err_spend_no_period",
        "The spend file has no date or month column.",
        "Harcama dosyasında tarih veya ay sütunu yok.",
    ),
    (
        "msg.err_spend_no_amount",
        "The spend file has no spend column (or one amount column per channel).",
        "Harcama dosyasında harcama sütunu (veya kanal başına bir tutar sütunu) yok.",
    ),
    (
        "msg.err_one_per_kind",
        "Only one {0} file can be imported per workspace.",
        "Bir çalışma alanına yalnızca bir {0} dosyası aktarılabilir.",
    ),
    (
        "msg.err_source_missing",
        "The {0} file {1} is missing (looked for {2}); put it back beside the workspace or import it again.",
        "{0} dosyası {1} eksik ({2} arandı); çalışma alanının yanına geri koyun veya yeniden içe aktarın.",
    ),
    ("msg.err_ws_read", "{0} could not be read: {1}", "{0} okunamadı: {1}"),
    (
        "msg.err_ws_broken",
        "{0} is not a Kitle workspace or is damaged ({1}).",
        "{0} bir Kitle çalışma alanı değil veya bozuk ({1}).",
    ),
    (
        "msg.err_ws_too_new",
        "{0} was saved by a newer Kitle (workspace format {1}); this version opens formats up to {2}. Update Kitle to open it.",
        "{0} daha yeni bir Kitle ile kaydedilmiş (biçim {1}); bu sürüm {2} biçimine kadar açar. Açmak için Kitle'yi güncelleyin.",
    ),
    (
        "msg.err_ws_save",
        "The workspace could not be saved to {0}: {1}",
        "Çalışma alanı {0} konumuna kaydedilemedi: {1}",
    ),
    ("msg.err_export_format", "Choose a file ending in .csv or .xlsx.", ".csv veya .xlsx ile biten bir dosya seçin."),
    ("msg.err_export_write", "The file could not be written: {0}", "Dosya yazılamadı: {0}"),
    ("msg.err_background", "The background task stopped unexpectedly.", "Arka plan işi beklenmedik şekilde durdu."),
    ("kind.zip", "a zip archive", "bir zip arşivi"),
    ("kind.pdf", "a PDF document", "bir PDF belgesi"),
    ("kind.png", "a PNG image", "bir PNG resmi"),
    ("kind.jpeg", "a JPEG image", "bir JPEG resmi"),
    ("kind.gif", "a GIF image", "bir GIF resmi"),
    ("kind.program", "a program", "bir program"),
    ("kind.parquet", "a Parquet file", "bir Parquet dosyası"),
    ("kind.binary", "a binary file", "bir ikili (binary) dosya"),
    (
        "kind.html",
        "a web page (HTML) saved with a spreadsheet name (open it in Excel and save it as .xlsx)",
        "tablo adıyla kaydedilmiş bir web sayfası (HTML) (Excel'de açıp .xlsx olarak kaydedin)",
    ),
    ("kind.xml", "an XML file", "bir XML dosyası"),
    ("kind.json", "a JSON file", "bir JSON dosyası"),
    // Field names
    ("field.customer_id", "Customer ID", "Müşteri No"),
    ("field.email", "Email", "E-posta"),
    ("field.phone", "Phone", "Telefon"),
    ("field.first_name", "First name", "Ad"),
    ("field.last_name", "Last name", "Soyad"),
    ("field.name", "Name", "Ad Soyad"),
    ("field.city", "City", "Şehir"),
    ("field.region", "Region", "Bölge"),
    ("field.country", "Country", "Ülke"),
    ("field.zip", "Postal code", "Posta kodu"),
    ("field.gender", "Gender", "Cinsiyet"),
    ("field.birth_date", "Birth date", "Doğum tarihi"),
    ("field.signup_date", "Signup date", "Kayıt tarihi"),
    ("field.channel", "Acquisition channel", "Geldiği kanal"),
    ("field.tags", "Tags", "Etiketler"),
    ("field.accepts_marketing", "Accepts marketing", "Pazarlama izni"),
    ("field.ltv", "LTV", "LTV"),
    ("field.orders", "Orders", "Sipariş sayısı"),
    ("field.first_order_date", "First order date", "İlk sipariş tarihi"),
    ("field.last_order_date", "Last purchase date", "Son alışveriş tarihi"),
    ("field.aov", "Average order value", "Ortalama sepet"),
    ("field.days_since_last_order", "Days since last order", "Son siparişten beri gün"),
    ("field.tenure_days", "Customer for (days)", "Müşteri süresi (gün)"),
    ("field.age", "Age", "Yaş"),
    ("field.order_id", "Order ID", "Sipariş No"),
    ("field.order_date", "Order date", "Sipariş tarihi"),
    ("field.total", "Order total", "Sipariş tutarı"),
    ("field.quantity", "Quantity", "Adet"),
    ("field.unit_price", "Unit price", "Birim fiyat"),
    ("field.status", "Status", "Durum"),
    ("field.refunded", "Refunded", "İade tutarı"),
    ("field.cancelled_at", "Cancelled at", "İptal tarihi"),
    ("field.period", "Period", "Dönem"),
    ("field.spend", "Spend", "Harcama"),
    ("type.text", "text", "metin"),
    ("type.category", "category", "kategori"),
    ("type.number", "number", "sayı"),
    ("type.money", "money", "para"),
    ("type.integer", "whole number", "tam sayı"),
    ("type.date", "date", "tarih"),
    ("type.bool", "yes/no", "evet/hayır"),
    ("type.list", "list", "liste"),
    ("yes", "Yes", "Evet"),
    ("no", "No", "Hayır"),
];

/// The text for `key` in `lang`; the key itself when it is missing (a test keeps
/// that from happening).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    match TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, en, tr)) => match lang {
            Lang::En => en,
            Lang::Tr => tr,
        },
        None => key,
    }
}

/// A field's user-facing name: canonical and derived fields are translated, custom
/// fields keep their header.
pub fn field_label(lang: Lang, field: &str) -> String {
    TEXTS
        .iter()
        .find(|(k, _, _)| k.strip_prefix("field.") == Some(field))
        .map_or_else(|| field.to_owned(), |(_, en, tr)| if lang == Lang::En { en } else { tr }.to_string())
}

pub fn type_label(lang: Lang, ty: crate::engine::fields::FieldType) -> &'static str {
    use crate::engine::fields::FieldType as F;
    t(
        lang,
        match ty {
            F::Text => "type.text",
            F::Category => "type.category",
            F::Number => "type.number",
            F::Money => "type.money",
            F::Integer => "type.integer",
            F::Date => "type.date",
            F::Bool => "type.bool",
            F::List => "type.list",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fields::{SourceKind, canonical_fields, customer_columns};

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, tr) in TEXTS {
            assert!(seen.insert(key), "duplicate key {key}");
            assert!(!en.is_empty() && !tr.is_empty(), "{key} is missing a language");
        }
    }

    #[test]
    fn messages_fill_the_same_blanks_in_both_languages() {
        let blanks = |text: &str| -> Vec<usize> { (0..6).filter(|i| text.contains(&format!("{{{i}}}"))).collect() };
        for (key, en, tr) in TEXTS {
            assert_eq!(blanks(en), blanks(tr), "{key} has different {{n}} blanks in English and Turkish");
        }
        let m = crate::engine::message::Message::new("msg.blank_rows", [3]).about("a.csv");
        assert_eq!(m.text(Lang::Tr), "a.csv: 3 boş satır atlandı.");
        assert_eq!(m.to_string(), "a.csv: 3 blank rows were skipped.");
        let kind = crate::engine::message::Message::new("msg.err_not_spreadsheet", ["x.csv"]).with_key("kind.png");
        assert!(kind.text(Lang::Tr).contains("bir PNG resmi"));
    }

    #[test]
    fn every_field_has_a_name_in_both_languages() {
        let kinds = [SourceKind::Customers, SourceKind::Orders, SourceKind::Spend];
        let ids = customer_columns()
            .map(|(id, _)| id)
            .chain(kinds.iter().flat_map(|k| canonical_fields(*k).iter().map(|f| f.id)));
        for id in ids {
            assert_ne!(field_label(Lang::En, id), id, "{id} has no English name");
            assert_ne!(field_label(Lang::Tr, id), id, "{id} has no Turkish name");
        }
        assert_eq!(t(Lang::Tr, "tab.explore"), "Keşfet");
        assert_eq!(field_label(Lang::Tr, "Sadakat Puanı"), "Sadakat Puanı");
    }
}
