//! Segments: rules over customer fields, in the shape the Smart Segment Builder
//! shows them, and their text form.
//!
//! A rule is a [`Group`]: items (conditions or sub-groups, each optionally negated)
//! with AND or OR between neighbours, exactly as the builder's rows read. AND binds
//! tighter than OR; that precedence is applied when the rule is evaluated, never by
//! reshaping the tree, so builder → text → builder is lossless.
//!
//! The text form (keywords case-insensitive; custom fields in backticks):
//! ```text
//! expr      := and_expr ("or" and_expr)*
//! and_expr  := unary ("and" unary)*
//! unary     := "not" unary | "(" expr ")" | condition
//! condition := field op value | field "between" value "and" value
//!            | field ("in" | "not in" | "contains any of") "(" value ("," value)* ")"
//!            | field ("contains" | "does not contain" | "starts with" | "ends with") string
//!            | field "more than" int ("days"|"weeks"|"months") "ago"
//!            | field "within last" int ("days"|"weeks"|"months")
//!            | field ("before" | "after" | "on") date
//!            | field "is" ["not"] "empty" | field "is" ("yes" | "no")
//! ```
//! A negative condition (`!=`, `not in`, `does not contain`) whose "include empty"
//! box is ticked is written with `or empty` after it: `channel != "TikTok" or empty`.
//! (`empty` is a keyword, so this cannot be read as another condition.)

use serde::{Deserialize, Serialize};

use super::fields::FieldType;

/// How an item joins the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Join {
    #[default]
    And,
    Or,
}

/// Units of relative date conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateUnit {
    Days,
    Weeks,
    Months,
}

impl DateUnit {
    pub const ALL: [DateUnit; 3] = [DateUnit::Days, DateUnit::Weeks, DateUnit::Months];

    fn word(self) -> &'static str {
        match self {
            DateUnit::Days => "days",
            DateUnit::Weeks => "weeks",
            DateUnit::Months => "months",
        }
    }
}

/// A condition's operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// Inclusive on both ends.
    Between,
    IsEmpty,
    IsNotEmpty,
    Before,
    After,
    On,
    /// date < as-of − N units
    MoreThanAgo(DateUnit),
    /// as-of − N units ≤ date ≤ as-of
    WithinLast(DateUnit),
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    ContainsAny,
    IsYes,
    IsNo,
}

impl Op {
    /// The operators that fit a field type, in the order the builder offers them.
    pub fn for_type(ty: FieldType) -> Vec<Op> {
        use Op::*;
        match ty {
            FieldType::Number | FieldType::Money | FieldType::Integer => {
                vec![Eq, Ne, Gt, Ge, Lt, Le, Between, IsEmpty, IsNotEmpty]
            }
            FieldType::Date => {
                let mut ops = vec![Before, After, On, Between];
                ops.extend(DateUnit::ALL.map(MoreThanAgo));
                ops.extend(DateUnit::ALL.map(WithinLast));
                ops.extend([IsEmpty, IsNotEmpty]);
                ops
            }
            FieldType::Text | FieldType::Category => {
                vec![Eq, Ne, In, NotIn, Contains, StartsWith, EndsWith, IsEmpty, IsNotEmpty]
            }
            FieldType::List => vec![Contains, NotContains, ContainsAny, IsEmpty, IsNotEmpty],
            FieldType::Bool => vec![IsYes, IsNo, IsEmpty, IsNotEmpty],
        }
    }

    /// How many values the operator takes: exact count, or `None` for one or more.
    pub fn arity(self) -> Option<usize> {
        match self {
            Op::IsEmpty | Op::IsNotEmpty | Op::IsYes | Op::IsNo => Some(0),
            Op::Between => Some(2),
            Op::In | Op::NotIn | Op::ContainsAny => None,
            _ => Some(1),
        }
    }

    /// Operators that leave out empty values unless "include empty" is ticked.
    pub fn is_negative(self) -> bool {
        matches!(self, Op::Ne | Op::NotIn | Op::NotContains)
    }

