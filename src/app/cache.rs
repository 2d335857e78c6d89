//! Derived data several views share, keyed by the document's data version: the
//! customer table prepared for segment queries, the members and numbers of the
//! segment being built (which the builder shows and exports, and which personas,
//! Explore and audiences will read), every saved segment's numbers, and the values
//! each field holds. Views read it through the tab context; computations run
//! in the background through [`Keyed`].

use std::cell::RefCell;
use std::sync::Arc;

use foldhash::HashMap;

use super::document::Document;
use super::i18n::Lang;
use super::keyed::Keyed;
use crate::engine::data::CustomerData;
use crate::engine::import::ImportError;
use crate::engine::segment::evaluate::{SegmentFrame, SegmentResult, SegmentStats};
use crate::engine::segment::overlap::{Overlap, overlap};
use crate::engine::segment::values::value_counts;
use crate::engine::segment::{Group, parse, to_text};

/// Which rule on which data: data version and rule text.
pub type RuleKey = (u64, String);
/// Numbers of every saved segment (`None` where a rule can't be read).
pub type SavedStats = Vec<Option<SegmentStats>>;
/// Values of a field with their counts, most common first.
pub type ValueCounts = Arc<Vec<(String, usize)>>;
/// Data version and the saved segments (name and rule), in order.
pub type SavedKey = (u64, Vec<String>);

/// Shared derived data of the open document.
pub struct SharedCache {
    version: u64,
    frame: Option<Arc<SegmentFrame>>,
    /// The segment being built: its evaluation and members.
    pub current: RefCell<Keyed<RuleKey, SegmentResult>>,
    /// Every saved segment's numbers.
    pub saved: Keyed<SavedKey, SavedStats>,
    /// How the saved segments overlap.
    pub overlap: Keyed<SavedKey, Overlap>,
    values: RefCell<HashMap<String, ValueCounts>>,
    /// The saved segments' names and rules as one text (for keys of rules that refer to them).
    saved_rules: String,
    /// The data version and saved segments (name, rule) the saved jobs were asked for.
    named: (u64, Vec<(String, String)>),
    /// The data in lira of the base month, when money is shown real.
    real: Keyed<u64, CustomerData>,
}

/// How money is shown: what the Dashboard and Explore compute from.
#[derive(Debug, Clone, PartialEq)]
pub enum Money {
    Nominal,
    /// In lira of the base month (`YYYY-MM`).
    Real {
        base: String,
    },
    /// The switch is on; the conversion is running (nominal meanwhile).
    Converting,
    /// The switch is on but there is no price index loaded.
    NoIndex,
    /// The switch is on but the data can't be converted (the reason, shown).
    Unavailable(String),
}

impl Money {
    pub fn is_real(&self) -> bool {
        matches!(self, Money::Real { .. })
    }
}

/// A data version the real-lira data of `version` goes by (never a document's).
fn real_version(version: u64) -> u64 {
    version | (1 << 63)
}

impl Default for SharedCache {
    fn default() -> Self {
        Self {
            version: 0,
            frame: None,
            current: RefCell::new(Keyed::new("segment")),
            saved: Keyed::new("segment-list"),
            overlap: Keyed::new("segment-overlap"),
            values: RefCell::default(),
            saved_rules: String::new(),
            named: (0, Vec::new()),
            real: Keyed::new("real-lira"),
        }
    }
}

impl SharedCache {
    /// Follows the document: everything is dropped when its data changes. Then
    /// collects finished work and keeps the saved segments' numbers current.
    pub fn update(&mut self, doc: &Document, egui: &egui::Context, lang: Lang, real_money: bool) {
        self.real.collect(lang);
        if !real_money {
            // The real-lira copy of the money columns is not kept while unused.
            self.real.clear();
        } else if let Some(index) = &doc.workspace.settings.price_index
            && doc.data.orders.is_some()
        {
            let base = doc.workspace.real_base(doc.data.as_of);
            self.real.ensure(egui, doc.version, |_| {
                let (data, index) = (Arc::clone(&doc.data), index.clone());
                move |_| crate::engine::cohorts::real::in_real_lira(&data, &index, base).map_err(|e| e.to_string())
            });
        }
        if self.version != doc.version {
            self.version = doc.version;
            self.frame = Some(Arc::new(SegmentFrame::new(Arc::clone(&doc.data))));
            self.current.get_mut().clear();
            self.values.get_mut().clear();
        }
        self.current.get_mut().collect(lang);
        self.saved.collect(lang);
        self.overlap.collect(lang);
        let Some(frame) = self.frame.clone() else { return };
        // The saved segments' jobs change only with the data or the segments.
        let segments = &doc.workspace.segments;
        let seen = self.named.0 == doc.version
            && self.named.1.len() == segments.len()
            && self.named.1.iter().zip(segments).all(|((n, r), s)| *n == s.name && *r == s.rule);
        if seen {
            return;
        }
        let rules: Vec<String> = segments.iter().map(|s| s.rule.clone()).collect();
        let named: Vec<(String, String)> = segments.iter().map(|s| (s.name.clone(), s.rule.clone())).collect();
        self.named = (doc.version, named.clone());
        frame.set_saved_segments(named.clone());
        // Names are part of the key: a reference follows its segment's name.
        let keyed: Vec<String> = named.iter().map(|(n, r)| format!("{n}\u{1}{r}")).collect();
        self.saved_rules = keyed.join("\u{2}");
        let stats_frame = Arc::clone(&frame);
        self.saved.ensure(egui, (doc.version, keyed.clone()), move |_| {
            let frame = stats_frame;
            move |_| {
                Ok(rules.iter().map(|r| parse(r).ok().and_then(|g| frame.stats(&frame.compile(&g)).ok())).collect())
            }
        });
        self.overlap.ensure(egui, (doc.version, keyed), move |_| {
            move |_| overlap(&frame, &named).map_err(|e| ImportError::from(e).text(lang))
        });
    }

