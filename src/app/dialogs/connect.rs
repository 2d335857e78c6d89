//! "Connect a store": the platform, the store's address and its credentials
//! (held in memory, or kept in the system keychain when the user ticks the box),
//! then the pull's progress with a Cancel button. The same window asks for the
//! credentials when a refresh finds none saved.

use std::sync::Arc;

use crate::app::command::CommandSender;
use crate::app::command::{StoreCommand, ViewCommand};
use crate::app::i18n::{Lang, t};
use crate::app::tasks::TaskKind;
use crate::connect::http::Token;
use crate::connect::store::shopify::DEFAULT_API_VERSION;
use crate::connect::store::{SHOPIFY_CLIENT_ENV, StoreCredentials, SyncCounts, default_env};
use crate::engine::store::{StorePlatform, StoreSource, store_name};

/// What the dialog asks the shell to pull.
#[derive(Debug, Clone)]
pub struct StoreOrder {
    pub source: StoreSource,
    /// `None`: look in the environment and the keychain (off the UI thread).
    pub credentials: Option<StoreCredentials>,
    /// Keep the credentials in the system keychain.
    pub remember: bool,
    /// Refresh the open workspace's store rather than make a new workspace.
    pub refresh: bool,
    pub counts: Arc<SyncCounts>,
}

/// How a Shopify store is signed in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopifySignIn {
    /// A Dev Dashboard app's client ID and secret (how apps are made since 2026).
    App,
    /// An older custom app's Admin API access token.
    Token,
}

pub struct ConnectDialog {
    pub platform: StorePlatform,
    pub store: String,
    pub sign_in: ShopifySignIn,
    pub client_id: String,
    pub client_secret: String,
    pub token: String,
    pub key: String,
    pub secret: String,
    pub api_version: String,
    pub remember: bool,
    /// The open workspace's store, when the dialog asks for a refresh's credentials.
    pub refresh: Option<StoreSource>,
    pub error: Option<String>,
    /// The pull under way, and how far it is.
    pub running: Option<Arc<SyncCounts>>,
}