    /// The operator's words in the text form.
    pub fn text(self) -> String {
        match self {
            Op::Eq => "=".into(),
            Op::Ne => "!=".into(),
            Op::Gt => ">".into(),
            Op::Ge => ">=".into(),
            Op::Lt => "<".into(),
            Op::Le => "<=".into(),
            Op::Between => "between".into(),
            Op::IsEmpty => "is empty".into(),
            Op::IsNotEmpty => "is not empty".into(),
            Op::Before => "before".into(),
            Op::After => "after".into(),
            Op::On => "on".into(),
            Op::MoreThanAgo(u) => format!("more than N {} ago", u.word()),
            Op::WithinLast(u) => format!("within last N {}", u.word()),
            Op::In => "in".into(),
            Op::NotIn => "not in".into(),
            Op::Contains => "contains".into(),
            Op::NotContains => "does not contain".into(),
            Op::StartsWith => "starts with".into(),
            Op::EndsWith => "ends with".into(),
            Op::ContainsAny => "contains any of".into(),
            Op::IsYes => "is yes".into(),
            Op::IsNo => "is no".into(),
        }
    }
}

/// `field · operator · value(s)`. Values are kept as text (numbers with a decimal
/// point, dates as YYYY-MM-DD) so that what the user typed survives even when it
/// does not fit the field; such a condition is marked invalid, not lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    #[serde(default)]
    pub values: Vec<String>,
    /// For `!=`, `not in`, `does not contain`: empty values match too.
    #[serde(default)]
    pub include_empty: bool,
}

/// A condition or a parenthesised group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Condition(Condition),
    Group(Group),
}

/// One row of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// How this row joins the previous one (ignored for the first row).
    pub join: Join,
    #[serde(default)]
    pub negate: bool,
    pub node: Node,
}

/// Rows joined by AND/OR; AND binds tighter than OR.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Group {
    pub items: Vec<Item>,
}

impl Group {
    /// The AND-chains of this group: the items between ORs, as evaluation reads them.
    pub fn or_of_ands(&self) -> Vec<Vec<&Item>> {
        let mut chains: Vec<Vec<&Item>> = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            if i == 0 || item.join == Join::Or {
                chains.push(Vec::new());
            }
            if let Some(last) = chains.last_mut() {
                last.push(item);
            }
        }
        chains
    }
}

// ---------------------------------------------------------------------------
// Printing

fn is_plain_field(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z' | '_'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !KEYWORDS.contains(&name)
}