    /// The data money is shown from, its version, and how money is shown.
    pub fn money_view(&self, doc: &Document, real_money: bool) -> (Arc<CustomerData>, u64, Money) {
        let nominal = |money| (Arc::clone(&doc.data), doc.version, money);
        if !real_money {
            return nominal(Money::Nominal);
        }
        if doc.workspace.settings.price_index.is_none() {
            return nominal(Money::NoIndex);
        }
        if let Some(data) = self.real.get(&doc.version) {
            let base = crate::engine::cohorts::index::month_label(doc.workspace.real_base(doc.data.as_of));
            return (Arc::clone(data), real_version(doc.version), Money::Real { base });
        }
        if doc.data.orders.is_none() {
            return nominal(Money::Unavailable(crate::engine::cohorts::real::RealError::NoOrders.to_string()));
        }
        match self.real.error() {
            Some(e) if !self.real.busy() => nominal(Money::Unavailable(e.to_owned())),
            _ => nominal(Money::Converting),
        }
    }

    /// Forgets the document (closed).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// The saved segments' numbers, for the current rules once computed.
    /// The customer table prepared for rule queries, once the document is loaded.
    pub fn frame(&self) -> Option<Arc<SegmentFrame>> {
        self.frame.clone()
    }

    /// How the saved segments overlap, for the current rules once computed.
    pub fn saved_overlap(&self) -> Option<&Arc<Overlap>> {
        self.overlap.latest().filter(|_| self.overlap.latest_key().is_some_and(|(v, _)| *v == self.version))
    }

    pub fn saved_stats(&self) -> Option<&Arc<SavedStats>> {
        self.saved.latest().filter(|_| self.saved.latest_key().is_some_and(|(v, _)| *v == self.version))
    }

    /// Asks for the evaluation of `rule` (started in the background when new).
    pub fn request_segment(&self, egui: &egui::Context, rule: &Group, lang: Lang) {
        let Some(frame) = self.frame.clone() else { return };
        let key = (self.version, self.rule_key(rule));
        let mut current = self.current.borrow_mut();
        current.collect(lang);
        let rule = rule.clone();
        current.ensure(egui, key, move |_| move |_| frame.result(&rule).map_err(|e| ImportError::from(e).text(lang)));
    }

    /// A rule's cache key: its text, and the saved segments' names and rules when
    /// it refers to any (a change there changes its members).
    fn rule_key(&self, rule: &Group) -> String {
        let text = to_text(rule);
        if crate::engine::segment::referenced_segments(rule).is_empty() {
            text
        } else {
            format!("{text}\u{3}{}", self.saved_rules)
        }
    }

    /// The latest evaluation of the segment being built (perhaps of an older rule).
    pub fn segment_result(&self) -> Option<Arc<SegmentResult>> {
        self.current.borrow().latest().cloned()
    }

    /// True when the evaluation shown is that of `rule` on the current data.
    pub fn segment_settled(&self, rule: &Group) -> bool {
        self.current.borrow().is_current(&(self.version, self.rule_key(rule)))
    }

    pub fn segment_busy(&self) -> bool {
        self.current.borrow().busy()
    }

    pub fn segment_error(&self) -> Option<String> {
        self.current.borrow().error().map(str::to_owned)
    }

    /// Values of a text field with their counts, most common first (computed once
    /// per field and data version).
    pub fn values(&self, doc: &Document, field: &str) -> ValueCounts {
        let mut values = self.values.borrow_mut();
        Arc::clone(values.entry(field.to_owned()).or_insert_with(|| Arc::new(value_counts(&doc.data, field))))
    }
}