impl ConnectDialog {
    pub fn new() -> Self {
        Self {
            platform: StorePlatform::Shopify,
            store: String::new(),
            sign_in: ShopifySignIn::App,
            client_id: String::new(),
            client_secret: String::new(),
            token: String::new(),
            key: String::new(),
            secret: String::new(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            remember: false,
            refresh: None,
            error: None,
            running: None,
        }
    }

    /// Asking for the credentials of the open workspace's store.
    pub fn for_refresh(source: StoreSource) -> Self {
        Self {
            platform: source.platform,
            store: source.store.clone(),
            api_version: source.api_version.clone().unwrap_or_else(|| DEFAULT_API_VERSION.to_owned()),
            // Asked the way the store was connected.
            sign_in: if source.credential_env.len() == 1 { ShopifySignIn::Token } else { ShopifySignIn::App },
            refresh: Some(source),
            ..Self::new()
        }
    }

    /// The order the filled-in fields make, or what is missing.
    fn order(&self, lang: Lang) -> Result<StoreOrder, String> {
        if self.store.trim().is_empty() {
            return Err(t(lang, "store.needs_address").to_owned());
        }
        let credentials = match self.platform {
            StorePlatform::Shopify if self.sign_in == ShopifySignIn::Token => {
                Token::new(&self.token).map(StoreCredentials::Token)
            }
            StorePlatform::Shopify => Token::new(&self.client_id)
                .zip(Token::new(&self.client_secret))
                .map(|(client_id, client_secret)| StoreCredentials::ClientCredentials { client_id, client_secret }),
            StorePlatform::WooCommerce => Token::new(&self.key)
                .zip(Token::new(&self.secret))
                .map(|(key, secret)| StoreCredentials::Keys { key, secret }),
        };
        let credentials = credentials.ok_or_else(|| t(lang, "store.needs_credentials").to_owned())?;
        let source = self.refresh.clone().unwrap_or_else(|| StoreSource {
            platform: self.platform,
            store: self.store.trim().to_owned(),
            api_version: (self.platform == StorePlatform::Shopify && self.api_version.trim() != DEFAULT_API_VERSION)
                .then(|| self.api_version.trim().to_owned())
                .filter(|v| !v.is_empty()),
            credential_env: if self.platform == StorePlatform::Shopify && self.sign_in == ShopifySignIn::App {
                SHOPIFY_CLIENT_ENV.iter().map(|v| (*v).to_owned()).collect()
            } else {
                default_env(self.platform)
            },
            keys_in_query: false,
            paid_statuses: Vec::new(),
            cache: std::path::PathBuf::new(),
        });
        Ok(StoreOrder {
            source,
            credentials: Some(credentials),
            remember: self.remember,
            refresh: self.refresh.is_some(),
            counts: Arc::new(SyncCounts::default()),
        })
    }

    /// Draws the dialog; false once it is closed.
    pub fn ui(&mut self, egui: &egui::Context, lang: Lang, commands: &CommandSender) -> bool {
        let mut open = true;
        let title = match &self.refresh {
            Some(source) => t(lang, "store.refresh_title").replace("{0}", &source.display_name()),
            None => t(lang, "store.title").to_owned(),
        };
        egui::Window::new(title).collapsible(false).resizable(false).default_width(460.0).open(&mut open).show(
            egui,
            |ui| {
                if let Some(counts) = self.running.clone() {
                    self.progress_ui(ui, lang, &counts, commands);
                } else {
                    self.form_ui(ui, lang, commands);
                }
            },
        );
        if !open && self.running.is_some() {
            commands.send(ViewCommand::CancelTask(TaskKind::Sync));
        }
        open
    }

    fn progress_ui(&self, ui: &mut egui::Ui, lang: Lang, counts: &SyncCounts, commands: &CommandSender) {
        let (customers, orders) = counts.pulled();
        let name = store_name(&self.store);
        let text = t(lang, "store.pulling")
            .replace("{0}", &name)
            .replace("{1}", &crate::format::count(customers, lang))
            .replace("{2}", &crate::format::count(orders, lang));
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(text);
        });
        if ui.button(t(lang, "status.cancel")).clicked() {
            commands.send(ViewCommand::CancelTask(TaskKind::Sync));
        }
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
    }

    /// The grid rows that ask for the store's credentials, the platform's way.
    fn credential_rows(&mut self, ui: &mut egui::Ui, lang: Lang, locked: bool) {
        match self.platform {
            StorePlatform::Shopify => {
                ui.label(t(lang, "store.sign_in"));
                ui.add_enabled_ui(!locked, |ui| {
                    // One above the other: each label is long in Turkish.
                    ui.vertical(|ui| {
                        ui.radio_value(&mut self.sign_in, ShopifySignIn::App, t(lang, "store.sign_in_app"));
                        ui.radio_value(&mut self.sign_in, ShopifySignIn::Token, t(lang, "store.sign_in_token"));
                    });
                });
                ui.end_row();
                let secret_row = |ui: &mut egui::Ui, key: &'static str, text: &mut String, hidden: bool| {
                    let label = ui.label(t(lang, key));
                    ui.add(egui::TextEdit::singleline(text).password(hidden).desired_width(280.0))
                        .labelled_by(label.id);
                    ui.end_row();
                };
                if self.sign_in == ShopifySignIn::App {
                    secret_row(ui, "store.client_id", &mut self.client_id, false);
                    secret_row(ui, "store.client_secret", &mut self.client_secret, true);
                } else {
                    secret_row(ui, "store.token", &mut self.token, true);
                }
                let label = ui.label(t(lang, "store.api_version"));
                ui.add_enabled(!locked, egui::TextEdit::singleline(&mut self.api_version).desired_width(100.0))
                    .labelled_by(label.id);
                ui.end_row();
            }
            StorePlatform::WooCommerce => {
                let label = ui.label(t(lang, "store.key"));
                ui.add(egui::TextEdit::singleline(&mut self.key).password(true).desired_width(280.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(t(lang, "store.secret"));
                ui.add(egui::TextEdit::singleline(&mut self.secret).password(true).desired_width(280.0))
                    .labelled_by(label.id);
                ui.end_row();
            }
        }
    }

    fn form_ui(&mut self, ui: &mut egui::Ui, lang: Lang, commands: &CommandSender) {
        if self.refresh.is_some() {
            ui.label(t(lang, "store.refresh_credentials"));
        } else {
            ui.label(t(lang, "store.intro"));
        }
        ui.add_space(6.0);
        let locked = self.refresh.is_some();
        egui::Grid::new("connect-fields").num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
            ui.label(t(lang, "store.platform"));
            ui.add_enabled_ui(!locked, |ui| {
                ui.horizontal(|ui| {
                    for platform in [StorePlatform::Shopify, StorePlatform::WooCommerce] {
                        ui.radio_value(&mut self.platform, platform, platform.name());
                    }
                });
            });
            ui.end_row();
            let address = ui.label(t(lang, "store.address"));
            let hint = match self.platform {
                StorePlatform::Shopify => "acme.myshopify.com",
                StorePlatform::WooCommerce => "https://shop.example.com",
            };
            ui.add_enabled(!locked, egui::TextEdit::singleline(&mut self.store).hint_text(hint).desired_width(280.0))
                .labelled_by(address.id);
            ui.end_row();
            self.credential_rows(ui, lang, locked);
        });
        let help = match (self.platform, self.sign_in) {
            (StorePlatform::Shopify, ShopifySignIn::App) => "store.app_help",
            (StorePlatform::Shopify, ShopifySignIn::Token) => "store.token_help",
            (StorePlatform::WooCommerce, _) => "store.keys_help",
        };
        ui.weak(t(lang, help));
        ui.checkbox(&mut self.remember, t(lang, "store.remember"));
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        ui.add_space(4.0);
        let label = if self.refresh.is_some() { t(lang, "store.refresh") } else { t(lang, "store.connect") };
        if ui.button(label).clicked() {
            match self.order(lang) {
                Ok(order) => {
                    self.error = None;
                    self.running = Some(Arc::clone(&order.counts));
                    commands.send(StoreCommand::Sync(Box::new(order)));
                }
                Err(why) => self.error = Some(why),
            }
        }
    }
}

impl Default for ConnectDialog {
    fn default() -> Self {
        Self::new()
    }
}

impl super::Dialog for ConnectDialog {
    fn show(&mut self, ctx: &super::DialogContext<'_>) -> bool {
        self.ui(ctx.egui, ctx.lang, ctx.commands)
    }
}
