//! The audience dialog's "send through the platform's API" section: the account
//! and list ids (saved with the audience), the access token (typed, or from the
//! environment; held in memory for the session only), and what a push would
//! change since the last one (adds, removes, unchanged), computed in the background.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::app::document::Document;
use crate::app::i18n::{Lang, t};
use crate::app::keyed::Keyed;
use crate::connect::credentials::{TokenSource, endpoint_text, find_token, keychain, token_variable};
use crate::connect::http::{Endpoint, Retry, Token};
use crate::connect::push::{Destination, Plan, PushJob, requests_needed};
use crate::engine::audience::diff::{Diff, SentBy, membership_path};
use crate::engine::audience::{Audience, AudienceRows, Destinations, GoogleDestination, MetaDestination, Platform};
use crate::format;

/// What decides the planned changes: the preview's inputs, where, and the destination.
type PlanKey = (String, PathBuf, String);

/// What a push would do.
pub struct Planned {
    pub diff: Diff,
    pub requests: usize,
    pub left_out: usize,
}

/// A push to start: the audience's rows and the job (sent as a command).
#[derive(Debug)]
pub struct PushOrder {
    pub name: String,
    pub rows: Arc<AudienceRows>,
    pub job: PushJob,
    /// Keep the token in the OS keychain (done by the push's background job).
    pub keep_token: bool,
}

/// What the OS keychain holds for a platform (asked in the background).
pub struct KeychainState {
    pub available: bool,
    pub token: Option<Token>,
}

/// Which platform's keychain entry, how many times it was reloaded, and whether
/// to forget it first.
type KeychainKey = (Platform, u32, bool);

pub struct PushPanel {
    pub google: GoogleDestination,
    google_login: String,
    pub meta_account: String,
    meta_audience: String,
    /// Typed tokens (memory only).
    token_text: HashMap<Platform, String>,
    /// Tokens given earlier this session.
    pub remembered: HashMap<Platform, Token>,
    planned: Keyed<PlanKey, Planned>,
    keychain: Keyed<KeychainKey, KeychainState>,
    /// Bumped to ask the keychain again, with the platform whose entry to remove first.
    keychain_asked: (u32, Option<Platform>),
    /// Keep a typed token in the keychain.
    keep_token: bool,
    /// Why the last push could not start.
    error: Option<String>,
    /// The API endpoint, when not the platform's own or the environment's (tests).
    pub endpoint: Option<String>,
}

impl PushPanel {
    pub fn new(saved: Option<&Audience>, remembered: HashMap<Platform, Token>) -> Self {
        let google = saved.and_then(|a| a.destinations.google.clone()).unwrap_or_default();
        let meta = saved.and_then(|a| a.destinations.meta.clone()).unwrap_or_default();
        Self {
            google_login: google.login_account_id.clone().unwrap_or_default(),
            google,
            meta_account: meta.ad_account_id,
            meta_audience: meta.audience_id.unwrap_or_default(),
            token_text: HashMap::new(),
            remembered,
            planned: Keyed::new("audience-push-plan"),
            keychain: Keyed::new("keychain"),
            keychain_asked: (0, None),
            keep_token: false,
            error: None,
            endpoint: None,
        }
    }

    /// Where a push to `platform` goes, as typed.
    pub fn destination(&self, platform: Platform) -> Destination {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        if platform == Platform::Google {
            Destination::Google(GoogleDestination {
                account_id: self.google.account_id.trim().to_owned(),
                login_account_id: some(&self.google_login),
                user_list_id: self.google.user_list_id.trim().to_owned(),
            })
        } else {
            Destination::Meta(MetaDestination {
                ad_account_id: self.meta_account.trim().to_owned(),
                audience_id: some(&self.meta_audience),
            })
        }
    }

    /// The ids typed, as saved with the audience.
    pub fn destinations(&self) -> Destinations {
        let google = self.destination(Platform::Google);
        let meta = self.destination(Platform::Meta);
        Destinations {
            google: match google {
                Destination::Google(d) if !d.account_id.is_empty() || !d.user_list_id.is_empty() => Some(d),
                _ => None,
            },
            meta: match meta {
                Destination::Meta(d) if !d.ad_account_id.is_empty() || d.audience_id.is_some() => Some(d),
                _ => None,
            },
        }
    }