fn field_text(name: &str) -> String {
    if is_plain_field(name) { name.to_owned() } else { format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`")) }
}

fn is_number_text(v: &str) -> bool {
    let body = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = body.split_once('.').unwrap_or((body, "0"));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn is_date_text(v: &str) -> bool {
    v.len() == 10 && v.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
}

fn value_text(v: &str) -> String {
    if is_number_text(v) || is_date_text(v) {
        v.to_owned()
    } else {
        format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn condition_text(c: &Condition) -> String {
    let f = field_text(&c.field);
    let v = |i: usize| c.values.get(i).map_or_else(|| "\"\"".to_owned(), |s| value_text(s));
    let list = || format!("({})", c.values.iter().map(|s| value_text(s)).collect::<Vec<_>>().join(", "));
    let body = match c.op {
        Op::Between => format!("{f} between {} and {}", v(0), v(1)),
        Op::In | Op::NotIn | Op::ContainsAny => format!("{f} {} {}", c.op.text(), list()),
        Op::IsEmpty | Op::IsNotEmpty | Op::IsYes | Op::IsNo => format!("{f} {}", c.op.text()),
        Op::MoreThanAgo(u) => {
            format!("{f} more than {} {} ago", c.values.first().map_or("0", String::as_str), u.word())
        }
        Op::WithinLast(u) => format!("{f} within last {} {}", c.values.first().map_or("0", String::as_str), u.word()),
        op => format!("{f} {} {}", op.text(), v(0)),
    };
    if c.include_empty { format!("{body} or empty") } else { body }
}

/// The rule's text form.
pub fn to_text(group: &Group) -> String {
    let mut out = String::new();
    for (i, item) in group.items.iter().enumerate() {
        if i > 0 {
            out.push_str(if item.join == Join::And { " and " } else { " or " });
        }
        if item.negate {
            out.push_str("not ");
        }
        match &item.node {
            Node::Condition(c) => out.push_str(&condition_text(c)),
            Node::Group(g) => {
                out.push('(');
                out.push_str(&to_text(g));
                out.push(')');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Parsing

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "between", "in", "contains", "does", "starts", "ends", "with", "more", "than", "ago", "within",
    "last", "before", "after", "on", "is", "empty", "yes", "no", "any", "of",
];

/// Where and why the text form could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {position})")]
pub struct ParseError {
    /// Character offset (0-based) into the text.
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Field(String),
    Str(String),
    Num(String),
    Date(String),
    Sym(&'static str),
}

fn tokenize(text: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let err = |position: usize, message: &str| ParseError { position, message: message.to_owned() };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '`' {
            let quote = c;
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(err(start, if quote == '"' { "unclosed quote" } else { "unclosed backtick" }));
                    }
                    Some('\\') => {
                        if let Some(n) = chars.get(i + 1) {
                            s.push(*n);
                        }
                        i += 2;
                    }
                    Some(ch) if *ch == quote => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            toks.push((start, if quote == '"' { Tok::Str(s) } else { Tok::Field(s) }));
        } else if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let mut s = String::from(c);
            i += 1;
            while let Some(&ch) = chars.get(i) {
                if ch.is_ascii_digit() || ch == '.' || ch == '-' {
                    s.push(ch);
                    i += 1;
                } else {
                    break;
                }
            }
            if is_date_text(&s) {
                toks.push((start, Tok::Date(s)));
            } else if is_number_text(&s) {
                toks.push((start, Tok::Num(s)));
            } else {
                return Err(err(start, &format!("\"{s}\" is neither a number nor a date (YYYY-MM-DD)")));
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut s = String::new();
            while let Some(&ch) = chars.get(i) {
                if ch.is_alphanumeric() || ch == '_' {
                    s.push(ch);
                    i += 1;
                } else {
                    break;
                }
            }
            toks.push((start, Tok::Word(s)));
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let sym = match two.as_str() {
                "!=" => Some("!="),
                ">=" => Some(">="),
                "<=" => Some("<="),
                _ => None,
            };
            if let Some(sym) = sym {
                toks.push((start, Tok::Sym(sym)));
                i += 2;
                continue;
            }
            let sym = match c {
                '=' => "=",
                '>' => ">",
                '<' => "<",
                '(' => "(",
                ')' => ")",
                ',' => ",",
                _ => return Err(err(start, &format!("unexpected character '{c}'"))),
            };
            toks.push((start, Tok::Sym(sym)));
            i += 1;
        }
    }
    Ok(toks)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn here(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(p, _)| *p)
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError { position: self.here(), message: message.into() })
    }

    fn is_word(&self, offset: usize, word: &str) -> bool {
        matches!(self.toks.get(self.pos + offset), Some((_, Tok::Word(w))) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if self.is_word(0, word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_word(&mut self, word: &str) -> Result<(), ParseError> {
        if self.eat_word(word) { Ok(()) } else { self.fail(format!("expected \"{word}\"")) }
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(s)) if *s == sym) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn group(&mut self) -> Result<Group, ParseError> {
        let mut items = vec![self.item(Join::And)?];
        loop {
            let join = if self.eat_word("and") {
                Join::And
            } else if self.eat_word("or") {
                Join::Or
            } else {
                break;
            };
            items.push(self.item(join)?);
        }
        Ok(Group { items })
    }

    fn item(&mut self, join: Join) -> Result<Item, ParseError> {
        let mut negate = false;
        while self.eat_word("not") {
            negate = !negate;
        }
        if self.eat_sym("(") {
            let inner = self.group()?;
            if !self.eat_sym(")") {
                return self.fail("expected \")\"");
            }
            return Ok(Item { join, negate, node: Node::Group(inner) });
        }
        let mut condition = self.condition()?;
        if condition.op.is_negative() && self.is_word(0, "or") && self.is_word(1, "empty") {
            self.pos += 2;
            condition.include_empty = true;
        }
        Ok(Item { join, negate, node: Node::Condition(condition) })
    }

    fn value(&mut self) -> Result<String, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Str(s) | Tok::Num(s) | Tok::Date(s)) => {
                self.pos += 1;
                Ok(s)
            }
            _ => self.fail("expected a value (a number, a \"text\" or a date YYYY-MM-DD)"),
        }
    }

    fn values_list(&mut self) -> Result<Vec<String>, ParseError> {
        if !self.eat_sym("(") {
            return self.fail("expected \"(\" and a list of values");
        }
        let mut values = vec![self.value()?];
        while self.eat_sym(",") {
            values.push(self.value()?);
        }
        if !self.eat_sym(")") {
            return self.fail("expected \",\" or \")\"");
        }
        Ok(values)
    }

    fn unit(&mut self) -> Result<DateUnit, ParseError> {
        for unit in DateUnit::ALL {
            let word = unit.word();
            if self.eat_word(word) || self.eat_word(&word[..word.len() - 1]) {
                return Ok(unit);
            }
        }
        self.fail("expected days, weeks or months")
    }

    fn int(&mut self) -> Result<String, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                self.pos += 1;
                Ok(n)
            }
            _ => self.fail("expected a whole number"),
        }
    }

    fn condition(&mut self) -> Result<Condition, ParseError> {
        let field = match self.peek().cloned() {
            Some(Tok::Field(f)) => f,
            // Bare names are canonical ids, which are lowercase: `LTV` means `ltv`.
            Some(Tok::Word(w)) if !KEYWORDS.contains(&w.to_lowercase().as_str()) => w.to_lowercase(),
            _ => return self.fail("expected a field name (custom fields in `backticks`)"),
        };
        self.pos += 1;
        let cond = |op, values| Ok(Condition { field: field.clone(), op, values, include_empty: false });
        if let Some(Tok::Sym(s)) = self.peek().cloned() {
            let op = match s {
                "=" => Op::Eq,
                "!=" => Op::Ne,
                ">" => Op::Gt,
                ">=" => Op::Ge,
                "<" => Op::Lt,
                "<=" => Op::Le,
                _ => return self.fail("expected an operator"),
            };
            self.pos += 1;
            return cond(op, vec![self.value()?]);
        }
        if self.eat_word("between") {
            let a = self.value()?;
            self.expect_word("and")?;
            let b = self.value()?;
            return cond(Op::Between, vec![a, b]);
        }
        if self.eat_word("in") {
            return cond(Op::In, self.values_list()?);
        }
        if self.is_word(0, "not") && self.is_word(1, "in") {
            self.pos += 2;
            return cond(Op::NotIn, self.values_list()?);
        }
        if self.is_word(0, "contains") && self.is_word(1, "any") {
            self.pos += 2;
            self.expect_word("of")?;
            return cond(Op::ContainsAny, self.values_list()?);
        }
        for (words, op) in [
            (&["contains"][..], Op::Contains),
            (&["does", "not", "contain"][..], Op::NotContains),
            (&["starts", "with"][..], Op::StartsWith),
            (&["ends", "with"][..], Op::EndsWith),
        ] {
            if words.iter().enumerate().all(|(i, w)| self.is_word(i, w)) {
                self.pos += words.len();
                return cond(op, vec![self.value()?]);
            }
        }
        if self.is_word(0, "more") && self.is_word(1, "than") {
            self.pos += 2;
            let n = self.int()?;
            let unit = self.unit()?;
            self.expect_word("ago")?;
            return cond(Op::MoreThanAgo(unit), vec![n]);
        }
        if self.is_word(0, "within") && self.is_word(1, "last") {
            self.pos += 2;
            let n = self.int()?;
            let unit = self.unit()?;
            return cond(Op::WithinLast(unit), vec![n]);
        }
        for (word, op) in [("before", Op::Before), ("after", Op::After), ("on", Op::On)] {
            if self.eat_word(word) {
                return cond(op, vec![self.value()?]);
            }
        }
        if self.eat_word("is") {
            let op = if self.eat_word("not") {
                self.expect_word("empty")?;
                Op::IsNotEmpty
            } else if self.eat_word("empty") {
                Op::IsEmpty
            } else if self.eat_word("yes") {
                Op::IsYes
            } else if self.eat_word("no") {
                Op::IsNo
            } else {
                return self.fail("expected empty, not empty, yes or no");
            };
            return cond(op, Vec::new());
        }
        self.fail(format!("expected an operator after \"{field}\""))
    }
}

