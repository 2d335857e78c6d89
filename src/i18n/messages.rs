//! The engine's messages (import notes and errors); {0}, {1} … are filled in.

/// (key, English, Turkish)
pub const TEXTS: &[(&str, &str, &str)] = &[
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
    (
        "msg.missing_values",
        "Column \"{0}\": {1} cells written as NA, N/A, NULL, None, NaN, - or similar were read as empty.",
        "\"{0}\" sütunu: NA, N/A, NULL, None, NaN, - gibi yazılmış {1} hücre boş okundu.",
    ),
    (
        "msg.number_reading",
        "Column \"{0}\": values like \"{1}\" could be read two ways; read as {2}. Choose the decimal separator to change it.",
        "\"{0}\" sütunu: \"{1}\" gibi değerler iki türlü okunabilir; {2} olarak okundu. Değiştirmek için ondalık ayırıcıyı seçin.",
    ),
    (
        "msg.guests_grouped",
        "{0} order lines had no customer id (guest checkouts); they were grouped by billing email into {1} guest customers.",
        "{0} sipariş satırında müşteri numarası yoktu (misafir alışverişi); fatura e-postasına göre {1} misafir müşteride toplandı.",
    ),
    (
        "msg.prediction_few_repeat",
        "Predicted value (P(alive), expected orders, predicted CLV) needs at least 20 customers who bought on two or more days; these orders have {0}.",
        "Tahmini değer (aktif olma olasılığı, beklenen sipariş, tahmini CLV) en az iki farklı günde alışveriş yapmış 20 müşteri ister; bu siparişlerde {0} var.",
    ),
    (
        "msg.prediction_failed",
        "Predicted value could not be fitted to these orders ({0}); its fields are left out.",
        "Tahmini değer modeli bu siparişlere uydurulamadı ({0}); alanları eklenmedi.",
    ),
    (
        "msg.after_as_of",
        "{0} customers have a {1} after the as-of date {3} (latest {2}); their \"days since\" figures are negative. Check the dates or the as-of date.",
        "{0} müşterinin {1} değeri referans tarihi {3} sonrasında (en geç {2}); \"geçen gün\" değerleri negatif. Tarihleri ya da referans tarihini kontrol edin.",
    ),
    ("msg.negative_orders", "{0} customers have a negative order count.", "{0} müşterinin sipariş sayısı negatif."),
    (
        "msg.second_table",
        "A second table starts at data row {0} (\"{1}\"); its {2} rows were left out.",
        "{0}. veri satırında ikinci bir tablo başlıyor (\"{1}\"); {2} satırı dışarıda bırakıldı.",
    ),
    (
        "msg.cell_errors",
        "{0} cells hold spreadsheet errors (e.g. {1}); they were read as empty.",
        "{0} hücrede tablo hatası var (örn. {1}); boş okundu.",
    ),
    (
        "msg.unknown_countries",
        "{0} customers' countries are neither a known name nor an ISO code (e.g. {1}); their country code is left empty.",
        "{0} müşterinin ülkesi bilinen bir ad veya ISO kodu değil (örn. {1}); ülke kodları boş bırakıldı.",
    ),
    (
        "msg.totals_row",
        "The last row (\"{0}\") adds up the rows above it; it was left out.",
        "Son satır (\"{0}\") üstündeki satırların toplamı; dışarıda bırakıldı.",
    ),
    (
        "msg.duplicates_disagree",
        "{0} customers listed more than once had different values in: {1}; the first row's values were kept (its empty cells filled from the later rows).",
        "Birden çok kez listelenen {0} müşterinin şu alanlardaki değerleri farklıydı: {1}; ilk satırın değerleri tutuldu (boş hücreleri sonraki satırlardan dolduruldu).",
    ),
    (
        "msg.cache_ignored",
        "The local cache could not be used ({0}); the data was imported again.",
        "Yerel önbellek kullanılamadı ({0}); veriler yeniden içe aktarıldı.",
    ),
    (
        "msg.cache_not_written",
        "The local cache could not be written ({0}); the next opening imports the files again.",
        "Yerel önbellek yazılamadı ({0}); bir sonraki açılışta dosyalar yeniden içe aktarılacak.",
    ),
    (
        "msg.members_not_recorded",
        "Who is in each saved segment could not be recorded for this import ({0}); entered/left will skip it.",
        "Kayıtlı segmentlerin üyeleri bu içe aktarma için kaydedilemedi ({0}); girenler/çıkanlar bu içe aktarmayı atlayacak.",
    ),
];
