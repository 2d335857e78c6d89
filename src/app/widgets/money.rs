//! The nominal ⇄ real lira switch the Dashboard and Explore show under their
//! titles: money as paid, or in lira of one month by the workspace's price index.
//! Without an index it says what to load and where TCMB EVDS publishes it.

use crate::app::cache::Money;
use crate::app::command::{Command, FileCommand, ViewCommand};
use crate::app::i18n::t;
use crate::app::tabs::TabContext;
use crate::format;

pub fn money_switch_ui(ui: &mut egui::Ui, ctx: &TabContext<'_>) {
    let lang = ctx.lang;
    let on = ctx.prefs.real_money;
    ui.horizontal_wrapped(|ui| {
        ui.label(t(lang, "money.amounts"));
        if ui.selectable_label(!on, t(lang, "money.nominal")).on_hover_text(t(lang, "money.nominal_hint")).clicked()
            && on
        {
            ctx.send(ViewCommand::SetRealMoney(false));
        }
        if ui.selectable_label(on, t(lang, "money.real")).on_hover_text(t(lang, "money.real_hint")).clicked() && !on {
            ctx.send(ViewCommand::SetRealMoney(true));
        }
        match &ctx.money {
            Money::Nominal => {}
            Money::Real { base } => {
                let month = chrono::NaiveDate::parse_from_str(&format!("{base}-01"), "%Y-%m-%d")
                    .map_or_else(|_| base.clone(), |d| format::month(d, lang));
                ui.strong(t(lang, "money.in_base").replace("{0}", &month));
            }
            Money::Converting => {
                ui.spinner();
                ui.weak(t(lang, "money.converting"));
            }
            Money::NoIndex => {
                ui.colored_label(ui.visuals().warn_fg_color, t(lang, "money.no_index"))
                    .on_hover_text(t(lang, "money.where_evds"));
                if ui.small_button(t(lang, "money.load_index")).clicked() {
                    ctx.send(Command::File(FileCommand::LoadPriceIndex(None)));
                }
            }
            Money::Unavailable(why) => {
                ui.colored_label(ui.visuals().warn_fg_color, t(lang, "money.unavailable").replace("{0}", why));
            }
        }
    });
    if matches!(ctx.money, Money::NoIndex) {
        ui.add(egui::Label::new(egui::RichText::new(t(lang, "money.where_evds")).small().weak()).wrap());
    }
}