    /// The platform refused the token: forget it, so the panel asks for a new one.
    pub fn token_refused(&mut self, platform: Platform) {
        self.remembered.remove(&platform);
        self.token_text.remove(&platform);
    }

    /// The token a push would use, and where it came from: this session's, typed,
    /// the environment's, then the keychain's.
    fn token(&self, platform: Platform) -> Option<(Token, TokenSource)> {
        if let Some(token) = self.remembered.get(&platform) {
            return Some((token.clone(), TokenSource::Given));
        }
        let kept = || self.kept(platform).map(|t| (t.clone(), TokenSource::Keychain));
        find_token(platform, self.token_text.get(&platform).map(String::as_str)).or_else(kept)
    }

    /// Whether the planned changes and the keychain have answered (the section's
    /// layout no longer moves).
    pub fn settled(&self) -> bool {
        self.planned.latest().is_some() && !self.planned.busy() && self.keychain_known()
    }

    /// Whether the keychain has answered (the section's layout is settled).
    pub fn keychain_known(&self) -> bool {
        self.keychain.latest().is_some() && !self.keychain.busy()
    }

    fn kept(&self, platform: Platform) -> Option<&Token> {
        self.keychain.latest().filter(|_| self.keychain.latest_key().is_some_and(|k| k.0 == platform))?.token.as_ref()
    }

    /// Starts or collects the planned changes (call once per frame).
    pub fn logic(&mut self, egui: &egui::Context, doc: &Document, lang: Lang, inputs: PushInputs<'_>) {
        let PushInputs { name, rows, preview_key, platform } = inputs;
        self.planned.collect(lang);
        self.keychain.collect(lang);
        if matches!(platform, Platform::Google | Platform::Meta) {
            let (asked, forget) = self.keychain_asked;
            self.keychain.ensure(egui, (platform, asked, forget == Some(platform)), |&(platform, _, forget)| {
                move |_| {
                    if forget {
                        keychain::forget(platform)?;
                    }
                    Ok(KeychainState { available: keychain::available(), token: keychain::load(platform) })
                }
            });
        }
        let (Some(rows), Some(workspace)) = (rows, doc.path.as_ref()) else { return };
        if !matches!(rows.platform, Platform::Google | Platform::Meta) {
            return;
        }
        let path = membership_path(workspace, name.trim(), rows.platform, SentBy::Api);
        let destination = self.destination(rows.platform);
        let key = (preview_key.to_owned(), path, destination.key());
        let rows = Arc::clone(rows);
        self.planned.ensure(egui, key, |(_, path, _)| {
            let path = path.clone();
            move |_| {
                let plan = Plan::new(&rows, &path, &destination).map_err(|e| e.to_string())?;
                let requests = requests_needed(rows.platform, &plan.changes);
                Ok(Planned { diff: plan.diff(), requests, left_out: plan.left_out })
            }
        });
    }

    /// Draws the section; returns true when a push was started (the dialog closes).
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, lang: Lang, order: PushInputs<'_>) -> Option<PushOrder> {
        let platform = order.platform;
        ui.strong(t(lang, "push.heading"));
        self.ids_ui(ui, platform, lang);
        self.token_ui(ui, platform, lang);
        if let Some(planned) = self.planned.latest() {
            let d = &planned.diff;
            let n = |v: usize| format::count(v, lang);
            ui.label(
                t(lang, "push.changes")
                    .replace("{0}", &n(d.adds))
                    .replace("{1}", &n(d.removes))
                    .replace("{2}", &n(d.unchanged))
                    .replace("{3}", &n(planned.requests)),
            );
            if planned.left_out > 0 {
                ui.weak(t(lang, "push.left_out").replace("{0}", &n(planned.left_out)));
            }
        }
        let blocker = self.blocker(doc, platform, order.rows.is_some());
        if let Some(key) = blocker {
            ui.weak(t(lang, key));
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        let clicked = ui.add_enabled(blocker.is_none(), egui::Button::new(t(lang, "push.button"))).clicked();
        if !clicked {
            return None;
        }
        let (Some(rows), Some(workspace)) = (order.rows, doc.path.as_ref()) else { return None };
        let (token, _) = self.token(platform)?;
        let endpoint = match Endpoint::parse(&endpoint_text(platform, self.endpoint.as_deref())) {
            Ok(endpoint) => endpoint,
            Err(e) => {
                self.error = Some(e.text(lang));
                return None;
            }
        };
        let job = PushJob {
            name: order.name.trim().to_owned(),
            destination: self.destination(platform),
            endpoint,
            token,
            retry: Retry::default(),
            membership_path: membership_path(workspace, order.name.trim(), platform, SentBy::Api),
            record: crate::engine::audience::record::ExportRecord::of_workspace(workspace),
        };
        let keep_token = self.keep_token && self.token_text.get(&platform).is_some_and(|t| !t.trim().is_empty());
        Some(PushOrder { name: order.name.trim().to_owned(), rows: Arc::clone(rows), job, keep_token })
    }