/// Reads a rule's text form. Empty text is the empty rule (all customers).
pub fn parse(text: &str) -> Result<Group, ParseError> {
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return Ok(Group::default());
    }
    let mut p = Parser { toks, pos: 0, end: text.chars().count() };
    let group = p.group()?;
    if p.pos < p.toks.len() {
        return p.fail("expected \"and\", \"or\" or the end of the rule");
    }
    Ok(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mockup_rule_round_trips() {
        let text = "ltv > 5000 and last_order_date more than 30 days ago or channel = \"Google Ads\"";
        let g = parse(text).unwrap();
        assert_eq!(g.items.len(), 3);
        assert_eq!(g.items[1].join, Join::And);
        assert_eq!(g.items[2].join, Join::Or);
        assert_eq!(to_text(&g), text);
        let chains = g.or_of_ands();
        assert_eq!((chains.len(), chains[0].len(), chains[1].len()), (2, 2, 1));
    }

    #[test]
    fn every_form_round_trips() {
        for text in [
            "ltv between 1000 and 5000.5",
            "city in (\"İzmir\", \"Ankara\") and not (orders <= 2 or aov >= 100)",
            "`Sadakat Puanı` > 10 and tags contains any of (\"vip\", \"b2b\")",
            "tags does not contain \"spam\" or email ends with \"@gmail.com\"",
            "name starts with \"Ay\" and name contains \"\\\"q\\\"\"",
            "signup_date within last 3 months and birth_date before 1990-01-01",
            "last_order_date after 2026-01-01 or last_order_date on 2026-02-02",
            "accepts_marketing is yes and phone is not empty and zip is empty",
            "channel != \"Instagram\" or empty and ((a = 1 or b = 2) and c = 3)",
            "(channel != \"Instagram\" or channel is empty) or tags does not contain \"x\" or empty",
            "channel not in (\"TikTok\") and first_order_date more than 2 weeks ago",
        ] {
            let g = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(to_text(&g), text);
            assert_eq!(parse(&to_text(&g)).unwrap(), g);
        }
        let include = parse("channel != \"Instagram\" or empty or city = \"Ankara\"").unwrap();
        assert_eq!(include.items.len(), 2);
        let Node::Condition(c) = &include.items[0].node else { panic!("a condition") };
        assert!(c.include_empty);
        let group = parse("(channel != \"Instagram\" or channel is empty)").unwrap();
        assert!(matches!(group.items[0].node, Node::Group(_)), "a group the user built stays a group");
    }

    #[test]
    fn keywords_are_case_insensitive_and_errors_point_at_the_problem() {
        let g = parse("LTV > 5 AND Orders Between 1 And 3 OR NOT city IS EMPTY").unwrap();
        assert_eq!(to_text(&g), "ltv > 5 and orders between 1 and 3 or not city is empty");
        let e = parse("ltv > ").unwrap_err();
        assert_eq!(e.position, 6);
        let e = parse("ltv >> 5").unwrap_err();
        assert_eq!(e.position, 5);
        let e = parse("city = \"Ankara").unwrap_err();
        assert_eq!((e.position, e.message.as_str()), (7, "unclosed quote"));
        let e = parse("(ltv > 5").unwrap_err();
        assert!(e.message.contains(")"));
        assert!(parse("ltv > 5 orders < 3").is_err());
        assert_eq!(parse("   ").unwrap(), Group::default());
    }
}