    /// Why the push button is off, if it is (a text key).
    fn blocker(&self, doc: &Document, platform: Platform, ready: bool) -> Option<&'static str> {
        if doc.path.is_none() {
            Some("push.save_first")
        } else if self.destination(platform).missing().is_some() {
            Some("push.no_destination")
        } else if self.token(platform).is_none() {
            Some("push.no_token")
        } else {
            (!ready).then_some("push.no_destination")
        }
    }

    fn ids_ui(&mut self, ui: &mut egui::Ui, platform: Platform, lang: Lang) {
        let field = |ui: &mut egui::Ui, key: &'static str, text: &mut String| {
            let label = ui.label(t(lang, key));
            ui.add(egui::TextEdit::singleline(text).desired_width(140.0)).labelled_by(label.id);
        };
        ui.horizontal_wrapped(|ui| {
            if platform == Platform::Google {
                field(ui, "push.google_account", &mut self.google.account_id);
                field(ui, "push.google_list", &mut self.google.user_list_id);
                field(ui, "push.google_login", &mut self.google_login);
            } else {
                field(ui, "push.meta_account", &mut self.meta_account);
                field(ui, "push.meta_audience", &mut self.meta_audience);
            }
        });
    }

    fn token_ui(&mut self, ui: &mut egui::Ui, platform: Platform, lang: Lang) {
        let variable = token_variable(platform);
        if self.remembered.contains_key(&platform) {
            ui.horizontal(|ui| {
                ui.weak(t(lang, "push.token_session"));
                if ui.small_button(t(lang, "push.forget")).clicked() {
                    self.remembered.remove(&platform);
                }
            });
            return;
        }
        if let Some((_, TokenSource::Environment(name))) = find_token(platform, None) {
            ui.weak(t(lang, "push.token_env").replace("{0}", name));
            return;
        }
        if self.kept(platform).is_some() {
            ui.horizontal(|ui| {
                ui.weak(t(lang, "push.token_keychain"));
                if ui.small_button(t(lang, "push.forget")).clicked() {
                    self.keychain_asked = (self.keychain_asked.0 + 1, Some(platform));
                }
            });
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label(t(lang, "push.token"));
            let text = self.token_text.entry(platform).or_default();
            ui.add(egui::TextEdit::singleline(text).password(true).desired_width(260.0)).labelled_by(label.id);
        });
        ui.weak(t(lang, "push.token_hint").replace("{0}", variable));
        if let Some(e) = self.keychain.error() {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        match self.keychain.latest().map(|k| k.available) {
            Some(true) => {
                ui.checkbox(&mut self.keep_token, t(lang, "push.keep"));
            }
            Some(false) => {
                ui.weak(t(lang, "push.no_keychain"));
            }
            None => {}
        }
    }
}

/// What the push section needs from the dialog.
pub struct PushInputs<'a> {
    pub name: &'a str,
    pub platform: Platform,
    /// The rows the preview built, once built.
    pub rows: Option<&'a Arc<AudienceRows>>,
    /// What the preview was built from (the planned changes follow it).
    pub preview_key: &'a str,
}
